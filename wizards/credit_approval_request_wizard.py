from odoo import fields, models


class CreditApprovalRequestWizard(models.TransientModel):
    _name = "credit.approval.request.wizard"
    _description = "Request a Credit Approval"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    reason = fields.Text(
        required=True, help="Why this order should go through; the credit manager reads it."
    )

    def action_request(self):
        self.ensure_one()
        # the request is created as superuser: only someone who may change the order asks
        self.order_id.check_access("write")
        self.order_id._request_credit_approval(self.reason)
        return {"type": "ir.actions.act_window_close"}
