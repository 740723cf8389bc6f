from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_amount_and_confirm_order(self):
        """An order paid online goes through the credit checks too; one they refuse stays a
        quotation for its salesperson, and the payment is still booked (an error would roll
        back the post-processing, and with it the customer's payment)."""
        confirmed = super(
            PaymentTransaction, self.with_context(credit_refusal_to_salesperson=True)
        )._check_amount_and_confirm_order()
        return confirmed.filtered(lambda order: order.state == "sale")
