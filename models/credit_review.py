from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from ..tools import scoring

RATINGS = [
    ("1", "1 - Very weak"),
    ("2", "2 - Weak"),
    ("3", "3 - Adequate"),
    ("4", "4 - Good"),
    ("5", "5 - Excellent"),
]
FIVE_C = ("character", "capacity", "capital", "collateral", "conditions")
STATEMENT_FIELDS = (
    "total_assets",
    "total_liabilities",
    "current_assets",
    "current_liabilities",
    "annual_revenue",
    "net_profit",
    "years_in_business",
    "registered_capital",
)
NON_NEGATIVE_FIELDS = (
    "total_assets",
    "total_liabilities",
    "current_assets",
    "current_liabilities",
    "annual_revenue",
    "years_in_business",
    "registered_capital",
)
HISTORY_FIELDS = (
    "on_time_share",
    "avg_days_late",
    "max_days_overdue",
    "dso",
    "relationship_years",
    "revenue_12m",
)
EXTERNAL_FIELDS = ("bureau_score", "bureau_source", "bureau_date", *FIVE_C)
INDICATOR_INPUTS = (*STATEMENT_FIELDS, *HISTORY_FIELDS, *EXTERNAL_FIELDS, "history_known")
INPUT_FIELDS = {
    *STATEMENT_FIELDS,
    *HISTORY_FIELDS,
    *EXTERNAL_FIELDS,
    "history_known",
    "scorecard_id",
}
# what may still change on a closed review: the chatter and the activities
CLOSED_WRITABLE = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}


