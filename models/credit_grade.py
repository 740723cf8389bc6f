from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools import scoring


class CreditGrade(models.Model):
    """A credit grade (A, B, C, D...) and the credit policy that comes with it.

    The grade a review lands in proposes the customer's credit limit and payment terms;
    credit control reads the rest of the policy (blocking, overdue tolerance, check mode)
    through ``res.partner._get_credit_policy()``.
    """

    _name = "credit.grade"
    _description = "Credit Grade"
    _order = "min_score desc, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    code = fields.Char(required=True, size=8)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer(help="Colour of the grade badge on the customer's credit file.")
    min_score = fields.Float(
        string="Minimum Score",
        required=True,
        help="A score at or above this minimum (and below the next grade's) lands in this grade: "
        "with A at 85, a score of exactly 85 is an A.",
    )
    company_id = fields.Many2one("res.company", help="Leave empty to share the grade.")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    limit_fixed = fields.Monetary(
        string="Fixed Credit Limit",
        currency_field="currency_id",
        help="Credit limit proposed to every customer of this grade.",
    )
    limit_revenue_share = fields.Float(
        string="Share of Annual Revenue (%)",
        help="Proposed limit as a share of the customer's own annual revenue; the larger of "
        "this and the fixed amount is proposed.",
    )
    limit_cap = fields.Monetary(
        string="Credit Limit Cap",
        currency_field="currency_id",
        help="The proposed limit never exceeds this amount (0: no cap).",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Default Payment Terms",
        help="Payment terms written on the customer when a review in this grade is approved.",
    )
    block_new_sales = fields.Boolean(help="No new sale order may be confirmed for this grade.")
    overdue_tolerance_days = fields.Integer(
        help="Days an invoice may be overdue before the sale check reacts."
    )
    overdue_tolerance_amount = fields.Monetary(
        currency_field="currency_id",
        help="Overdue amount tolerated by the sale check.",
    )
    check_mode = fields.Selection(
        [("block", "Block"), ("warn", "Warn")],
        default="block",
        required=True,
        help="What the sale check does when a customer of this grade goes over its limit.",
    )
    collection_policy_id = fields.Many2one(
        "collection.policy",
        help="Dunning policy of the customers of this grade who have none of their own; "
        "empty for the company's default policy.",
    )
    review_interval_months = fields.Integer(
        string="Review Every (Months)",
        default=12,
        help="A customer of this grade is reviewed again after this many months.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "A grade code must be unique per company."
    )
    _interval_positive = models.Constraint(
        "CHECK(review_interval_months > 0)", "The review interval must be at least one month."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for grade in self:
            grade.currency_id = (grade.company_id or self.env.company).currency_id

    @api.depends_context("company")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("credit_grade_id", "in", self.ids)], ["credit_grade_id"], ["__count"]
            )
        )
        for grade in self:
            grade.partner_count = counts.get(grade, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = f"{grade.code} {grade.name}" if grade.code else grade.name

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _for_score(self, score, company):
        """The grade a score lands in for ``company`` (empty recordset without a score)."""
        grades = self.search(["|", ("company_id", "=", False), ("company_id", "=", company.id)])
        return grades._pick(score)

    def _pick(self, score):
        """Grade of ``self`` for ``score``, without a query (the cron scores thousands)."""
        key = scoring.grade_for_score(score, [(grade, grade.min_score) for grade in self])
        return key or self.browse()

    def _proposed_limit(self, annual_revenue):
        self.ensure_one()
        return scoring.proposed_limit(
            self.limit_fixed, self.limit_revenue_share, annual_revenue, self.limit_cap
        )

    def _next_review_date(self, from_date):
        self.ensure_one()
        return from_date + relativedelta(months=self.review_interval_months or 12)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("credit_grade_id", "=", self.id)],
        }
