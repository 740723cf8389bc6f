from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CollectionPolicyLevel(models.Model):
    """One step of a collection policy, reached a number of days after the due date."""

    _name = "collection.policy.level"
    _description = "Collection Policy Level"
    _order = "policy_id, days, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one("collection.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id")
    days = fields.Integer(
        required=True,
        help="Days after the due date when the level is reached; negative for a reminder "
        "before the invoice falls due.",
    )
    channel = fields.Selection(
        [
            ("email", "Email"),
            ("letter", "Letter"),
            ("phone", "Phone Call"),
            ("visit", "Visit"),
            ("legal", "Legal"),
        ],
        required=True,
        default="email",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "collection.case")],
        help="Email sent to the customer, listing all its invoices that reached this level.",
    )
    letter_report_id = fields.Many2one(
        "ir.actions.report",
        string="Letter",
        domain=[("model", "=", "collection.case")],
        default=lambda self: self._default_letter_report(),
        help="Letter of a letter level; the run prints the letters of each collector as one "
        "PDF. Empty: the standard dunning letter.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        help="Activity scheduled on the collection case for the responsible person.",
    )
    responsible = fields.Selection(
        [
            ("collector", "Collector"),
            ("salesperson", "Salesperson"),
            ("credit_manager", "Credit Manager"),
        ],
        required=True,
        default="collector",
        help="Who receives the activity of this level.",
    )
    credit_hold = fields.Boolean(help="Put the customer on credit hold when this level is reached.")
    escalate_to_manager = fields.Boolean(help="Alert the credit manager with an activity.")
    hand_over_to_legal = fields.Boolean(help="Move the collection case to the legal state.")
    min_amount = fields.Monetary(
        string="Minimum Amount",
        currency_field="currency_id",
        help="The level is skipped while the customer's total due at this level is below "
        "this amount.",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )

    @api.model
    def _default_letter_report(self):
        return self.env.ref(
            "credit_collection.action_report_dunning_letter", raise_if_not_found=False
        )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    _policy_days_uniq = models.Constraint(
        "UNIQUE(policy_id, days)",
        "Two levels of the same policy cannot be reached on the same day.",
    )

    @api.constrains("min_amount")
    def _check_min_amount(self):
        for level in self:
            if level.min_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum amount of level %(level)s cannot be negative.",
                        level=level.name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_letter_report(self):
        """The report printing this level's letters."""
        self.ensure_one()
        return self.letter_report_id or self._default_letter_report()
