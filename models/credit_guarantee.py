from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount
from odoo.tools.sql import column_exists, create_column, table_exists


class CreditGuarantee(models.Model):
    """Security held against a customer's credit: a guarantee, collateral, credit insurance or a
    deposit. Credit control may deduct the valid amounts from the exposure.

    A guarantee lowers the exposure, hence lets more sales through: a collector may record
    one (draft), only a credit manager validates it, and only validated guarantees count.
    A validated guarantee is changed by credit managers only.
    """

    _name = "credit.guarantee"
    _description = "Credit Guarantee"
    _inherit = ["credit.decision.mixin", "credit.amount.mixin", "mail.thread"]
    _order = "date_end desc, id desc"
    _check_company_auto = True
    _decision_fields = ("state", "validated_by_id", "validation_date")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    guarantee_type = fields.Selection(
        [
            ("guarantee", "Guarantee"),
            ("collateral", "Collateral"),
            ("insurance", "Credit Insurance"),
            ("deposit", "Deposit"),
        ],
        string="Type",
        required=True,
        default="guarantee",
    )
    amount = fields.Monetary(required=True)
    guarantor_id = fields.Many2one(
        "res.partner",
        string="Guarantor or Insurer",
        help="The bank, insurer or person who stands behind the customer.",
    )
    date_start = fields.Date(string="Valid From", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="Valid Until", help="Leave empty when it does not expire.")
    document = fields.Binary(attachment=True, help="The signed guarantee or policy.")
    document_name = fields.Char()
    note = fields.Text()
    is_valid = fields.Boolean(compute="_compute_is_valid", string="Valid Today")
    state = fields.Selection(
        [("draft", "Draft"), ("validated", "Validated")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Only validated guarantees are deducted from the exposure.",
    )
    validated_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    validation_date = fields.Datetime(readonly=True, copy=False)

    _amount_positive = models.Constraint(
        "CHECK(amount > 0)", "A guarantee amount must be positive."
    )

    def _auto_init(self):
        """Guarantees recorded before validation existed were deducted already: an upgrade
        keeps them counting (validated, by nobody in particular) instead of dropping them."""
        if not column_exists(self.env.cr, "credit_guarantee", "state") and table_exists(
            self.env.cr, "credit_guarantee"
        ):
            create_column(self.env.cr, "credit_guarantee", "state", "varchar")
            self.env.cr.execute("UPDATE credit_guarantee SET state = 'validated'")
        return super()._auto_init()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("name", "partner_id.name", "amount")
    def _compute_display_name(self):
        for guarantee in self:
            guarantee.display_name = self.env._(
                "%(reference)s (%(customer)s, %(amount)s)",
                reference=guarantee.name or "",
                customer=guarantee.partner_id.name or "",
                amount=format_amount(self.env, guarantee.amount, guarantee.currency_id)
                if guarantee.currency_id
                else guarantee.amount,
            )

    @api.depends("date_start", "date_end")
    @api.depends_context("date")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for guarantee in self:
            guarantee.is_valid = guarantee.date_start <= today and (
                not guarantee.date_end or guarantee.date_end >= today
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for guarantee in self:
            if guarantee.date_end and guarantee.date_end < guarantee.date_start:
                raise ValidationError(
                    self.env._(
                        "The guarantee %(guarantee)s ends before it starts: correct its "
                        "validity dates.",
                        guarantee=guarantee.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for guarantee in self:
            if guarantee.partner_id != guarantee.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Attach the guarantee %(guarantee)s to the company %(company)s, not to "
                        "its contact.",
                        guarantee=guarantee.name,
                        company=guarantee.partner_id.commercial_partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su and any(g.state == "validated" for g in self):
            self._check_credit_manager(
                self.env._(
                    "Only a credit manager can change a validated guarantee: it lowers the "
                    "customer's exposure."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_validate(self):
        """The credit manager has seen the document: the guarantee now counts."""
        self._check_credit_manager(self.env._("Only a credit manager can validate a guarantee."))
        if any(g.state != "draft" for g in self):
            raise UserError(self.env._("This guarantee is already validated."))
        self._write_decision(
            {
                "state": "validated",
                "validated_by_id": self.env.user.id,
                "validation_date": fields.Datetime.now(),
            }
        )
        return True

    def action_reset_to_draft(self):
        """Take a guarantee out of the exposure (released, disputed, document missing)."""
        self._check_credit_manager(
            self.env._("Only a credit manager can take a guarantee back to draft.")
        )
        self._write_decision({"state": "draft", "validated_by_id": False, "validation_date": False})
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _positive_amount_message(self, amount):
        return self.env._(
            "A guarantee amount must be positive (%(amount)s given): enter the amount it secures.",
            amount=amount,
        )

    @api.model
    def _get_valid_amounts(self, partners, company, date=None):
        """{commercial partner id: total of its guarantees valid on ``date``}, in one query."""
        date = date or fields.Date.context_today(self)
        groups = self._read_group(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("state", "=", "validated"),
                ("date_start", "<=", date),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", date),
            ],
            ["partner_id"],
            ["amount:sum"],
        )
        return {partner.id: amount for partner, amount in groups}
