from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .credit_decision_mixin import CREDIT_MANAGER_GROUP


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_check_mode = fields.Selection(
        selection=[
            ("block", "Block the order"),
            ("warn", "Warn only"),
            ("off", "No check"),
        ],
        string="Credit Check at Confirmation",
        default="block",
        required=True,
        help="Block: an order over the credit limit or with too much overdue is not confirmed. "
        "Warn only: it is confirmed and a message is posted on the order. "
        "A credit hold always blocks.",
    )
    credit_default_limit = fields.Monetary(
        string="Credit Limit for Customers Without One",
        currency_field="currency_id",
        help="Credit limit of the customers that have none of their own. Zero: no limit check "
        "for them.",
    )
    credit_check_overdue = fields.Boolean(
        string="Check Overdue at Confirmation",
        help="Refuse orders of customers whose overdue, older than the tolerance in days, is "
        "above the tolerance amount.",
    )
    credit_overdue_days = fields.Integer(
        string="Overdue Tolerance (days)",
        default=30,
        help="Invoices overdue by this number of days or less do not count.",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue Tolerance (amount)",
        currency_field="currency_id",
        help="Overdue up to this amount is tolerated.",
    )
    credit_deduct_guarantees = fields.Boolean(
        string="Deduct Guarantees from Exposure",
        help="Valid guarantees (bank guarantees, deposits) reduce the customer's exposure.",
    )
    credit_check_invoice = fields.Boolean(
        string="Check at Invoice Posting",
        help="Apply the same credit checks when a customer invoice is posted.",
    )
    credit_approval_validity_days = fields.Integer(
        string="Approval Validity (days)",
        default=7,
        help="A credit approval request not used within this number of days expires.",
    )
    collection_policy_id = fields.Many2one(
        "collection.policy",
        string="Default Collection Policy",
        help="Dunning policy of the customers who have none of their own.",
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Default Collector",
        help="Collector of the cases of customers who have no collector of their own.",
    )
    collection_manager_id = fields.Many2one(
        "res.users",
        help="Receives the escalations of the dunning run.",
    )
    collection_promise_max_days = fields.Integer(
        string="Promise Horizon (days)",
        default=90,
        help="A promise to pay falls due at most this many days after it starts; longer "
        "arrangements are payment plans.",
    )
    writeoff_account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account",
        help="Expense account debited when a credit manager writes off a receivable.",
    )
    writeoff_journal_id = fields.Many2one(
        "account.journal",
        string="Write-off Journal",
        domain=[("type", "=", "general")],
    )
    credit_scorecard_id = fields.Many2one(
        "credit.scorecard", help="Scorecard of new credit reviews."
    )
    credit_start_grade_id = fields.Many2one(
        "credit.grade",
        string="Starting Credit Grade",
        help="Grade of a new customer about whom nothing can be scored yet.",
    )
    credit_auto_approve_upgrades = fields.Boolean(
        string="Auto-approve Upgrades",
        default=True,
        help="The daily re-evaluation approves by itself the reviews that keep or raise a grade.",
    )
    credit_auto_approve_downgrades = fields.Boolean(
        string="Auto-approve Downgrades",
        help="The daily re-evaluation approves downgrades by itself instead of asking a credit "
        "manager.",
    )
    credit_auto_apply_proposals = fields.Boolean(
        string="Automatic Approvals Apply Limits and Terms",
        help="When the daily re-evaluation approves a review by itself, it also replaces the "
        "customer's credit limit and payment terms by the proposed ones. Off: it writes the "
        "grade and score only, and limits and terms change when a credit manager approves.",
    )
    credit_behaviour_threshold = fields.Float(
        string="Re-evaluation Threshold (points)",
        default=10.0,
        help="A customer whose score moves by at least this many points since the last review "
        "is reviewed again before its review date.",
    )
    collection_followup_days = fields.Integer(
        string="Broken Promise Follow-up (days)",
        default=3,
        help="The collector appraisal counts a broken promise as followed up when its case "
        "got a contact within this many days after the promised date.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("collection_promise_max_days")
    def _check_collection_promise_max_days(self):
        for company in self:
            if not 1 <= company.collection_promise_max_days <= 3650:
                raise ValidationError(
                    self.env._(
                        "The promise horizon of %(company)s is a number of days between 1 and "
                        "3650.",
                        company=company.name,
                    )
                )

    @api.constrains("collection_followup_days")
    def _check_collection_followup_days(self):
        for company in self:
            if not 1 <= company.collection_followup_days <= 365:
                raise ValidationError(
                    self.env._(
                        "The broken promise follow-up of %(company)s is a number of days "
                        "between 1 and 365.",
                        company=company.name,
                    )
                )

    @api.constrains("credit_default_limit")
    def _check_credit_default_limit(self):
        for company in self:
            if company.credit_default_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The default credit limit of %(company)s cannot be negative: enter a "
                        "positive amount, or 0 for no limit.",
                        company=company.name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_credit_managers(self):
        """The people who decide on credit in this company: active internal users of the
        credit manager group who may work in it, never the superuser (OdooBot)."""
        self.ensure_one()
        group = self.env.ref(CREDIT_MANAGER_GROUP).sudo()
        return (
            group.all_user_ids.filtered(
                lambda user: (
                    user.active
                    and not user.share
                    and not user._is_superuser()
                    and self in user.company_ids
                )
            )
            .sorted("id")
            .sudo(False)
        )
