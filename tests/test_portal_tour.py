from odoo.tests import HttpCase, tagged

from .portal_common import PortalWorldCommon


@tagged("post_install", "-at_install")
class TestPortalTour(PortalWorldCommon, HttpCase):
    """The customer in the browser, on Odoo's portal, as a portal user."""

    def test_customer_opens_its_statement_and_downloads_the_pdf(self):
        self.start_tour("/my/home", "credit_collection_portal_statement", login="portal_a")

    def test_customer_promises_to_pay_an_overdue_invoice(self):
        self.start_tour("/my/statement", "credit_collection_portal_promise", login="portal_a")
        promise = self.env["collection.promise"].search([("partner_id", "=", self.acme.id)])
        self.assertRecordValues(
            promise,
            [{"state": "open", "move_ids": self.inv_a.ids, "date_promised": self._in_days(5)}],
        )
        # 600 EUR of 1,000 EUR worth 2,000 USD
        self.assertAlmostEqual(promise.amount, 1200.0)
        self.assertEqual(promise.case_id.state, "promised", "the collector's case shows it")

    def test_customer_disputes_an_invoice_and_its_dunning_stops(self):
        self.start_tour("/my/statement", "credit_collection_portal_dispute", login="portal_b")
        dispute = self.env["collection.dispute"].search([("partner_id", "=", self.globex.id)])
        self.assertRecordValues(
            dispute,
            [
                {
                    "move_id": self.inv_b.id,
                    "amount": 500.0,
                    "reason": "quality",
                    "description": "Two crates arrived broken",
                    "state": "open",
                }
            ],
        )
        self.assertEqual(dispute.case_id.state, "dispute")
        # the dunning run passes the disputed invoice over
        case = self.env["collection.case"].with_company(self.company)
        case._run_dunning(commit=False)
        notices = self.env["collection.notice"].search([("move_id", "=", self.inv_b.id)])
        self.assertFalse(notices, "a disputed invoice gets no dunning notice")
        undisputed = self.env["collection.notice"].search([("move_id", "=", self.inv_a.id)])
        self.assertTrue(undisputed, "the same run chases the invoice nobody disputed")
