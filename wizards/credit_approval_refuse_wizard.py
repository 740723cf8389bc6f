from odoo import fields, models


class CreditApprovalRefuseWizard(models.TransientModel):
    _name = "credit.approval.refuse.wizard"
    _description = "Refuse a Credit Approval"

    request_ids = fields.Many2many("credit.approval.request", required=True)
    reason = fields.Text(required=True, help="Why credit is refused; the salesperson reads it.")

    def action_refuse(self):
        self.request_ids._refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
