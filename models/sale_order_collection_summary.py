from odoo import api, models

from .collection_summary_mixin import SUMMARY_FIELDS


class SaleOrder(models.Model):
    """The collection summary of the order's customer, in the order's company: what the
    salesperson should know before promising more (see res.partner's summary)."""

    _name = "sale.order"
    _inherit = ["sale.order", "collection.summary.mixin"]

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
