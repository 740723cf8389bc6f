from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .collection_common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionCase(CollectionCommon):
    def test_case_closes_when_paid_and_reopens_on_new_overdue(self):
        invoice = self._invoice(self.acme)
        self._run(self._days(1))
        case = self._case(self.acme)
        self.assertRecordValues(
            case,
            [
                {
                    "state": "in_progress",
                    "amount_due": 1000.0,
                    "amount_overdue": 1000.0,
                    "days_overdue": 1,
                }
            ],
        )
        self._pay(invoice, self._days(3))
        self.assertEqual(case.state, "closed", "the payment closes the case at once")

        self._invoice(self.acme, due=self._days(40))
        self._run(self._days(41))
        self.assertEqual(self._case(self.acme), case, "the same case is reopened")
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(
            self.env["collection.case"].search_count(
                [("partner_id", "=", self.acme.id), ("state", "not in", ("closed", "written_off"))]
            ),
            1,
        )

    def test_partial_payment_shows_on_the_case_at_once(self):
        first = self._invoice(self.acme, amount=1000.0)
        self._invoice(self.acme, amount=500.0, due=self._days(10))
        self._run(self._days(1))
        case = self._case(self.acme)
        self.assertEqual((case.amount_due, case.amount_overdue), (1500.0, 1000.0))
        with freeze_time(self._days(3)):
            payment = self._pay(first, self._days(3), amount=400.0)
            self.assertRecordValues(
                case,
                [
                    {
                        "state": "in_progress",
                        "amount_due": 1100.0,
                        "amount_overdue": 600.0,
                        "days_overdue": 3,
                        "priority": 600.0 * 3,
                    }
                ],
            )
            # the payment was booked on the wrong customer: cancelled, the debt is back
            payment.action_draft()
            payment.action_cancel()
            self.assertEqual((case.amount_due, case.amount_overdue), (1500.0, 1000.0))

    def test_priority_orders_the_worklist(self):
        self._invoice(self.acme, amount=1000.0)
        self._invoice(self.globex, amount=5000.0)
        self._run(self._days(10))
        cases = self.env["collection.case"].search([("company_id", "=", self.company.id)])
        self.assertEqual(cases.partner_id, self.globex + self.acme)
        self.assertEqual(cases[0].priority, 5000.0 * 10)

    def test_promise_suspends_dunning_and_broken_promise_resumes(self):
        self._invoice(self.acme)
        self._run(self._days(1))
        case = self._case(self.acme)
        with freeze_time(self._days(1)):
            promise = self.env["collection.promise"].create(
                {"case_id": case.id, "amount": 1000.0, "date_promised": self._days(20)}
            )
        self.assertEqual(case.state, "promised")
        self._run(self._days(15))
        self.assertEqual(case.level_id, self.levels[1], "the promise suspends the letter")
        self._run(self._days(21))
        self.assertEqual(promise.state, "broken")
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(case.level_id, self.levels[15])
        self.assertEqual(
            case.activity_ids.filtered(lambda a: "Promise broken" in a.summary).user_id,
            self.collector + self.manager,
            "the collector is alerted and the manager gets the escalation",
        )

    def test_promise_kept_by_payment(self):
        invoice = self._invoice(self.acme, amount=3000.0)
        self._run(self._days(1))
        case = self._case(self.acme)
        with freeze_time(self._days(1)):
            promise = self.env["collection.promise"].create(
                {"case_id": case.id, "amount": 1000.0, "date_promised": self._days(20)}
            )
        self._pay(invoice, self._days(10), amount=1000.0)
        self._run(self._days(21))
        self.assertRecordValues(promise, [{"state": "kept", "amount_paid": 1000.0}])

    def test_dispute_suspends_dunning_until_rejected(self):
        invoice = self._invoice(self.acme)
        self._run(self._days(1))
        case = self._case(self.acme)
        dispute = self.env["collection.dispute"].create(
            {"case_id": case.id, "move_id": invoice.id, "amount": 200.0, "reason": "quality"}
        )
        self.assertEqual(case.state, "dispute")
        self._run(self._days(16))
        self.assertEqual(case.level_id, self.levels[1])
        dispute.action_reject()
        self.assertEqual(case.state, "in_progress")
        self._run(self._days(17))
        self.assertEqual(case.level_id, self.levels[15])

    def test_dispute_resolved_by_credit_note_once_it_is_posted(self):
        tax = self.company_data["default_tax_sale"]
        tax.amount = 15.0
        invoice = self._invoice(self.acme, amount=1000.0, taxes=tax)
        self._run(self._days(1))
        case = self._case(self.acme)
        dispute = (
            self.env["collection.dispute"]
            .with_user(self.collector)
            .create({"case_id": case.id, "move_id": invoice.id, "amount": 230.0, "reason": "price"})
        )
        with freeze_time(self._days(3)):  # a credit note is the credit manager's decision
            action = dispute.with_user(self.manager).action_resolve_credit_note()
        credit_note = dispute.credit_note_id
        self.assertEqual(action["res_id"], credit_note.id)
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "draft",
                    "reversed_entry_id": invoice.id,
                    "partner_id": self.acme.id,
                    "amount_untaxed": 200.0,
                    "amount_total": 230.0,
                }
            ],
        )
        self.assertEqual(dispute.state, "open", "resolved only once the credit note is posted")
        dispute.with_user(self.manager).action_resolve_credit_note()
        self.assertEqual(dispute.credit_note_id, credit_note, "no second credit note")
        self._run(self._days(16))
        self.assertEqual(case.level_id, self.levels[1], "still out of dunning meanwhile")

        with freeze_time(self._days(16)):  # posted by accounting (Invoicing), not the collector
            credit_note.with_env(self.env).action_post()
        self.assertEqual(dispute.state, "credit_note")
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(invoice.amount_residual, 920.0)
        self._run(self._days(17))
        self.assertEqual(case.amount_due, 920.0)
        self.assertEqual(case.level_id, self.levels[15], "back in dunning for what remains")
        notice = case.notice_ids.filtered(lambda n: n.level_id == self.levels[15])
        self.assertEqual(notice.amount_residual, 920.0)

    def test_case_totals_are_the_aging_reports(self):
        first = self._invoice(self.acme, amount=1000.0)
        self._invoice(self.acme, due=self._days(20), amount=400.0)
        self._invoice(self.globex, amount=300.0)
        self._pay(first, self._days(5), amount=250.0)
        self._run(self._days(10))
        case = self._case(self.acme)
        buckets = self.env["credit.receivable.query"]._get_bucket_totals(
            self._days(10), self.company.ids, partner_ids=self.acme.ids
        )[(self.acme.id, self.company.id)]
        self.assertAlmostEqual(case.amount_due, sum(buckets))
        self.assertAlmostEqual(case.amount_overdue, sum(buckets[1:]))
        self.assertRecordValues(
            case, [{"amount_due": 1150.0, "amount_overdue": 750.0, "days_overdue": 10}]
        )

    def test_log_call_with_promise_marks_case_promised(self):
        self._invoice(self.acme)
        self._run(self._days(1))
        case = self._case(self.acme).with_user(self.collector)
        action = case.action_log_call()
        wizard = (
            self.env["collection.log.wizard"]
            .with_user(self.collector)
            .with_context(**action["context"])
            .create(
                {
                    "contact_name": "Li Wei",
                    "result": "promise",
                    "customer_words": "We pay next Friday",
                    "promise_amount": 1000.0,
                    "promise_date": self._days(8),
                }
            )
        )
        with freeze_time(self._days(1)):
            wizard.action_confirm()
        self.assertEqual(case.state, "promised")
        self.assertRecordValues(
            case.log_ids,
            [
                {
                    "channel": "phone",
                    "result": "promise",
                    "contact_name": "Li Wei",
                    "next_action_date": self._days(8),
                }
            ],
        )
        self.assertRecordValues(case.promise_ids, [{"amount": 1000.0, "state": "open"}])

    def test_done_call_activity_writes_a_log_line(self):
        self._invoice(self.acme)
        self._run(self._days(30))
        case = self._case(self.acme)
        call = case.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        call.with_user(self.collector).action_feedback(feedback="Accountant on leave until Monday")
        self.assertRecordValues(
            case.log_ids,
            [
                {
                    "channel": "phone",
                    "customer_words": "Accountant on leave until Monday",
                    "user_id": self.collector.id,
                }
            ],
        )

    def test_collector_cannot_delete_cases_and_sees_only_his_companies(self):
        self._invoice(self.acme)
        self._run(self._days(1))
        case = self._case(self.acme)
        with self.assertRaises(AccessError):
            case.with_user(self.collector).unlink()
        other = self.setup_other_company()["company"]
        foreign = self.env["collection.case"].create(
            {"partner_id": self.globex.id, "company_id": other.id}
        )
        visible = self.env["collection.case"].with_user(self.collector).search([])
        self.assertIn(case, visible)
        self.assertNotIn(foreign, visible)

    def test_collector_sees_letters_and_notices_of_his_companies_only(self):
        other = self.setup_other_company()["company"]
        foreign_case = self.env["collection.case"].create(
            {"partner_id": self.globex.id, "company_id": other.id}
        )
        foreign_batch = self.env["collection.letter.batch"].create(
            {"name": "Other company", "company_id": other.id, "case_ids": foreign_case.ids}
        )
        self._invoice(self.acme)
        self._run(self._days(15))
        own_batch = self.env["collection.letter.batch"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(own_batch.case_ids.partner_id, self.acme)
        batches = self.env["collection.letter.batch"].with_user(self.collector)
        self.assertEqual(batches.search([]), own_batch)
        with self.assertRaises(AccessError):
            foreign_batch.with_user(self.collector).read(["name"])
        with self.assertRaises(AccessError):
            own_batch.with_user(self.collector).unlink()
        notices = self.env["collection.notice"].with_user(self.collector).search([])
        self.assertTrue(notices)
        self.assertEqual(notices.company_id, self.company)

    def test_credit_manager_writes_off_and_collector_cannot(self):
        invoice = self._invoice(self.acme, amount=800.0)
        self._run(self._days(100))
        case = self._case(self.acme)
        bad_debt = self.company_data["default_account_expense"]
        values = {"case_id": case.id, "reason": "bankruptcy", "account_id": bad_debt.id}
        with self.assertRaises(AccessError):
            self.env["collection.writeoff.wizard"].with_user(self.collector).create(values)
        wizard = self.env["collection.writeoff.wizard"].with_user(self.manager).create(values)
        wizard.action_confirm()
        self.assertRecordValues(case, [{"state": "written_off", "writeoff_reason": "bankruptcy"}])
        self.assertEqual(invoice.payment_state, "paid")
        self.assertRecordValues(
            case.writeoff_move_id.line_ids.filtered("debit"),
            [{"account_id": bad_debt.id, "debit": 800.0}],
        )

    def test_payment_plan_on_track_suspends_and_missed_installment_resumes(self):
        invoice = self._invoice(self.acme, amount=3000.0)
        self._run(self._days(1))
        case = self._case(self.acme)
        plan = self.env["collection.payment.plan"].create(
            {
                "case_id": case.id,
                "date_start": self._days(1),
                "installment_ids": [
                    (0, 0, {"date": self._days(10), "amount": 1000.0}),
                    (0, 0, {"date": self._days(40), "amount": 2000.0}),
                ],
            }
        )
        self.assertEqual(plan.move_ids, invoice)
        self._pay(invoice, self._days(9), amount=1000.0)
        self._run(self._days(35))
        self.assertEqual(plan.state, "active")
        self.assertEqual(case.level_id, self.levels[1], "a plan on track suspends dunning")
        self.assertEqual(plan.installment_ids.mapped("amount_paid"), [1000.0, 0.0])
        self._run(self._days(41))
        self.assertEqual(plan.state, "broken")
        self.assertEqual(case.level_id, self.levels[30], "the missed installment resumes it")
