from odoo.tests import HttpCase, tagged

from .collection_common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionDisputeTour(CollectionCommon, HttpCase):
    def test_collector_resolves_a_dispute_by_credit_note(self):
        """In the browser: the collector records a dispute on the case's invoice (the case goes
        to dispute), resolves it by credit note and confirms the credit note. Posting is what
        resolves the dispute and puts the case back in progress, for what remains due."""
        customer = self._customer("Dispute Tour Customer")
        invoice = self._invoice(customer, due=self._days(-10), amount=1000.0)
        self.assertEqual(invoice.name, "INV/2026/00001", "the tour picks the invoice by name")
        self._run(self._days(1))
        case = self._case(customer)
        self.assertRecordValues(case, [{"user_id": self.collector.id, "state": "in_progress"}])

        # confirming the credit note is an accounting act: this collector also issues credit
        # notes (Invoicing); preparing it needs only the Collector group (test_collection_case)
        self.collector.group_ids |= self.env.ref("account.group_account_invoice")
        self.start_tour(
            "/odoo", "credit_collection_dispute_credit_note", login=self.collector.login
        )

        dispute = case.dispute_ids
        credit_note = dispute.credit_note_id
        self.assertRecordValues(
            dispute,
            [
                {
                    "move_id": invoice.id,
                    "amount": 200.0,
                    "reason": "quality",
                    "description": "Two crates arrived broken",
                    "user_id": self.collector.id,
                    "state": "credit_note",
                }
            ],
        )
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "reversed_entry_id": invoice.id,
                    "partner_id": customer.id,
                    "amount_total": 200.0,
                    "payment_state": "paid",
                }
            ],
        )
        self.assertEqual(invoice.amount_residual, 800.0, "the credit note is matched with it")
        self.assertEqual(case.state, "in_progress", "back in dunning for what remains")
        self.assertEqual(case.amount_due, 800.0)
