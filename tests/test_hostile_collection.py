"""Forgeries and bad input against the collection side, each as a logged-in user could send
them over JSON-RPC: every one is refused and leaves nothing written."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .collection_world_common import CollectionWorldCommon


@tagged("post_install", "-at_install")
class TestHostileCollection(CollectionWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.acme, 4000.0)
        cls.invoice_2 = cls._invoice(cls.globex, 3000.0, company=cls.company_2)
        for company in (cls.company, cls.company_2):
            cls._run(cls._days(1), company)
        cls.case = cls.env["collection.case"].search([("partner_id", "=", cls.acme.id)])
        cls.case_2 = cls.env["collection.case"].search([("partner_id", "=", cls.globex.id)])
        covered = cls.invoice_2.amount_residual_signed  # EUR, company 2's currency
        cls.plan_2 = (
            cls.env["collection.payment.plan"]
            .sudo()  # setup: on the old code a collector could not link the invoices
            .create(
                {
                    "case_id": cls.case_2.id,
                    "date_start": cls.DUE,
                    "installment_ids": [
                        Command.create({"date": cls.DUE, "amount": covered - 1000.0}),
                        Command.create({"date": cls.DUE, "amount": 1000.0}),
                    ],
                }
            )
        )

    def _as(self, user, record):
        return record.with_user(user).with_company(user.company_id)

    # ------------------------------------------------------------
    # decisions forged
    # ------------------------------------------------------------

    def test_collector_cannot_close_a_case(self):
        with self.assertRaises(AccessError):
            self._as(self.collector, self.case).action_close()
        self.assertEqual(self.case.state, "in_progress")

    def test_no_written_off_case_without_write_off_entry(self):
        for user in (self.collector, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._as(user, self.case).write({"state": "written_off"})
        self.assertRecordValues(self.case, [{"state": "in_progress", "writeoff_move_id": False}])

    def test_case_figures_cannot_be_forged(self):
        for vals in ({"amount_due": 0.0}, {"priority": 1e12}, {"level_id": False}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self._as(self.collector, self.case).write(vals)
        self.assertEqual(self.case.amount_due, self.invoice.amount_residual_signed)

    def test_promise_cannot_be_written_kept(self):
        with freeze_time(self._days(1)):
            promise = self.env["collection.promise"].create(
                {"case_id": self.case.id, "amount": 100.0, "date_promised": self._days(10)}
            )
        with self.assertRaises(AccessError):
            self._as(self.collector, promise).write({"state": "kept", "amount_paid": 1e9})
        self.assertRecordValues(promise, [{"state": "open", "amount_paid": 0.0}])

    def test_plan_cannot_be_written_done(self):
        plan = self._as(self.collector_2, self.plan_2)
        with self.assertRaises(AccessError):
            plan.write({"state": "done"})
        with self.assertRaises(AccessError):
            plan.installment_ids[0].write({"amount_paid": 1e9})
        self.assertEqual(self.plan_2.state, "active")

    def test_letter_batch_and_notice_states_cannot_be_forged(self):
        notice = self.case.notice_ids[:1]
        with self.assertRaises(AccessError):
            self._as(self.manager, notice).write({"state": "queued"})
        self.assertEqual(notice.state, "sent")

    def test_collector_of_company_1_cannot_touch_company_2_installments(self):
        installment = self._as(self.collector, self.plan_2.installment_ids[0])
        with self.assertRaises(AccessError):
            installment.read(["amount"])
        with self.assertRaises(AccessError):
            installment.write({"amount": 1.0})
        with self.assertRaises(AccessError):
            installment.unlink()
        self.assertEqual(len(self.plan_2.installment_ids), 2)

    def test_plan_of_company_2_cannot_end_negative(self):
        """Its installments written one by one, the plan would end at -3,332."""
        installments = self._as(self.collector_2, self.plan_2).installment_ids
        total = self.plan_2.amount_total
        with self.assertRaises(ValidationError):
            installments[0].write({"amount": -3332.0 - installments[1].amount})
        self.assertEqual(self.plan_2.amount_total, total)

    def test_salesperson_reads_no_case_nor_log(self):
        for model in ("collection.case", "collection.log"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.salesman).search([])

    # ------------------------------------------------------------
    # disputes
    # ------------------------------------------------------------

    def _dispute(self, user=None, **vals):
        return self._as(user or self.collector, self.env["collection.dispute"]).create(
            {"case_id": self.case.id, "move_id": self.invoice.id, "amount": 100.0} | vals
        )

    def test_a_rejection_reason_is_not_rewritten_after_the_decision(self):
        dispute = self._dispute(rejection_reason="Delivered as ordered.")
        dispute.action_reject()
        for user in (self.collector, self.manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self._as(user, dispute).write({"rejection_reason": "Something else."})
        self.assertEqual(dispute.rejection_reason, "Delivered as ordered.")

    def test_dispute_at_most_what_is_open_on_the_invoice(self):
        invoice = self._invoice(self.acme, 8000.0, currency=self.company.currency_id)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 4000.0})._create_payments()
        for amount in (8000.0, 4000.01, 0.0, -5.0):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                self._dispute(move_id=invoice.id, amount=amount)
        self._dispute(move_id=invoice.id, amount=4000.0)

    def test_dispute_only_on_a_posted_invoice_of_the_case(self):
        draft = self.invoice.copy()
        refund = self.invoice._reverse_moves()
        refund.action_post()
        other_customer = self._invoice(self.globex, 500.0)
        for move in (draft, refund, other_customer, self.invoice_2):
            with self.subTest(move=move.display_name), self.assertRaises(ValidationError):
                self._dispute(user=self.manager, move_id=move.id, amount=10.0)
        self.assertFalse(self.case.dispute_ids)

    def test_dispute_in_the_invoice_currency_and_its_credit_note(self):
        """4,000 GBP are 2,000 USD: 3,000 can be disputed, and its credit note is 3,000 GBP."""
        dispute = self._dispute(amount=3000.0)
        self.assertEqual(dispute.currency_id, self.gbp)
        self._as(self.manager, dispute).action_resolve_credit_note()
        credit_note = dispute.credit_note_id
        self.assertRecordValues(
            credit_note,
            [{"currency_id": self.gbp.id, "amount_total": 3000.0, "create_uid": self.manager.id}],
        )

    # ------------------------------------------------------------
    # promises
    # ------------------------------------------------------------

    def test_invalid_promises_are_refused(self):
        owed = self.case.amount_due
        cases = {
            "in the past": {"date_promised": self._days(0)},
            "before its start": {"date_promised": self._days(5), "date_start": self._days(6)},
            "beyond the horizon": {"date_promised": self._days(92)},
            "nothing": {"amount": 0.0},
            "more than owed": {"amount": owed + 1.0},
        }
        with freeze_time(self._days(1)):
            for label, vals in cases.items():
                with self.subTest(label), self.assertRaises(ValidationError):
                    self.env["collection.promise"].create(
                        {"case_id": self.case.id, "amount": 100.0, "date_promised": self._days(10)}
                        | vals
                    )
        self.assertFalse(self.case.promise_ids)
        self.assertEqual(self.case.state, "in_progress")

    def test_no_promise_on_a_case_that_owes_nothing(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        with freeze_time(self._days(1)), self.assertRaises(UserError):
            self.env["collection.promise"].create(
                {"case_id": self.case.id, "amount": 100.0, "date_promised": self._days(10)}
            )
        self.assertEqual(self.case.state, "closed")
        self.assertFalse(self.case.promise_ids)

    # ------------------------------------------------------------
    # payment plans
    # ------------------------------------------------------------

    def _plan(self, installments, user=None, **vals):
        plans = self.env["collection.payment.plan"]
        return (self._as(user, plans) if user else plans).create(
            {
                "case_id": self.case.id,
                "date_start": self._days(1),
                "installment_ids": [
                    Command.create({"date": day, "amount": amount}) for day, amount in installments
                ],
            }
            | vals
        )

    def test_invalid_plans_are_refused(self):
        owed = self.invoice.amount_residual_signed  # 2,000 USD
        later = self._days(30)
        cases = {
            "no installment": [],
            "of 1": [(later, 1.0)],
            "of 1e9": [(later, 1e9)],
            "a negative installment": [(later, owed + 5000.0), (later, -5000.0)],
            "an installment before the start": [(self._days(0), owed)],
        }
        for label, installments in cases.items():
            with self.subTest(label), self.assertRaises(ValidationError):
                self._plan(installments)
        self.assertFalse(self.case.plan_ids)
        self._plan([(later, owed)], user=self.collector)

    def test_installment_created_alone_is_checked(self):
        plan = self._as(self.collector_2, self.plan_2)
        for amount in (-5000.0, 5000.0):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                self._as(self.collector_2, self.env["collection.payment.plan.installment"]).create(
                    {"plan_id": plan.id, "date": self._days(20), "amount": amount}
                )
        self.assertEqual(len(self.plan_2.installment_ids), 2)

    # ------------------------------------------------------------
    # aging bucket limits
    # ------------------------------------------------------------

    def test_aging_bucket_limits_out_of_range_or_huge(self):
        wizard = self.env["credit.aging.wizard"].create({})
        for text in ("99999999999", "30, 60, 40000", "x" * 10000):
            wizard.bucket_limits = text
            with self.subTest(text=text[:20]), self.assertRaises(UserError) as caught:
                wizard._get_limits()
            self.assertLess(len(str(caught.exception)), 300)
