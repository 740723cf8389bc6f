from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

CREDIT_MANAGER_FIELDS = {"credit_hold", "credit_hold_reason"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_hold = fields.Boolean(
        tracking=True,
        copy=False,
        help="While on hold, no sale order of this customer or of its contacts can be "
        "confirmed. Only credit managers can set or release a hold.",
    )
    credit_hold_reason = fields.Char(
        tracking=True,
        copy=False,
        help="Why the customer is on hold; shown to the salesperson whose order is refused.",
    )

    # credit evaluation: the grade and score of the last approved review
    credit_grade_id = fields.Many2one(
        "credit.grade",
        tracking=True,
        copy=False,
        index="btree_not_null",
        help="Written by the approval of a credit review; decides the credit policy.",
    )
    credit_grade_color = fields.Integer(related="credit_grade_id.color")
    credit_score = fields.Float(tracking=True, copy=False, aggregator="avg")
    credit_last_review_date = fields.Date(string="Last Credit Review", copy=False)
    credit_next_review_date = fields.Date(
        string="Next Credit Review",
        copy=False,
        help="The daily re-evaluation reviews the customer again once this date has passed.",
    )
    credit_review_ids = fields.One2many("credit.review", "partner_id", string="Credit Reviews")
    credit_review_count = fields.Integer(compute="_compute_credit_review_count")
    credit_guarantee_ids = fields.One2many(
        "credit.guarantee", "partner_id", string="Guarantees and Collateral"
    )
    # payment behaviour, from reconciled receivables of the current company
    credit_on_time_share = fields.Float(
        string="Paid on Time (%)", compute="_compute_payment_behaviour"
    )
    credit_avg_days_late = fields.Float(
        string="Average Days Late", compute="_compute_payment_behaviour"
    )
    credit_max_days_overdue = fields.Float(
        string="Worst Days Overdue (12 months)", compute="_compute_payment_behaviour"
    )
    credit_dso = fields.Float(string="DSO (days)", compute="_compute_payment_behaviour")
    credit_customer_since = fields.Date(
        string="Customer Since", compute="_compute_payment_behaviour"
    )
    credit_revenue_12m = fields.Monetary(
        string="Invoiced (12 months)",
        compute="_compute_payment_behaviour",
        currency_field="credit_company_currency_id",
    )
    credit_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_payment_behaviour"
    )

    is_credit_manager = fields.Boolean(
        compute="_compute_is_credit_manager",
        help="Technical: whether the current user may change the credit hold.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_is_credit_manager(self):
        self.is_credit_manager = self.env.user.has_group("credit_collection.group_credit_manager")

    def _compute_credit_review_count(self):
        counts = dict(
            self.env["credit.review"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.credit_review_count = counts.get(partner, 0)

    @api.depends_context("company")
    def _compute_payment_behaviour(self):
        company = self.env.company
        # _origin: a partner being created has no ledger yet (and no id to query with)
        behaviour = self.commercial_partner_id._origin._get_payment_behaviour(company)
        for partner in self:
            figures = behaviour.get(partner.commercial_partner_id._origin.id, {})
            partner.credit_company_currency_id = company.currency_id
            partner.credit_on_time_share = figures.get("on_time_share") or 0.0
            partner.credit_avg_days_late = figures.get("avg_days_late") or 0.0
            partner.credit_max_days_overdue = figures.get("max_days_overdue") or 0.0
            partner.credit_dso = figures.get("dso") or 0.0
            partner.credit_customer_since = figures.get("first_invoice_date")
            partner.credit_revenue_12m = figures.get("revenue_12m") or 0.0

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("credit_hold", "credit_hold_reason")
    def _check_credit_hold_reason(self):
        for partner in self:
            if partner.credit_hold and not (partner.credit_hold_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason why %(partner)s is put on credit hold: the salesperson "
                        "whose order is refused will read it.",
                        partner=partner.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("credit_hold") for vals in vals_list):
            self._check_credit_manager_access()
        return super().create(vals_list)

    def write(self, vals):
        if CREDIT_MANAGER_FIELDS.intersection(vals):
            self._check_credit_manager_access()
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_commercial_partner(self):
        """Open the company whose credit file decides for this contact."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
        }

    def action_view_credit_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.action_credit_review"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_payment_behaviour(self, company, date=None):
        """Payment behaviour of the commercial partners ``self`` with ``company``, in one query.

        Read from posted receivable lines of customer invoices and the partial reconciliations
        that paid them (an invoice is paid on the last reconciliation's date). Returns
        ``{partner_id: {on_time_share, avg_days_late, max_days_overdue, dso, relationship_years,
        revenue_12m, first_invoice_date, open_balance, invoice_count}}``; customers without
        invoices are absent. One query whatever the number of customers: the cron scores them
        all with it.
        """
        if not self:
            return {}
        today = date or fields.Date.context_today(self)
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model(["move_type", "invoice_date"])
        self.env["account.partial.reconcile"].flush_model()
        rows = self.env.execute_query_dict(self._payment_behaviour_query(company, today))
        return {row["partner_id"]: self._payment_behaviour_figures(row, today) for row in rows}

    def _payment_behaviour_query(self, company, today):
        # days late of an invoice: paid date (or today while open) minus due date, never < 0
        late = SQL(
            "GREATEST(COALESCE(CASE WHEN reconciled THEN paid_date END, %s) - date_maturity, 0)",
            today,
        )
        due = SQL("move_type = 'out_invoice' AND (reconciled OR date_maturity < %s)", today)
        return SQL(
            """
            WITH receivable AS (
                SELECT aml.partner_id, aml.balance, aml.amount_residual, aml.reconciled,
                       aml.date_maturity, am.invoice_date, am.move_type, paid.paid_date
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN account_account acc ON acc.id = aml.account_id
             LEFT JOIN LATERAL (
                        SELECT MAX(apr.max_date) AS paid_date
                          FROM account_partial_reconcile apr
                         WHERE apr.debit_move_id = aml.id
                       ) paid ON TRUE
                 WHERE aml.company_id = %(company)s
                   AND aml.partner_id = ANY(%(partners)s)
                   AND aml.parent_state = 'posted'
                   AND acc.account_type = 'asset_receivable'
                   AND am.move_type IN ('out_invoice', 'out_refund')
            )
            SELECT partner_id,
                   COUNT(*) FILTER (WHERE move_type = 'out_invoice') AS invoice_count,
                   COUNT(*) FILTER (WHERE %(due)s) AS due_count,
                   COUNT(*) FILTER (WHERE %(due)s AND reconciled AND paid_date <= date_maturity)
                       AS on_time_count,
                   SUM(balance * %(late)s) FILTER (WHERE %(due)s) AS late_amount_days,
                   SUM(balance) FILTER (WHERE %(due)s) AS due_amount,
                   MAX(%(late)s) FILTER (
                       WHERE move_type = 'out_invoice'
                         AND (NOT reconciled OR date_maturity >= %(year_ago)s)
                   ) AS max_days_overdue,
                   MIN(invoice_date) AS first_invoice_date,
                   SUM(balance) FILTER (WHERE invoice_date >= %(year_ago)s) AS revenue_12m,
                   SUM(amount_residual) AS open_balance
              FROM receivable
          GROUP BY partner_id
            """,
            company=company.id,
            partners=self.ids,
            due=due,
            late=late,
            year_ago=today - relativedelta(years=1),
        )

    @api.model
    def _payment_behaviour_figures(self, row, today):
        """Turn the sums of the behaviour query into the indicators of the scorecard."""
        revenue = row["revenue_12m"] or 0.0
        first = row["first_invoice_date"]
        return {
            "invoice_count": row["invoice_count"],
            "on_time_share": 100.0 * row["on_time_count"] / row["due_count"]
            if row["due_count"]
            else None,
            "avg_days_late": (row["late_amount_days"] or 0.0) / row["due_amount"]
            if row["due_amount"]
            else None,
            "max_days_overdue": row["max_days_overdue"] or 0.0,
            "dso": (row["open_balance"] or 0.0) / revenue * 365.0 if revenue > 0 else None,
            "relationship_years": (today - first).days / 365.25 if first else None,
            "first_invoice_date": first,
            "revenue_12m": revenue,
            "open_balance": row["open_balance"] or 0.0,
        }

    def _check_credit_manager_access(self):
        """Holds decide whether sales go through: only credit managers may touch them.

        Field-level ``groups`` would also hide the hold from the salespeople who must
        see it, so the write itself is guarded instead.
        """
        if self.env.su or self.env.user.has_group("credit_collection.group_credit_manager"):
            return
        raise AccessError(
            self.env._(
                "Only a credit manager can put a customer on credit hold or release it. "
                'Ask a member of the group "Credit & Collections / Credit Manager".'
            )
        )