class CreditReview(models.Model):
    """A dated credit evaluation of a customer (信用评估): the inputs, each factor's points, the
    score and the grade it lands in. Approval by a credit manager writes the grade, score,
    credit limit and payment terms on the customer; an approved review is a frozen record.
    """

    _name = "credit.review"
    _description = "Credit Review"
    _inherit = ["credit.decision.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # the outcome is the scoring's and the approver's, never typed in (JSON-RPC included)
    _decision_fields = (
        "state",
        "approved_by_id",
        "approval_date",
        "grade_id",
        "score",
        "previous_grade_id",
        "previous_score",
        "current_limit",
        "current_payment_term_id",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    reviewer_id = fields.Many2one("res.users", default=lambda self: self.env.user, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    scorecard_id = fields.Many2one(
        "credit.scorecard",
        required=True,
        default=lambda self: self.env["credit.scorecard"]._default_for(self.env.company),
    )
    note = fields.Text(string="Reviewer's Note")

    # financial statements
    total_assets = fields.Monetary()
    total_liabilities = fields.Monetary()
    current_assets = fields.Monetary()
    current_liabilities = fields.Monetary()
    annual_revenue = fields.Monetary(help="The customer's own annual revenue (its statements).")
    net_profit = fields.Monetary()
    years_in_business = fields.Float()
    registered_capital = fields.Monetary()
    # outside
    bureau_score = fields.Float(help="0 when no bureau score is known.")
    bureau_source = fields.Char(string="Bureau")
    bureau_date = fields.Date(string="Bureau Report Date")
    character = fields.Selection(RATINGS)
    capacity = fields.Selection(RATINGS)
    capital = fields.Selection(RATINGS)
    collateral = fields.Selection(RATINGS)
    conditions = fields.Selection(RATINGS)
    # the customer's history with us, from reconciled receivables
    history_known = fields.Boolean(help="Whether the customer has invoices to learn from.")
    on_time_share = fields.Float(string="Paid on Time (%)")
    avg_days_late = fields.Float(string="Average Days Late")
    max_days_overdue = fields.Float(string="Worst Days Overdue (12 months)")
    dso = fields.Float(string="DSO (days)")
    relationship_years = fields.Float(string="Relationship (years)")
    revenue_12m = fields.Monetary(string="Revenue (12 months)")

    # result
    line_ids = fields.One2many("credit.review.line", "review_id", string="Factors", copy=False)
    score = fields.Float(tracking=True, copy=False, aggregator="avg")
    grade_id = fields.Many2one("credit.grade", tracking=True, copy=False)
    previous_grade_id = fields.Many2one("credit.grade", copy=False)
    previous_score = fields.Float(copy=False)
    is_downgrade = fields.Boolean(compute="_compute_is_downgrade", store=True)
    proposed_limit = fields.Monetary(string="Proposed Credit Limit", tracking=True, copy=False)
    proposed_payment_term_id = fields.Many2one(
        "account.payment.term", string="Proposed Payment Terms", tracking=True, copy=False
    )
    # what the customer has when the review is made, beside what it proposes
    current_limit = fields.Monetary(
        string="Current Credit Limit",
        copy=False,
        readonly=True,
        help="The customer's own credit limit in the company when the review was made (0: none).",
    )
    current_payment_term_id = fields.Many2one(
        "account.payment.term", string="Current Payment Terms", copy=False, readonly=True
    )
    approved_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    approval_date = fields.Datetime(copy=False, readonly=True)

    _partner_date_idx = models.Index("(partner_id, company_id, date DESC)")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "date")
    def _compute_name(self):
        for review in self:
            review.name = f"{review.partner_id.name or ''} {review.date or ''}".strip()

    @api.depends("grade_id", "previous_grade_id")
    def _compute_is_downgrade(self):
        for review in self:
            review.is_downgrade = bool(
                review.previous_grade_id
                and review.grade_id
                and review.grade_id.min_score < review.previous_grade_id.min_score
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*NON_NEGATIVE_FIELDS)
    def _check_non_negative_inputs(self):
        for review in self:
            for fname in NON_NEGATIVE_FIELDS:
                if review[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(partner)s cannot be negative (%(value)s): enter the "
                            "figure of the financial statements as a positive amount.",
                            field=self._fields[fname]._description_string(self.env),
                            partner=review.partner_id.display_name,
                            value=review[fname],
                        )
                    )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for review in self:
            if review.partner_id != review.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Review the company %(company)s rather than its contact %(contact)s: "
                        "credit is granted to the company.",
                        company=review.partner_id.commercial_partner_id.display_name,
                        contact=review.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews.browse(
            review.id
            for review, vals in zip(reviews, vals_list, strict=True)
            if "current_limit" not in vals and "current_payment_term_id" not in vals
        )._store_current_terms()
        to_score = reviews.browse(
            review.id
            for review, vals in zip(reviews, vals_list, strict=True)
            if "score" not in vals
        )
        if to_score:
            to_score._refresh_history()
        return reviews

    def write(self, vals):
        closed = self.filtered(lambda r: r.state in ("approved", "refused"))
        if (
            closed
            and set(vals) - CLOSED_WRITABLE
            and not self.env.context.get("credit_review_closing")
        ):
            raise UserError(
                self.env._(
                    "The review %(review)s is closed and can no longer be changed: start a new "
                    "review of the customer instead.",
                    review=closed[0].display_name,
                )
            )
        result = super().write(vals)
        if INPUT_FIELDS.intersection(vals) and "score" not in vals:
            self._rescore()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_refresh(self):
        """Recompute the payment history from the ledger, then the score."""
        self._check_state({"draft"})
        self._refresh_history()
        return True

    def action_submit(self):
        self._check_state({"draft"})
        self._write_decision({"state": "to_approve"})
        self._schedule_approval_activity()
        return True

    def action_approve(self):
        self._check_approver()
        self._check_state({"draft", "to_approve"})
        self._approve()
        return True

    def action_refuse(self):
        self._check_approver()
        self._check_state({"draft", "to_approve"})
        self.with_context(credit_review_closing=True)._write_decision({"state": "refused"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_reset_to_draft(self):
        self._check_state({"to_approve"})
        self._write_decision({"state": "draft"})
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_state(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for review in self:
            if review.state not in allowed:
                raise UserError(
                    self.env._(
                        "The review %(review)s is already %(state)s: this cannot be done twice. "
                        "Start a new review of the customer to change its grade.",
                        review=review.display_name,
                        state=labels[review.state],
                    )
                )

    def _check_approver(self):
        """Approving decides how much credit a customer gets: credit managers only."""
        self._check_credit_manager(
            self.env._(
                "Only a credit manager can approve or refuse a credit review. Submit it and "
                'ask a member of the group "Credit & Collections / Credit Manager".'
            )
        )

    @api.model
    def _get_indicator_values(self, inputs):
        """{indicator: value or None} computed from plain input values (a review's fields
        or the re-evaluation's draft): ratios from the statement, history only when known."""
        values = scoring.financial_indicators({f: inputs.get(f) for f in STATEMENT_FIELDS})
        known = inputs.get("history_known")
        history = {f: inputs.get(f) if known else None for f in HISTORY_FIELDS}
        five_c = {f: float(inputs[f]) if inputs.get(f) else None for f in FIVE_C}
        return {**values, **history, **five_c, "bureau_score": inputs.get("bureau_score") or None}

    def _get_scoring_inputs(self):
        """The review's own input values, as ``_prepare_scoring_vals`` takes them."""
        self.ensure_one()
        return {f: self[f] for f in INDICATOR_INPUTS}

    @api.model
    def _prepare_scoring_vals(self, inputs, scorecard, grades, company, factor_table=None):
        """Score, factor lines, grade and proposal of ``inputs`` (a review's, or the
        re-evaluation's before any review exists), without a query: ``grades`` given."""
        score, lines = scorecard._score(self._get_indicator_values(inputs), factor_table)
        if score is None:
            grade = company.sudo().credit_start_grade_id.sudo(False)
        else:
            grade = grades._pick(score)
        for line in lines:
            line["known"] = line["value"] is not None
            line.update({k: line[k] or 0.0 for k in ("value", "points", "contribution")})
        revenue = inputs.get("annual_revenue") or inputs.get("revenue_12m") or 0.0
        return {
            "line_ids": [Command.clear()] + [Command.create(line) for line in lines],
            "score": score or 0.0,
            "grade_id": grade.id,
            "proposed_limit": grade._proposed_limit(revenue) if grade else 0.0,
            "proposed_payment_term_id": grade.payment_term_id.id,
        }

    def _rescore(self):
        for company, reviews in self.grouped("company_id").items():
            grades = self.env["credit.grade"].search(
                ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
            )
            for review in reviews.filtered(lambda r: r.state == "draft"):
                review._write_decision(
                    self._prepare_scoring_vals(
                        review._get_scoring_inputs(), review.scorecard_id, grades, company
                    )
                )

    def _refresh_history(self):
        """Read the payment behaviour of all the reviewed customers at once, then rescore."""
        for company, reviews in self.grouped("company_id").items():
            behaviour = reviews.partner_id._get_payment_behaviour(company)
            for review in reviews:
                partner = review.partner_id.with_company(company)
                review._write_decision(
                    {
                        "previous_grade_id": partner.credit_grade_id.id,
                        "previous_score": partner.credit_score,
                        **self._history_vals(behaviour.get(review.partner_id.id)),
                    }
                )

    @api.model
    def _history_vals(self, figures):
        if not figures:
            return {"history_known": False, **dict.fromkeys(HISTORY_FIELDS, 0.0)}
        return {"history_known": True, **{f: figures.get(f) or 0.0 for f in HISTORY_FIELDS}}

    def _store_current_terms(self):
        """Keep the customer's limit and terms beside the proposal, so that the approver
        sees what changes (the daily run gives them in its values)."""
        for review in self:
            partner = review.partner_id.sudo().with_company(review.company_id)
            review._write_decision(
                {
                    "current_limit": partner.credit_limit,
                    "current_payment_term_id": partner.property_payment_term_id.id,
                }
            )

    def _approve(self, apply_proposals=True):
        self.with_context(credit_review_closing=True)._write_decision(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approval_date": fields.Datetime.now(),
            }
        )
        self._apply_to_partners(apply_proposals)
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def _apply_to_partners(self, apply_proposals=True):
        """Write grade, score, limit and terms on the customers (latest review wins), for
        all the reviews at once (``res.partner._write_credit_evaluation``).

        As superuser, the approver staying the author of the chatter messages: the approval
        right was checked (``_check_approver``), and the credit limit is a field of the
        accountants that a credit manager may not otherwise write.
        """
        latest = {}
        for review in self.sorted(lambda r: (r.date, r.id)):
            latest[review.company_id, review.partner_id] = review
        partners = self.env["res.partner"].sudo()
        for company in {company for company, _partner in latest}:
            partners.with_company(company)._write_credit_evaluation(
                {
                    partner.with_company(company): review._partner_vals(apply_proposals)
                    for (review_company, partner), review in latest.items()
                    if review_company == company
                }
            )

    def _partner_vals(self, apply_proposals=True):
        """What the approval of the review writes on its customer: the limit and terms only
        when the review proposes some (0 would mean "no limit") and the approval applies
        them (the daily run only where the company says so)."""
        self.ensure_one()
        vals = {
            "credit_grade_id": self.grade_id.id,
            "credit_score": self.score,
            "credit_last_review_date": self.date,
            "credit_next_review_date": self._next_review_date(),
        }
        if apply_proposals and self.proposed_limit:
            vals["credit_limit"] = self.proposed_limit
        if apply_proposals and self.proposed_payment_term_id:
            vals["property_payment_term_id"] = self.proposed_payment_term_id.id
        return vals

    def _next_review_date(self):
        """The customer's type (客户类型) sets the interval when it has one, else the grade."""
        self.ensure_one()
        segment = self.partner_id.with_company(self.company_id).customer_segment_id
        if segment.review_interval_months:
            return self.date + relativedelta(months=segment.review_interval_months)
        return self.grade_id and self.grade_id._next_review_date(self.date)

    def _schedule_approval_activity(self):
        """Reviews waiting for a decision land in a credit manager's activities: one
        ``activity_schedule`` per change of grade (its note names the grades), so a run that
        submits hundreds of reviews creates their activities in a few batches. The daily
        run does not email each one (``mail_activity_quick_update``): the manager finds them
        in the activities and under *Reviews to Approve*.
        """
        for company, reviews in self.grouped("company_id").items():
            manager = self._credit_manager_for(company)
            if not manager:
                continue
            for (grade, previous), group in reviews.grouped(
                lambda r: (r.grade_id, r.previous_grade_id)
            ).items():
                group.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Approve the credit review"),
                    note=self.env._(
                        "Proposed grade %(grade)s (was %(previous)s).",
                        grade=grade.display_name or "-",
                        previous=previous.display_name or "-",
                    ),
                    user_id=manager.id,
                )

    @api.model
    def _credit_manager_for(self, company):
        group = self.env.ref("credit_collection.group_credit_manager").sudo()
        managers = group.all_user_ids.filtered(
            lambda u: not u.share and company in u.company_ids and not u._is_superuser()
        )
        return managers.sorted("id")[:1].sudo(False)
