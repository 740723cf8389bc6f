from odoo import api, fields, models

SUMMARY_FIELDS = (
    "collection_summary_state",
    "collection_summary_currency_id",
    "collection_summary_overdue",
    "collection_summary_days",
    "collection_summary_level",
    "collection_summary_last_contact",
)


class SaleOrder(models.Model):
    """The collection summary of the order's customer, in the order's company: what the
    salesperson should know before promising more (see res.partner's summary)."""

    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    collection_summary_state = fields.Char(
        string="Collection Status", compute="_compute_collection_summary"
    )
    collection_summary_currency_id = fields.Many2one(
        "res.currency", compute="_compute_collection_summary"
    )
    collection_summary_overdue = fields.Monetary(
        string="Amount Overdue",
        currency_field="collection_summary_currency_id",
        compute="_compute_collection_summary",
    )
    collection_summary_days = fields.Integer(
        string="Days Overdue", compute="_compute_collection_summary"
    )
    collection_summary_level = fields.Char(
        string="Dunning Level", compute="_compute_collection_summary"
    )
    collection_summary_last_contact = fields.Datetime(
        string="Last Contact", compute="_compute_collection_summary"
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    @api.depends_context("uid")
    def _compute_collection_summary(self):
        for company, orders in self.grouped("company_id").items():
            customers = orders.partner_id.commercial_partner_id
            summary = customers._get_collection_summary(company or self.env.company)
            for order in orders:
                values = summary.get(order.partner_id.commercial_partner_id.id)
                if values:
                    order.update(values)
                else:
                    order.update(dict.fromkeys(SUMMARY_FIELDS, False))
