"""One customer, two companies in two currencies, invoiced in a third: each company keeps
its own grade, score, review dates and hold."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_credit_review import CreditEvaluationCommon


@tagged("post_install", "-at_install")
class TestCreditFilePerCompany(CreditEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.env.ref("base.CNY")
        cny.active = True
        cls.eur = cls.setup_other_currency("EUR")
        cls.company_2 = cls.setup_other_company(name="Shanghai Trading", currency_id=cny.id)[
            "company"
        ]
        cls.companies = cls.company | cls.company_2
        cls.credit_manager.write(
            {"company_ids": [Command.set(cls.companies.ids)], "company_id": cls.company.id}
        )
        for company in cls.companies:
            company.credit_start_grade_id = cls.grades["C"]
        cls.both = cls._customer("Both Sides Ltd.")
        cls.local = cls._customer("Company One Only Ltd.")
        for days_ago in (240, 180):
            cls._invoice_and_pay(cls.both, days_ago, paid_after_due=-5)
            cls._invoice_and_pay(cls.local, days_ago, paid_after_due=-5)
        cls.overdue_invoice = cls.init_invoice(
            "out_invoice",
            partner=cls.both,
            invoice_date=cls.today,
            amounts=[800.0],
            taxes=[],
            company=cls.company_2,
            currency=cls.eur,
            post=True,
        )
        cls.overdue_invoice.line_ids.filtered("date_maturity").date_maturity = cls.today.replace(
            year=cls.today.year - 1
        )

    def _run_cron(self):
        # the planner records the day's batches and runs them here, nothing committed
        self.env["credit.review"].sudo()._cron_reevaluate(commit=False)
        self.env.invalidate_all()
        return self.env["credit.review"].search(
            [("partner_id", "in", (self.both | self.local).ids)]
        )

    def _file(self, partner, company):
        partner = partner.with_company(company).sudo()
        return (partner.credit_grade_id, partner.credit_score, partner.credit_last_review_date)

    def test_each_company_grades_its_own_customers_once_a_day(self):
        reviews = self._run_cron()
        self.assertEqual(
            {(r.partner_id, r.company_id) for r in reviews},
            {(self.both, self.company), (self.both, self.company_2), (self.local, self.company)},
            "no history, no review: the local customer is none of company 2's business",
        )
        self.assertEqual(set(reviews.mapped("state")), {"to_approve"}, "first evaluations")
        reviews.filtered(lambda r: r.company_id == self.company).with_user(
            self.credit_manager
        ).action_approve()
        self.assertTrue(self._file(self.both, self.company)[0])
        self.assertFalse(self._file(self.both, self.company_2)[0], "company 2 has not decided")
        reviews.filtered(lambda r: r.company_id == self.company_2).with_user(
            self.credit_manager
        ).action_approve()
        self.assertTrue(self._file(self.both, self.company_2)[0])
        files = {(p, c): self._file(p, c) for p in (self.both, self.local) for c in self.companies}
        self.assertEqual(self._run_cron(), reviews, "a second run the same day opens nothing")
        self.assertEqual(
            {(p, c): self._file(p, c) for p in (self.both, self.local) for c in self.companies},
            files,
        )
        # the grade's customers are counted in the env company
        grade = self._file(self.local, self.company)[0]
        self.assertGreaterEqual(grade.with_company(self.company).partner_count, 1)

    def _order(self, company):
        return (
            self.env["sale.order"]
            .with_company(company)
            .sudo()
            .create(
                {
                    "partner_id": self.both.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create({"product_id": self.product_a.id, "price_unit": 10.0})
                    ],
                }
            )
        )

    def test_hold_in_one_company_then_in_all(self):
        manager = self.both.with_user(self.credit_manager)
        manager.with_company(self.company).write(
            {"credit_hold": True, "credit_hold_reason": "Cheque bounced"}
        )
        order_1, order_2 = self._order(self.company), self._order(self.company_2)
        # read from the other company, the order still shows its own company's hold
        self.assertTrue(order_1.with_company(self.company_2).credit_hold)
        self.assertFalse(order_2.with_company(self.company).credit_hold)
        with self.assertRaisesRegex(UserError, "Cheque bounced"):
            order_1.with_company(self.company_2).action_confirm()
        order_2.action_confirm()
        self.assertEqual(order_2.state, "sale", "company 2 has no hold")
        manager.with_company(self.company).action_credit_hold_all_companies()
        customer_2 = self.both.with_company(self.company_2).sudo()
        self.assertTrue(customer_2.credit_hold)
        self.assertEqual(customer_2.credit_hold_reason, "Cheque bounced")
        self.assertEqual(customer_2.credit_hold_origin, "manual")

    def test_dunning_hold_is_lifted_when_nothing_is_overdue(self):
        level = self.env.ref("credit_collection.collection_level_call")
        customer = self.both.with_company(self.company_2)
        customer._put_on_collection_hold(level)
        self.assertEqual(customer.sudo().credit_hold_origin, "dunning")
        self.assertFalse(self.both.with_company(self.company).credit_hold, "company 2 only")
        customer._release_collection_holds()
        self.assertTrue(customer.credit_hold, "still overdue")
        self._pay_overdue()
        customer._release_collection_holds()
        self.assertFalse(customer.credit_hold)
        self.assertIn("dunning run is lifted", customer.message_ids[0].body)

    def test_dunning_hold_changed_by_hand_is_the_managers_to_lift(self):
        level = self.env.ref("credit_collection.collection_level_call")
        customer = self.both.with_company(self.company_2)
        customer._put_on_collection_hold(level)
        customer.with_user(self.credit_manager).write(
            {"credit_hold_reason": "Also a dispute on the last delivery"}
        )
        self.assertEqual(customer.sudo().credit_hold_origin, "dunning_changed")
        self._pay_overdue()
        customer._release_collection_holds()
        customer._release_collection_holds()
        self.assertTrue(customer.credit_hold, "left to the credit manager")
        todo = customer.activity_ids.filtered(lambda a: a.user_id == self.credit_manager)
        self.assertEqual(len(todo), 1, "one to-do, however often the case is refreshed")

    def test_managers_own_hold_is_never_lifted_nor_questioned(self):
        customer = self.both.with_company(self.company_2)
        customer.with_user(self.credit_manager).write(
            {"credit_hold": True, "credit_hold_reason": "Cheque bounced"}
        )
        self._pay_overdue()
        customer._release_collection_holds()
        self.assertTrue(customer.credit_hold)
        self.assertEqual(customer.sudo().credit_hold_origin, "manual")
        self.assertFalse(
            customer.activity_ids.filtered(lambda a: a.user_id == self.credit_manager),
            "a hold the manager set for their own reasons is theirs: no to-do to release it",
        )

    def _pay_overdue(self):
        self.env["account.payment.register"].with_company(self.company_2).with_context(
            active_model="account.move", active_ids=self.overdue_invoice.ids
        ).create({})._create_payments()
