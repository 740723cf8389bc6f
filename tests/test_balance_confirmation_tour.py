from odoo.tests import HttpCase, tagged

from .balance_confirmation_common import BalanceConfirmationCommon


@tagged("post_install", "-at_install")
class TestBalanceConfirmationTour(BalanceConfirmationCommon, HttpCase):
    """In a browser, as the customer's portal user, on the page the email links to."""

    def test_portal_user_confirms_a_balance(self):
        request = self._request(self.customer)
        self.start_tour(
            request.get_portal_url(),
            "credit_collection_portal_confirm_balance",
            login="portal_acme",
        )
        self.assertRecordValues(
            request,
            [
                {
                    "state": "confirmed",
                    "answer_partner_id": self.portal_acme.partner_id.id,
                    "answer_user_id": self.portal_acme.id,
                }
            ],
        )
        self.assertTrue(request.answer_ip)

    def test_portal_user_contests_a_balance(self):
        request = self._request(self.beta)
        self.start_tour(
            request.get_portal_url(),
            "credit_collection_portal_contest_balance",
            login="portal_beta",
        )
        self.assertRecordValues(
            request,
            [
                {
                    "state": "contested",
                    "amount_believed": 1234.56,
                    "answer_comment": "Our payment of 15 March is missing.",
                    "answer_partner_id": self.portal_beta.partner_id.id,
                }
            ],
        )
        self.assertEqual(request.activity_ids.user_id, self.collector)
