from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditControlCommon

# a 1x1 transparent GIF: what the portal's signature widget sends, in miniature
SIGNATURE = "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="


class CustomerConfirmationCommon(CreditControlCommon):
    """Limit 1,000, an open invoice of 600: an order of 400 passes, one of 500 does not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_limit(cls.customer, 1000.0)
        cls._invoice(600.0)

    def _quotation(self, price, **values):
        return self._order(price=price, **{"user_id": self.salesman.id, **values})

    def _refusal_note(self, order):
        return order.message_ids.filtered(lambda m: "credit check refused" in m.body)

    def _assert_referred_to_salesperson(self, order):
        self.assertIn(order.state, ("draft", "sent"))
        note = self._refusal_note(order)
        self.assertIn("credit limit of Acme Trading Co.", note.body)
        self.assertTrue(note.subtype_id.internal, "an internal note, not a mail to the customer")
        self.assertEqual(order.activity_ids.user_id, self.salesman)


@tagged("post_install", "-at_install")
class TestCreditCheckOnPortalSignature(CustomerConfirmationCommon, HttpCase):
    """The customer signs the quotation on the portal: Odoo confirms it through
    ``_validate_order`` → ``action_confirm``, so the credit rules apply."""

    def _sign(self, order):
        order.require_signature, order.require_payment = True, False
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order._portal_ensure_token(),
                "name": "Li Wei",
                "signature": SIGNATURE,
            },
        )

    def test_signature_within_the_limit_confirms(self):
        order = self._quotation(400.0)
        self._sign(order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.activity_ids)

    def test_signature_over_the_limit_keeps_a_signed_quotation_for_the_salesperson(self):
        order = self._quotation(500.0)
        result = self._sign(order)
        self.assertNotIn("error", result, "the customer is not shown the sales team's message")
        self.assertEqual(order.signed_by, "Li Wei", "the signature is kept")
        self._assert_referred_to_salesperson(order)

    def test_an_order_without_salesperson_goes_to_the_administrator(self):
        order = self._quotation(500.0, user_id=False, team_id=False)
        self._sign(order)
        self.assertEqual(order.activity_ids.user_id, self.env.ref("base.user_admin"))

    def test_signature_of_a_held_customer_is_refused_too(self):
        self.customer.write({"credit_hold": True, "credit_hold_reason": "Cheque bounced"})
        order = self._quotation(1.0)
        self._sign(order)
        self.assertIn(order.state, ("draft", "sent"))
        self.assertIn("Cheque bounced", self._refusal_note(order).body)


@tagged("post_install", "-at_install")
class TestCreditCheckOnOnlinePayment(CustomerConfirmationCommon, AccountPaymentCommon):
    """The customer pays the quotation online: the transaction's post-processing confirms
    it through ``action_confirm``; a refused order stays a quotation, the payment is
    booked anyway."""

    def _pay_online(self, order):
        tx = self._create_transaction(
            flow="redirect",
            sale_order_ids=[order.id],
            state="done",
            amount=order.amount_total,
            currency_id=order.currency_id.id,
            partner_id=self.customer.id,
        )
        with mute_logger("odoo.addons.sale.models.payment_transaction"):
            tx._post_process()
        return tx

    def test_payment_within_the_limit_confirms(self):
        order = self._quotation(400.0)
        self._pay_online(order)
        self.assertEqual(order.state, "sale")

    def test_payment_over_the_limit_is_booked_and_the_order_waits(self):
        order = self._quotation(500.0)
        tx = self._pay_online(order)
        self._assert_referred_to_salesperson(order)
        self.assertTrue(tx.is_post_processed)
        self.assertEqual(tx.payment_id.amount, 500.0, "the customer's money is booked")
        # the payment lowers the exposure: the salesperson can now confirm
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
