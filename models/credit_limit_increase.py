from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_amount, format_date


class CreditLimitIncrease(models.Model):
    """A temporary raise of a customer's credit limit, granted by a credit manager.

    Kept as records rather than two fields on the partner so that each grant stays in the
    audit trail with who granted it, for which company, and until when.
    """

    _name = "credit.limit.increase"
    _description = "Temporary Credit Limit Increase"
    _inherit = ["credit.amount.mixin", "mail.thread"]
    _order = "date_end desc, id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain=[("parent_id", "=", False)],
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True, help="Added to the credit limit.")
    date_end = fields.Date(
        string="Valid until", required=True, tracking=True, help="Last day of the increase."
    )
    reason = fields.Text()
    active = fields.Boolean(default=True, help="Cleared by the daily cron once the end has passed.")

    _amount_positive = models.Constraint(
        "CHECK(amount > 0)", "A temporary limit increase must be a positive amount."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id.name", "amount", "date_end")
    def _compute_display_name(self):
        for increase in self:
            increase.display_name = self.env._(
                "%(customer)s: +%(amount)s until %(date)s",
                customer=increase.partner_id.name or "",
                amount=format_amount(self.env, increase.amount, increase.currency_id)
                if increase.currency_id
                else increase.amount,
                date=format_date(self.env, increase.date_end) if increase.date_end else "",
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_end")
    def _check_date_end(self):
        """An increase that ended before it was granted never counts: a typing mistake."""
        today = fields.Date.context_today(self)
        for increase in self:
            if increase.date_end < today:
                raise ValidationError(
                    self.env._(
                        "The increase for %(customer)s would end on %(date)s, in the past: "
                        "give its last day, today or later.",
                        customer=increase.partner_id.display_name,
                        date=format_date(self.env, increase.date_end),
                    )
                )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for increase in self:
            if increase.partner_id != increase.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Grant the increase to the company %(company)s, not to its contact.",
                        company=increase.partner_id.commercial_partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _positive_amount_message(self, amount):
        return self.env._(
            "A temporary limit increase must be a positive amount (%(amount)s given): "
            "enter what is added to the limit.",
            amount=amount,
        )

    @api.model
    def _get_valid_amounts(self, partners, company):
        """Sum of the increases valid today, by commercial partner id (one query)."""
        groups = self.sudo()._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("date_end", ">=", fields.Date.context_today(self)),
            ],
            ["partner_id"],
            ["amount:sum"],
        )
        return {partner.id: amount for partner, amount in groups}

    @api.model
    def _cron_expire_increases(self):
        self.env["ir.cron"]._commit_progress(len(self._archive_ended()))

    @api.model
    def _archive_ended(self):
        """Archive the increases whose last day has passed, so lists show the live ones."""
        ended = self.search([("date_end", "<", fields.Date.context_today(self))])
        ended.write({"active": False})
        return ended
