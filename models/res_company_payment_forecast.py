from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    payment_forecast_ledger = fields.Json(
        string="Ledger Figures of the Payment Forecast",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The whole ledger's figures the payment-date model needs (median days to "
        "settle, billing channel offsets, dispute delay, deciles of the deviations), "
        "stored by the nightly forecast so that a customer's open invoices are forecast "
        "again at once when its payment is matched, from its own history only.",
    )
    payment_forecast_ledger_date = fields.Date(
        string="Ledger Figures Date",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The day of the nightly forecast that stored the ledger's figures.",
    )
