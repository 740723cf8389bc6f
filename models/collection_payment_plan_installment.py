from odoo import fields, models


class CollectionPaymentPlanInstallment(models.Model):
    """One agreed payment of a plan: its date, amount and what was paid against it."""

    _name = "collection.payment.plan.installment"
    _description = "Payment Plan Installment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        "collection.payment.plan", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    amount_paid = fields.Monetary(currency_field="currency_id", readonly=True)

    def _allocate(self, amount_paid):
        """Spread the payments received over the installments, oldest first."""
        for installment in self.sorted("date"):
            installment.amount_paid = min(installment.amount, amount_paid)
            amount_paid -= installment.amount_paid
