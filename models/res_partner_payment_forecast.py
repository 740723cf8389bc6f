from datetime import timedelta

from odoo import api, fields, models

# the credit file shows what is expected within this many days
EXPECTED_WITHIN_DAYS = 30


class ResPartner(models.Model):
    """The credit file's expected payments: when the customer's next payment is expected and
    how much of what it owes the nightly forecast expects within a month."""

    _inherit = "res.partner"

    credit_next_payment_date = fields.Date(
        string="Next Expected Payment",
        compute="_compute_payment_forecast",
        help="The earliest expected payment date of the customer's open invoices in this "
        "company, from the nightly payment forecast.",
    )
    credit_expected_30d = fields.Monetary(
        string="Expected within 30 Days",
        compute="_compute_payment_forecast",
        currency_field="credit_currency_id",
        help="What the customer owes on invoices expected to be paid within 30 days, in the "
        "company's currency.",
    )

    @api.depends_context("company")
    def _compute_payment_forecast(self):
        """One grouped read for all the customers shown. The figures are the company's and
        the customer's own: read as superuser so a salesperson, who may not read every
        invoice, sees the same credit file as the credit manager."""
        today = fields.Date.context_today(self)
        commercial = self.commercial_partner_id._origin
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                    ("payment_forecast_date", "!=", False),
                ],
                ["commercial_partner_id"],
                ["payment_forecast_date:min"],
            )
        )
        first = dict(groups)
        soon = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                    ("payment_forecast_date", "<=", today + timedelta(days=EXPECTED_WITHIN_DAYS)),
                ],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        for partner in self:
            key = partner.commercial_partner_id._origin
            partner.credit_next_payment_date = first.get(key)
            partner.credit_expected_30d = soon.get(key, 0.0)
