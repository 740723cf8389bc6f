from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

LONGER_TERM = "credit_collection.account_payment_term_60days"
DISCOUNT_TERM = "account.account_payment_term_30days_early_discount"


class CreditRewardProposal(models.Model):
    """A reward proposed to a good payer (优质客户奖励): longer payment terms, or an early
    payment discount once the customer is on the longer terms.

    The monthly run proposes it for customers whose invoices due in the last N months were
    all paid on time and who use less than a share of their credit limit; a credit manager
    approves it, which opens a credit review proposing the terms (approving that review
    writes them on the customer), or refuses it with a reason. One open proposal per
    customer and company at most.
    """

    _name = "credit.reward.proposal"
    _description = "Reward Proposal for a Good Payer"
    _inherit = ["credit.decision.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # the run's figures and the manager's decision: never typed in (JSON-RPC included)
    _decision_fields = (
        "state",
        "partner_id",
        "company_id",
        "kind",
        "payment_term_id",
        "current_payment_term_id",
        "months_on_time",
        "invoices_on_time",
        "exposure",
        "credit_limit",
        "exposure_use",
        "review_id",
        "decided_by_id",
        "decision_date",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    kind = fields.Selection(
        [("longer_terms", "Longer Payment Terms"), ("discount", "Early Payment Discount")],
        required=True,
        readonly=True,
    )
    payment_term_id = fields.Many2one(
        "account.payment.term", string="Proposed Payment Terms", required=True, readonly=True
    )
    current_payment_term_id = fields.Many2one(
        "account.payment.term", string="Current Payment Terms", readonly=True
    )
    months_on_time = fields.Integer(
        string="Months Paid on Time",
        readonly=True,
        help="Every invoice due in these last months was paid by its due date.",
    )
    invoices_on_time = fields.Integer(string="Invoices Paid on Time", readonly=True)
    exposure = fields.Monetary(readonly=True, currency_field="currency_id")
    credit_limit = fields.Monetary(readonly=True, currency_field="currency_id")
    exposure_use = fields.Float(
        string="Exposure Use (%)", readonly=True, help="Exposure / credit limit, when proposed."
    )
    state = fields.Selection(
        [
            ("draft", "To Decide"),
            ("approved", "Approved (Review Open)"),
            ("refused", "Refused"),
            ("applied", "Applied"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    refuse_reason = fields.Text(tracking=True)
    review_id = fields.Many2one("credit.review", readonly=True, copy=False, index="btree_not_null")
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    decision_date = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "kind")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for proposal in self:
            proposal.name = f"{proposal.partner_id.name or ''}: {kinds.get(proposal.kind, '')}"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        """Approve: a credit review of each customer proposing the terms, submitted to the
        credit managers; approving the review writes the terms on the customer."""
        self._check_credit_manager(
            self.env._(
                "Only a credit manager can approve a reward proposal. Ask a member of the "
                'group "Credit & Collections / Credit Manager".'
            )
        )
        self._check_state_draft()
        for proposal in self:
            review = proposal._open_review()
            proposal._write_decision(
                {
                    "state": "approved",
                    "review_id": review.id,
                    "decided_by_id": self.env.uid,
                    "decision_date": fields.Datetime.now(),
                }
            )
        if len(self) == 1:
            return self.action_view_review()
        return True

    def action_refuse(self):
        self._check_credit_manager(
            self.env._(
                "Only a credit manager can refuse a reward proposal. Ask a member of the "
                'group "Credit & Collections / Credit Manager".'
            )
        )
        self._check_state_draft()
        missing = self.filtered(lambda p: not (p.refuse_reason or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Give the reason why the reward to %(partner)s is refused (field Refusal "
                    "Reason), then refuse again.",
                    partner=missing[0].partner_id.display_name,
                )
            )
        self._write_decision(
            {
                "state": "refused",
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
            }
        )
        return True

    def action_view_review(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.review",
            "res_id": self.review_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_state_draft(self):
        for proposal in self:
            if proposal.state != "draft":
                raise UserError(
                    self.env._(
                        "The reward proposal %(proposal)s was already decided: it cannot be "
                        "decided twice.",
                        proposal=proposal.display_name,
                    )
                )

    def _open_review(self):
        """A credit review of the customer in the proposal's company, proposing the
        proposal's terms and keeping the customer's limit, submitted for approval."""
        self.ensure_one()
        review = (
            self.env["credit.review"]
            .with_company(self.company_id)
            .create({"partner_id": self.partner_id.id, "company_id": self.company_id.id})
        )
        review.write(
            {
                "proposed_payment_term_id": self.payment_term_id.id,
                "proposed_limit": review.current_limit,
                "note": self.env._(
                    "Reward for a good payer: %(kind)s proposed by the monthly run.",
                    kind=dict(self._fields["kind"]._description_selection(self.env))[self.kind],
                ),
            }
        )
        review.action_submit()
        return review

    @api.model
    def _propose_rewards(self, company, customers, today):
        """Propose rewards in ``company`` to the ``customers`` who paid every invoice due in
        the last N months on time, have been customers for N months at least and use less
        than the company's share of their credit limit; none to a customer with an open
        proposal or already on early-discount terms. A constant number of queries."""
        open_ids = {
            partner.id
            for (partner,) in self.sudo()._read_group(
                [("company_id", "=", company.id), ("state", "in", ("draft", "approved"))],
                ["partner_id"],
            )
        }
        months = company.credit_reward_months
        to_check = customers - customers.browse(open_ids)
        on_time = self._get_on_time_customers(company, to_check, today)
        candidates = customers.browse(list(on_time)).sudo().with_company(company)
        exposure = candidates._get_credit_exposure(company)
        policy = candidates._get_credit_policy(company)
        vals_list = []
        for partner in candidates:
            limit = policy[partner.id]["effective_limit"]
            total = exposure[partner.id]["total"]
            if not limit or total / limit * 100.0 >= company.credit_reward_exposure_share:
                continue
            terms = self._reward_terms(company, partner.property_payment_term_id)
            if terms:
                vals_list.append(
                    {
                        **terms,
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date": today,
                        "current_payment_term_id": partner.property_payment_term_id.id,
                        "months_on_time": months,
                        "invoices_on_time": on_time[partner.id],
                        "exposure": total,
                        "credit_limit": limit,
                        "exposure_use": total / limit * 100.0,
                    }
                )
        return self.sudo().with_context(mail_create_nolog=True).create(vals_list)

    @api.model
    def _reward_terms(self, company, current):
        """Longer terms to a customer on shorter ones; the early-discount terms to one
        already on the longer terms or longer; nothing to one already on discount terms."""
        longer = company.credit_reward_term_id or self.env.ref(LONGER_TERM, False)
        discount = company.credit_reward_discount_term_id or self.env.ref(DISCOUNT_TERM, False)
        if current.early_discount:
            return {}
        if longer and self._term_days(current) < self._term_days(longer):
            return {"kind": "longer_terms", "payment_term_id": longer.id}
        if discount and discount != current:
            return {"kind": "discount", "payment_term_id": discount.id}
        return {}

    @api.model
    def _term_days(self, term):
        """Days to the last due date of ``term`` (0: immediate payment or no terms)."""
        return max(term.sudo().line_ids.mapped("nb_days") or [0])

    @api.model
    def _get_on_time_customers(self, company, customers, today):
        """``{partner id: invoices due in the window}`` of the ``customers`` whose invoices
        due in the last N months (the company's setting) were all paid by their due date,
        with nothing overdue now and a first invoice N months ago at least. One query over
        the query layer's invoice history."""
        if not customers:
            return {}
        start = today - relativedelta(months=company.credit_reward_months)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id,
                       COUNT(*) FILTER (WHERE due_date >= %(start)s AND due_date < %(today)s)
                  FROM (%(history)s) AS history
                 WHERE move_type = 'out_invoice'
              GROUP BY partner_id
                HAVING MIN(invoice_date) <= %(start)s
                   AND COUNT(*) FILTER (WHERE due_date >= %(start)s AND due_date < %(today)s) > 0
                   AND COUNT(*) FILTER (
                           WHERE due_date < %(today)s
                             AND (due_date >= %(start)s OR NOT reconciled)
                             AND NOT (reconciled AND paid_date <= due_date)
                       ) = 0
                """,
                history=self.env["credit.receivable.query"]._invoice_history_sql(
                    company.id, customers.ids
                ),
                start=start,
                today=today,
            )
        )
        return dict(rows)
