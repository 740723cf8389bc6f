from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditGuarantee(models.Model):
    """Security held against a customer's credit: a guarantee, collateral, credit insurance or a
    deposit. Credit control may deduct the valid amounts from the exposure."""

    _name = "credit.guarantee"
    _description = "Credit Guarantee"
    _order = "date_end desc, id desc"
    _check_company_auto = True

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

    _amount_positive = models.Constraint(
        "CHECK(amount > 0)", "A guarantee amount must be positive."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

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
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_valid_amounts(self, partners, company, date=None):
        """{commercial partner id: total of its guarantees valid on ``date``}, in one query."""
        date = date or fields.Date.context_today(self)
        groups = self._read_group(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("date_start", "<=", date),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", date),
            ],
            ["partner_id"],
            ["amount:sum"],
        )
        return {partner.id: amount for partner, amount in groups}
