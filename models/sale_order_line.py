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

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_credit_amount_to_invoice(self):
        """What the line still adds to the customer's exposure, taxes included, in the
        order's currency: the share of its total not invoiced yet (draft invoices count as
        invoiced, the exposure has them on their own).

        A down payment line counts minus what it invoiced that no final invoice deducted
        yet: the down payment invoice is already in the receivables while the other lines
        still count in full, so without it the down payment would count twice.
        """
        self.ensure_one()
        if self.is_downpayment:
            return -sum(
                line.price_total * (-1 if line.move_id.move_type == "out_refund" else 1)
                for line in self.invoice_lines
                if line.move_id.state != "cancel"
            )
        if self.invoice_status == "invoiced" or self.product_uom_qty <= 0:
            return 0.0
        return (
            self.price_total
            * max(self.product_uom_qty - self.qty_invoiced, 0.0)
            / self.product_uom_qty
        )
