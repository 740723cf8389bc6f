from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import table_columns

CREDIT_MANAGER_FIELDS = {"credit_hold", "credit_hold_reason"}
# plain columns before the credit file became per company
PER_COMPANY_SINCE_UPGRADE = (
    "credit_hold",
    "credit_hold_reason",
    "credit_grade_id",
    "credit_score",
    "credit_last_review_date",
    "credit_next_review_date",
)
# written by the approval of a credit review only (as superuser, after its rights check)
CREDIT_EVALUATION_FIELDS = {
    "credit_grade_id",
    "credit_score",
    "credit_last_review_date",
    "credit_next_review_date",
    "credit_hold_origin",
}
# what the approval of a credit review changes, shown in the customer's chatter
CREDIT_EVALUATION_TRACKED = (
    "credit_grade_id",
    "credit_score",
    "credit_limit",
    "property_payment_term_id",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # a hold, like the limit, is the decision of one company about the customer
    credit_hold = fields.Boolean(
        company_dependent=True,
        tracking=True,
        copy=False,
        help="While on hold, no sale order of this customer or of its contacts can be "
        "confirmed in this company. Only credit managers can set or release a hold.",
    )
    credit_hold_reason = fields.Char(
        company_dependent=True,
        tracking=True,
        copy=False,
        help="Why the customer is on hold; shown to the salesperson whose order is refused.",
    )
    credit_hold_origin = fields.Selection(
        [
            ("manual", "Credit manager"),
            ("dunning", "Dunning"),
            ("dunning_changed", "Dunning, changed by a credit manager"),
        ],
        string="Hold Set By",
        company_dependent=True,
        copy=False,
        help="Who last set or changed the hold: a hold the dunning run set is lifted once "
        "nothing is overdue any more, unless a credit manager changed it since.",
    )

    credit_limit_increase_ids = fields.One2many(
        "credit.limit.increase",
        "partner_id",
        string="Temporary Limit Increases",
        help="Granted by credit managers; each adds to the limit until its end date.",
    )
    credit_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_credit_currency_id",
        help="Technical: currency of the current company, in which exposure and payment "
        "behaviour are shown.",
    )
    credit_exposure = fields.Monetary(
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        help="Open receivables + draft customer invoices + confirmed orders not yet invoiced "
        "(taxes included), in the current company's currency.",
    )
    credit_limit_effective = fields.Monetary(
        string="Effective Credit Limit",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        help="The customer's credit limit (or the company's default limit) plus any valid "
        "temporary increase. Zero: no limit.",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        help="Effective credit limit minus exposure.",
    )
    collection_policy_id = fields.Many2one(
        "collection.policy",
        company_dependent=True,
        help="Dunning policy of this customer; empty to follow the company's default policy.",
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="Who works this customer's collection cases; empty for the company's default.",
    )
    # credit evaluation: the grade and score of the last approved review
    # graded per company, like Odoo's credit_limit: each company reviews its own customers
    credit_grade_id = fields.Many2one(
        "credit.grade",
        company_dependent=True,
        tracking=True,
        copy=False,
        help="Written by the approval of a credit review; decides the credit policy.",
    )
    credit_score = fields.Float(company_dependent=True, tracking=True, copy=False, aggregator="avg")
    credit_last_review_date = fields.Date(
        string="Last Credit Review", company_dependent=True, copy=False
    )
    credit_next_review_date = fields.Date(
        string="Next Credit Review",
        company_dependent=True,
        copy=False,
        help="The daily re-evaluation reviews the customer again once this date has passed.",
    )
    credit_review_ids = fields.One2many(
        "credit.review",
        "partner_id",
        string="Credit Reviews",
        groups="credit_collection.group_credit_collector",
    )
    credit_review_count = fields.Integer(
        compute="_compute_credit_review_count", groups="credit_collection.group_credit_collector"
    )
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
        currency_field="credit_currency_id",
    )

    # about the user reading the partner, not the partner
    credit_user_is_manager = fields.Boolean(
        string="Current User Is Credit Manager",
        compute="_compute_credit_user_is_manager",
        help="Technical: whether the current user is a credit manager, who may change the "
        "credit hold.",
    )

    def _auto_init(self):
        """Upgrading from the version where these fields were one value for all companies:
        the value is kept in every company, so that a grade or a hold that applied
        everywhere still does (PostgreSQL cannot cast them to jsonb in place)."""
        cr = self.env.cr
        columns = table_columns(cr, "res_partner")
        for fname in PER_COMPANY_SINCE_UPGRADE:
            if fname not in columns or columns[fname]["udt_name"] == "jsonb":
                continue
            column, old = SQL.identifier(fname), SQL.identifier(f"{fname}_before_company")
            cr.execute(SQL("ALTER TABLE res_partner RENAME COLUMN %s TO %s", column, old))
            cr.execute(SQL("ALTER TABLE res_partner ADD COLUMN %s jsonb", column))
            cr.execute(
                SQL(
                    "UPDATE res_partner SET %s = (SELECT jsonb_object_agg(c.id::text, "
                    "to_jsonb(res_partner.%s)) FROM res_company c) WHERE %s IS NOT NULL",
                    column,
                    old,
                    old,
                )
            )
            cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN %s", old))
        return super()._auto_init()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_exposure(self):
        company = self.env.company
        customers = self.commercial_partner_id._origin
        exposure = customers._get_credit_exposure(company)
        policy = customers._get_credit_policy(company)
        for partner in self:
            key = partner.commercial_partner_id._origin.id
            limit = policy[key]["effective_limit"] if key in policy else 0.0
            total = exposure[key]["total"] if key in exposure else 0.0
            partner.credit_exposure = total
            partner.credit_limit_effective = limit
            partner.credit_available = limit and limit - total

    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        self.credit_currency_id = self.env.company.currency_id

    @api.depends_context("uid")
    def _compute_credit_user_is_manager(self):
        self.credit_user_is_manager = self.env.user.has_group(
            "credit_collection.group_credit_manager"
        )

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

    @api.constrains("credit_limit")
    def _check_credit_limit_not_negative(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The credit limit of %(partner)s cannot be negative: enter a positive "
                        "amount, or 0 for no limit.",
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
        if not self.env.su and any(
            vals.get(fname) for vals in vals_list for fname in CREDIT_EVALUATION_FIELDS
        ):
            self._refuse_credit_evaluation_write()
        return super().create(vals_list)

    def write(self, vals):
        if CREDIT_MANAGER_FIELDS.intersection(vals):
            self._check_credit_manager_access()
        if not self.env.su and CREDIT_EVALUATION_FIELDS.intersection(vals):
            self._refuse_credit_evaluation_write()
        if CREDIT_MANAGER_FIELDS.intersection(vals) and "credit_hold_origin" not in vals:
            return self._write_hold_by_hand(vals)
        return super().write(vals)

    def _write_hold_by_hand(self, vals):
        """A credit manager's hand on a hold: the dunning run no longer lifts it by itself.
        A hold the dunning run set and a manager changed is still the run's to report once
        nothing is overdue (the managers are asked); a manager's own hold is never touched."""
        if not vals.get("credit_hold", True):
            return super().write({**vals, "credit_hold_origin": False})
        from_dunning = self.filtered(
            lambda p: p.credit_hold_origin in ("dunning", "dunning_changed")
        )
        super(ResPartner, from_dunning).write({**vals, "credit_hold_origin": "dunning_changed"})
        return super(ResPartner, self - from_dunning).write(
            {**vals, "credit_hold_origin": "manual"}
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.action_credit_review"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def _get_credit_file_action(self, company=None):
        """The customer's form, whose Credit tab is its credit file: what a row of a report,
        a warning or the dashboard opens. In ``company`` when given (its limit, grade and
        hold are that company's)."""
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.id,
            "views": [(False, "form")],
        }
        if company:
            action["context"] = {"allowed_company_ids": company.ids}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_credit_manager_access(self):
        """Holds decide whether sales go through: only credit managers may touch them.

        Field-level ``groups`` would also hide the hold from the salespeople who must
        see it, so the write itself is guarded instead.
        """
        self.env["credit.decision.mixin"]._check_credit_manager(
            self.env._(
                "Only a credit manager can put a customer on credit hold or release it. "
                'Ask a member of the group "Credit & Collections / Credit Manager".'
            )
        )

    def _refuse_credit_evaluation_write(self):
        """Grade, score and review dates are the outcome of an approved credit review; typed
        in (or sent over JSON-RPC) they would change the credit policy with no review."""
        raise AccessError(
            self.env._(
                "The credit grade, score and review dates of a customer are set by the approval "
                "of a credit review: start a review of the customer and have it approved."
            )
        )

    def _get_credit_policy(self, company=None):
        """Return the credit rules of each commercial partner in ``self`` for ``company``.

        The one place the checks read per-customer policy from, so that credit grades can
        override it: ``{partner_id: {"mode": "block"|"warn"|"off", "block_new_sales": bool,
        "overdue_days": int or None (no overdue check), "overdue_amount": float,
        "limit": float (0: no limit), "temporary_increase": float, "effective_limit":
        limit plus increase, or 0 without a limit}}``, amounts in the
        company currency.
        """
        company = company or self.env.company
        increases = self._get_credit_temporary_increases(company)
        overdue_days = company.credit_overdue_days if company.credit_check_overdue else None
        policy = {}
        # credit_limit is restricted to accountants; every salesperson's check reads it
        for partner in self.sudo().with_company(company):
            policy[partner.id] = {
                "mode": company.credit_check_mode,
                "block_new_sales": False,
                "overdue_days": overdue_days,
                "overdue_amount": company.credit_overdue_amount,
                "limit": partner.credit_limit or company.credit_default_limit,
                "temporary_increase": increases.get(partner.id, 0.0),
            }
            policy[partner.id].update(partner._get_credit_grade_policy(company))
        for values in policy.values():
            values["effective_limit"] = values["limit"] and (
                values["limit"] + values["temporary_increase"]
            )
        return policy

    def _get_credit_grade_policy(self, company):
        """What the customer's grade changes in the company's credit policy.

        The company decides whether a check runs at all (mode off, overdue check off);
        the grade decides how hard it is: block or warn, new sales blocked, and its own
        overdue tolerance.
        """
        grade = self.credit_grade_id
        if not grade or company.credit_check_mode == "off":
            return {}
        values = {"mode": grade.check_mode, "block_new_sales": grade.block_new_sales}
        if company.credit_check_overdue:
            values["overdue_days"] = grade.overdue_tolerance_days
            values["overdue_amount"] = grade.overdue_tolerance_amount
        return values

    def _get_credit_temporary_increases(self, company):
        """Valid temporary limit increases by partner id, in company currency."""
        return self.env["credit.limit.increase"]._get_valid_amounts(self, company)

    def _get_credit_guarantees(self, company):
        """Valid guarantees by partner id, in company currency, deducted from the exposure
        when the company says so. Read as superuser: every salesperson's check needs them."""
        return self.env["credit.guarantee"].sudo()._get_valid_amounts(self, company)

    def _get_credit_exposure(self, company=None, overdue_days=None):
        """Return the credit exposure of each commercial partner of ``self`` in ``company``.

        One query whatever the history: ``{partner_id: {"receivable", "draft_invoices",
        "sale_orders", "guarantees", "overdue", "total"}}`` in company currency, where
        ``overdue`` sums the open receivables due more than ``overdue_days[partner_id]``
        days ago (no key: 0). Sale orders count what is not invoiced yet (draft invoices
        included in invoiced, as they are counted on their own), taxes included.
        """
        company = company or self.env.company
        partners = self.commercial_partner_id
        overdue_days = overdue_days or {}
        today = fields.Date.context_today(self)
        far_past = fields.Date.to_date("1900-01-01")
        cutoffs = [
            today - timedelta(days=overdue_days[p.id]) if p.id in overdue_days else far_past
            for p in partners
        ]
        rows = self.env.execute_query(self._credit_exposure_query(company, partners.ids, cutoffs))
        guarantees = (
            self._get_credit_guarantees(company) if company.credit_deduct_guarantees else {}
        )
        result = {}
        for partner in partners:
            values = dict.fromkeys(("receivable", "draft_invoices", "sale_orders", "overdue"), 0.0)
            values["guarantees"] = guarantees.get(partner.id, 0.0)
            result[partner.id] = values
        for partner_id, kind, amount, overdue in rows:
            result[partner_id][kind] = company.currency_id.round(amount or 0.0)
            result[partner_id]["overdue"] += overdue or 0.0
        for values in result.values():
            values["total"] = (
                values["receivable"]
                + values["draft_invoices"]
                + values["sale_orders"]
                - values["guarantees"]
            )
        return result

    def _credit_exposure_query(self, company, partner_ids, cutoffs):
        """The exposure SQL, one query: the open receivable of each customer's contacts
        (from the query layer), its draft invoices and what its orders still have to
        invoice. Each part reads a partial covering index (see the ``Index`` declarations
        of account.move.line, account.move and sale.order) that holds only open items, so
        fully paid invoices and fully invoiced orders are not even read. An order counts
        with one stored amount (``sale.order.credit_amount_to_invoice``), not its lines
        joined to their order for its currency rate."""
        self.env["account.move"].flush_model(
            ["amount_total_signed", "company_id", "move_type", "partner_id", "state"]
        )
        self.env["sale.order"].flush_model(["company_id", "credit_amount_to_invoice", "partner_id"])
        open_balance = self.env["credit.receivable.query"]._customer_open_balance_sql(
            company.id, SQL("customer.partner_id"), SQL("customer.cutoff")
        )
        return SQL(
            """
            WITH customer AS (
                SELECT c.id, c.cutoff, p.id AS partner_id
                  FROM unnest(%(ids)s::int[], %(cutoffs)s::date[]) AS c(id, cutoff)
                  JOIN res_partner p ON p.commercial_partner_id = c.id
            )
            SELECT customer.id, 'receivable', SUM(open.total), SUM(open.overdue)
              FROM customer
             CROSS JOIN LATERAL (%(open_balance)s) open
             WHERE open.total IS NOT NULL
             GROUP BY customer.id
            UNION ALL
            SELECT customer.id, 'draft_invoices', SUM(move.amount_total_signed), 0
              FROM customer
              JOIN account_move move ON move.partner_id = customer.partner_id
             WHERE move.company_id = %(company)s
               AND move.state = 'draft'
               AND move.move_type IN ('out_invoice', 'out_refund')
             GROUP BY customer.id
            UNION ALL
            SELECT customer.id, 'sale_orders', SUM(so.credit_amount_to_invoice), 0
              FROM customer
              JOIN sale_order so ON so.partner_id = customer.partner_id
             WHERE so.company_id = %(company)s
               AND so.credit_amount_to_invoice != 0
             GROUP BY customer.id
            """,
            ids=partner_ids,
            cutoffs=cutoffs,
            company=company.id,
            open_balance=open_balance,
        )

    def _lock_credit_customers(self):
        """Make concurrent credit checks of the same customers conflict.

        Under REPEATABLE READ a row lock taken after the snapshot does not show what a
        competing transaction committed meanwhile, so both could pass the limit. A no-op
        write on the commercial partner row makes the second transaction wait for the
        first and then fail with a serialization error, and Odoo retries it: the retry
        sees the first order in the exposure.
        """
        self.env.execute_query(
            SQL(
                "UPDATE res_partner SET write_date = write_date WHERE id = ANY(%s)",
                self.commercial_partner_id.ids,
            )
        )

    # ------------------------------------------------------------
    # COLLECTIONS
    # ------------------------------------------------------------

    def _get_collection_policy(self):
        """The dunning policy of each customer in ``self``: ``{partner id: policy}``.

        The one place that decides which policy applies, in the current company: the
        customer's own policy, else the policy of its customer type (客户类型), else the
        policy of its credit grade, else the company's default.
        """
        company = self.env.company
        default = company.collection_policy_id or self.env.ref(
            "credit_collection.collection_policy_default", raise_if_not_found=False
        )
        policies = {}
        for partner in self.with_company(company):
            commercial = partner.commercial_partner_id
            policies[partner.id] = (
                commercial.collection_policy_id
                or commercial.customer_segment_id.collection_policy_id
                or commercial.credit_grade_id.collection_policy_id
                or default
            )
        return policies

    def _get_collection_risk_factor(self):
        """Risk weight of each customer in the case priority: 1.0 without a grade, else
        2 - minimum score / 100 (A 1.15, B 1.3, C 1.45, D 2.0), so that among equal debts
        the worse grade is chased first."""
        return {
            partner.id: (
                2.0 - partner.commercial_partner_id.credit_grade_id.min_score / 100.0
                if partner.commercial_partner_id.credit_grade_id
                else 1.0
            )
            for partner in self
        }

    def _get_collection_user(self, company):
        """The collector of each customer in ``company``: ``{partner id: user id}``."""
        default = company.collection_user_id.id
        return {
            partner.id: partner.with_company(company).collection_user_id.id or default
            for partner in self
        }
