from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

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
