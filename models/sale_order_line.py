from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # credit exposure: confirmed lines not fully invoiced, without the invoiced history
    _credit_open_lines_idx = models.Index(
        "(order_partner_id, company_id) "
        "INCLUDE (order_id, price_total, product_uom_qty, qty_invoiced) "
        "WHERE state = 'sale' AND invoice_status != 'invoiced'"
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._void_exceeded_credit_approvals()
        return lines

    def write(self, vals):
        result = super().write(vals)
        self.order_id._void_exceeded_credit_approvals()
        return result
