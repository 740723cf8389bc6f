from odoo.tests import HttpCase, tagged

from .collection_common import CollectionCommon
from .common import new_role_user


@tagged("post_install", "-at_install")
class TestCollectionDisputeTour(CollectionCommon, HttpCase):
    def test_credit_manager_resolves_a_dispute_by_credit_note(self):
        """In the browser: the credit manager working the case records a dispute on its
        invoice (the case goes to dispute) and resolves it by credit note, which prepares the
        draft; a billing clerk posts it (an accounting act, not the manager's), which resolves
        the dispute and puts the case back in progress, for what remains due. Each user holds
        exactly their role's groups."""
        customer = self._customer("Dispute Tour Customer")
        invoice = self._invoice(customer, due=self._days(-10), amount=1000.0)
        self.assertEqual(invoice.name, "INV/2026/00001", "the tour picks the invoice by name")
        self._run(self._days(1))
        case = self._case(customer)
        self.assertRecordValues(case, [{"user_id": self.collector.id, "state": "in_progress"}])
        case.user_id = self.manager  # the manager works this case: it is in their worklist

        self.start_tour("/odoo", "credit_collection_dispute_credit_note", login=self.manager.login)

        credit_note = case.dispute_ids.credit_note_id
        self.assertRecordValues(credit_note, [{"state": "draft", "amount_total": 200.0}])
        self.assertEqual(case.dispute_ids.state, "open", "resolved once the credit note is posted")
        billing = new_role_user(self.env, "billing", "dispute_tour_billing", self.company)
        credit_note.with_user(billing).action_post()

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
                    "user_id": self.manager.id,
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
