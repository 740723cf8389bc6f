from datetime import date

from odoo.tests import HttpCase, tagged

from .collection_common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionWriteoffTour(CollectionCommon, HttpCase):
    def test_credit_manager_writes_off_a_bankrupt_customer(self):
        """In the browser: the credit manager opens the case from the collection cases, and
        the write-off wizard, filled with a reason, a date and the bad debt account, clears
        every open invoice of the customer against one posted entry and closes the case as
        written off."""
        customer = self._customer("Bankrupt Tour Customer")
        invoices = self._invoice(customer, amount=800.0) + self._invoice(
            customer, due=self._days(20), amount=450.0
        )
        self._run(self._days(100))
        case = self._case(customer)
        self.assertEqual(case.amount_due, 1250.0)
        bad_debts = self.env["account.account"].create(
            {
                "name": "Bad Debts",
                "code": "686000",
                "account_type": "expense",
                "company_ids": [self.company.id],
            }
        )

        self.start_tour("/odoo", "credit_collection_write_off", login=self.manager.login)

        self.assertRecordValues(case, [{"state": "written_off", "writeoff_reason": "bankruptcy"}])
        move = case.writeoff_move_id
        self.assertRecordValues(
            move,
            [
                {
                    "state": "posted",
                    "move_type": "entry",
                    "date": date(2026, 6, 30),
                    "narration": "<p>Liquidation declared, no dividend expected</p>",
                }
            ],
        )
        self.assertRecordValues(
            move.line_ids.filtered("debit"), [{"account_id": bad_debts.id, "debit": 1250.0}]
        )
        self.assertRecordValues(
            invoices,
            [
                {"payment_state": "paid", "amount_residual": 0.0},
                {"payment_state": "paid", "amount_residual": 0.0},
            ],
        )
        receivables = invoices.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.assertTrue(all(receivables.mapped("reconciled")))
        self.assertEqual(
            receivables.matched_credit_ids.credit_move_id.move_id, move, "matched by the write-off"
        )
        self.assertEqual(case.amount_due, 0.0)
