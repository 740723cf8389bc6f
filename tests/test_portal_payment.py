from datetime import timedelta

from odoo import fields
from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.tests import tagged

from .common import post_customer_invoice


@tagged("post_install", "-at_install")
class TestPortalPayment(AccountPaymentCommon):
    """An invoice paid online through Odoo's test payment provider: the payment is matched
    to the invoice and the customer's collection case shows it at once."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.env.ref("credit_collection.group_credit_manager")

    def test_online_payment_matches_the_invoice_and_refreshes_the_case(self):
        company = self.company_data["company"]
        today = fields.Date.today()
        invoice = post_customer_invoice(
            self.env,
            self.partner,
            400.0,
            today - timedelta(days=40),
            due=today - timedelta(days=10),
            currency=self.currency,
        )
        case = self.env["collection.case"]._get_or_open_cases(self.partner, company)[self.partner]
        case._refresh_amounts()
        self.assertEqual(case.state, "open")
        self.assertGreater(case.amount_due, 0.0)

        transaction = self._create_transaction(
            "redirect",
            state="done",
            amount=invoice.amount_residual,
            invoice_ids=[invoice.id],
            partner_id=self.partner.id,
        )
        transaction._post_process()

        self.assertTrue(transaction.payment_id, "the transaction booked a payment")
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(case.amount_due, 0.0)
        self.assertEqual(case.state, "closed", "paid in full: the case closes at once")
