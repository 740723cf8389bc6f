from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import format_amount

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
class TestCreditCheck(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_limit(cls.customer, 1000.0)
        cls._invoice(600.0)

    def _confirm(self, order):
        order.with_user(self.salesman).action_confirm()

    def test_exposure_up_to_the_limit_passes(self):
        order = self._order(price=400.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_exposure_over_the_limit_blocks_with_numbers_and_next_step(self):
        order = self._order(price=400.01)
        with self.assertRaises(UserError) as error:
            self._confirm(order)
        message = str(error.exception)
        self.assertEqual(order.state, "draft")
        self.assertIn(order.name, message)
        self.assertIn("Acme Trading Co.", message)
        for amount in (0.01, 1000.01, 1000.0, 400.01):
            self.assertIn(self._money(amount), message)
        self.assertIn("Request a credit approval", message)

    def _money(self, amount):
        return format_amount(self.env, amount, self.currency)

    def test_confirmed_orders_and_payments_move_the_limit(self):
        self._order(price=300.0).action_confirm()
        with self.assertRaises(UserError):
            self._confirm(self._order(price=100.01))
        self._pay(self.customer.invoice_ids, 600.0)
        order = self._order(price=700.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_a_batch_counts_all_its_orders(self):
        orders = self._order(price=250.0) | self._order(price=250.0)
        with self.assertRaises(UserError):
            self._confirm(orders)
        self.assertEqual(set(orders.mapped("state")), {"draft"})

    def test_contact_order_uses_company_limit(self):
        with self.assertRaises(UserError):
            self._confirm(self._order(partner=self.contact, price=500.0))

    def test_customer_without_limit_is_not_checked(self):
        other = self.env["res.partner"].create({"name": "No Limit Ltd", "is_company": True})
        order = self._order(partner=other, price=1_000_000.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_company_default_limit_for_customers_without_one(self):
        other = self.env["res.partner"].create({"name": "New Ltd", "is_company": True})
        self.company.credit_default_limit = 500.0
        self._confirm(self._order(partner=other, price=500.0))
        with self.assertRaises(UserError):
            self._confirm(self._order(partner=other, price=0.01))

    def test_check_off(self):
        self.company.credit_check_mode = "off"
        order = self._order(price=5000.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_warn_only_confirms_and_tells_the_chatter(self):
        self.company.credit_check_mode = "warn"
        order = self._order(price=5000.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")
        self.assertIn("warn-only", order.message_ids[0].body)
        self.assertIn("4,600.00", order.message_ids[0].body)

    def test_warn_only_without_excess_posts_nothing(self):
        self.company.credit_check_mode = "warn"
        order = self._order(price=100.0)
        messages = order.message_ids
        self._confirm(order)
        self.assertFalse((order.message_ids - messages).filtered(lambda m: "warn-only" in m.body))

    def _grade(self, **values):
        grade = self.env["credit.grade"].create(
            {"code": "T", "name": "Test grade", "min_score": 0.0, **values}
        )
        self.customer.sudo().credit_grade_id = grade
        return grade

    def test_grade_blocking_new_sales_blocks_within_the_limit(self):
        self._grade(block_new_sales=True)
        order = self._order(price=100.0)
        with self.assertRaises(UserError) as error:
            self._confirm(order)
        self.assertIn("credit grade", str(error.exception))
        self.assertEqual(order.state, "draft")

    def test_grade_not_blocking_new_sales_lets_the_order_through(self):
        self._grade(block_new_sales=False)
        order = self._order(price=100.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_warn_grade_confirms_over_the_limit(self):
        self._grade(check_mode="warn")
        order = self._order(price=5000.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")
        self.assertIn("warn-only", order.message_ids[0].body)

    def test_grade_cannot_switch_on_a_check_the_company_switched_off(self):
        self.company.credit_check_mode = "off"
        self._grade(check_mode="block")
        order = self._order(price=5000.0)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_hold_blocks_even_in_warn_mode(self):
        self.company.credit_check_mode = "warn"
        self.customer.with_user(self.credit_manager).write(
            {"credit_hold": True, "credit_hold_reason": "Cheque bounced"}
        )
        with self.assertRaises(UserError) as error:
            self._confirm(self._order(price=1.0))
        self.assertIn("Cheque bounced", str(error.exception))


@tagged("post_install", "-at_install")
class TestCreditCheckMultiCurrency(CreditControlCommon):
    """A company in CNY, a customer limited to 7,000 CNY, an order in USD (1 USD = 8 CNY)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny, usd = cls.env.ref("base.CNY"), cls.env.ref("base.USD")
        cny.active = usd.active = True
        cls.cny_company = cls.setup_other_company(name="Shanghai Trading", currency_id=cny.id)[
            "company"
        ]
        cls.env["res.currency.rate"].create(
            [
                {"name": fields.Date.today(), "rate": rate, "currency_id": currency.id}
                | {"company_id": cls.cny_company.id}
                for currency, rate in ((usd, 0.125), (cny, 1.0))
            ]
        )
        cls.usd_pricelist = cls.env["product.pricelist"].create(
            {"name": "USD", "currency_id": usd.id, "company_id": cls.cny_company.id}
        )
        cls._set_limit(cls.customer, 7000.0, company=cls.cny_company)

    def _usd_order(self, price):
        return (
            self.env["sale.order"]
            .with_company(self.cny_company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.cny_company.id,
                    "pricelist_id": self.usd_pricelist.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.item.id, "price_unit": price, "tax_ids": []}
                        )
                    ],
                }
            )
        )

    def test_usd_order_up_to_the_cny_limit_passes(self):
        order = self._usd_order(875.0)
        self.assertEqual(order.currency_id, self.env.ref("base.USD"))
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_usd_order_over_the_cny_limit_blocks_in_cny(self):
        order = self._usd_order(875.01)
        with self.assertRaises(UserError) as error:
            order.action_confirm()
        message = str(error.exception)
        self.assertIn(format_amount(self.env, 7000.0, self.cny_company.currency_id), message)
        self.assertIn(format_amount(self.env, 0.08, self.cny_company.currency_id), message)

    def test_limit_of_the_main_company_does_not_apply(self):
        self._set_limit(self.customer, 1.0)
        order = self._usd_order(100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestCreditOverdueCheck(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"credit_check_overdue": True, "credit_overdue_days": 30, "credit_overdue_amount": 50.0}
        )
        cls.today = fields.Date.today()

    def _confirm_new_order(self):
        order = self._order(price=10.0)
        order.with_user(self.salesman).action_confirm()
        return order

    def test_overdue_within_tolerance_days_passes(self):
        self._invoice(500.0, invoice_date=self.today - timedelta(days=30))
        self.assertEqual(self._confirm_new_order().state, "sale")

    def test_overdue_beyond_tolerance_days_blocks(self):
        self._invoice(500.0, invoice_date=self.today - timedelta(days=31))
        with self.assertRaises(UserError) as error:
            self._confirm_new_order()
        self.assertIn("overdue by more than 30 days", str(error.exception))

    def test_overdue_up_to_tolerance_amount_passes(self):
        self._invoice(50.0, invoice_date=self.today - timedelta(days=60))
        self.assertEqual(self._confirm_new_order().state, "sale")

    def test_overdue_above_tolerance_amount_blocks(self):
        self._invoice(50.01, invoice_date=self.today - timedelta(days=60))
        with self.assertRaises(UserError):
            self._confirm_new_order()

    def test_paying_the_overdue_releases(self):
        invoice = self._invoice(500.0, invoice_date=self.today - timedelta(days=60))
        self._pay(invoice, 460.0)
        self.assertEqual(self._confirm_new_order().state, "sale")

    def test_overdue_check_switched_off(self):
        self.company.credit_check_overdue = False
        self._invoice(500.0, invoice_date=self.today - timedelta(days=60))
        self.assertEqual(self._confirm_new_order().state, "sale")


@tagged("post_install", "-at_install")
class TestCreditCheckQueries(CreditControlCommon):
    def _check_queries(self, order, count):
        # warm the registry caches (access rules, groups) on cold records, then count
        order.env.invalidate_all()
        order._get_credit_check_data()
        order.env.invalidate_all()
        with self.assertQueryCount(count):
            order._get_credit_check_data()

    def test_query_count_does_not_grow_with_history(self):
        self._set_limit(self.customer, 1_000_000.0)
        self.company.credit_check_overdue = True
        order = self._order(price=10.0)
        self._check_queries(order, 13)
        for _i in range(5):
            self._invoice(100.0)
            self._invoice(100.0, post=False)
            self._order(partner=self.contact, price=100.0).action_confirm()
        self._check_queries(order, 13)

    def _confirmation_queries(self, order):
        """The SQL queries of confirming ``order``, in order (Odoo's own query recorder)."""
        order.env.invalidate_all()
        with contextmanager(self._patchExecute)([]) as queries:
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        return queries

    def _exposure_queries(self, queries):
        return [query for query in queries if "'draft_invoices'" in query]

    def _lock_queries(self, queries):
        return [query for query in queries if "SET write_date = write_date" in query]

    def _with_history(self):
        for _i in range(3):
            self._invoice(100.0)
            self._invoice(100.0, post=False)
            self._order(partner=self.contact, price=100.0).action_confirm()

    def _warm_up(self):
        """One checked confirmation first, so that the registry caches (the salesperson's
        groups and access rules) are warm in every counted one."""
        other = self.env["res.partner"].create({"name": "Warm-up Ltd", "is_company": True})
        self._set_limit(other, 1_000_000.0)
        self._confirmation_queries(self._order(partner=other))

    def test_check_off_runs_no_exposure_query(self):
        self._with_history()
        self._set_limit(self.customer, 1_000_000.0)
        self.company.credit_check_overdue = True
        self._warm_up()
        checked = self._confirmation_queries(self._order(price=10.0))
        self.assertEqual(len(self._exposure_queries(checked)), 1, "the check reads the exposure")
        self.assertEqual(len(self._lock_queries(checked)), 1, "after locking the customer")

        self.company.credit_check_mode = "off"
        unchecked = self._confirmation_queries(self._order(price=10.0))
        self.assertFalse(self._exposure_queries(unchecked))
        self.assertFalse(self._lock_queries(unchecked), "nothing to serialize")
        self.assertLess(len(unchecked), len(checked))

    def test_customer_without_limit_or_overdue_rule_runs_no_exposure_query(self):
        self._with_history()
        self.company.credit_check_overdue = False
        self._warm_up()
        queries = self._confirmation_queries(self._order(price=1_000_000.0))
        self.assertFalse(self._exposure_queries(queries))
        self.assertFalse(self._lock_queries(queries))

    def test_check_off_gathers_in_fewer_queries_whatever_the_history(self):
        self._set_limit(self.customer, 1_000_000.0)
        self.company.write({"credit_check_mode": "off", "credit_check_overdue": True})
        order = self._order(price=10.0)
        self._check_queries(order, 6)
        self._with_history()
        self._check_queries(order, 6)


@tagged("post_install", "-at_install")
class TestCreditCheckOnInvoice(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_limit(cls.customer, 1000.0)
        cls._invoice(600.0)
        cls.company.credit_check_invoice = True

    def test_invoice_within_the_limit_posts(self):
        invoice = self._invoice(400.0)
        self.assertEqual(invoice.state, "posted")

    def test_invoice_over_the_limit_is_refused(self):
        invoice = self._invoice(400.01, post=False)
        with self.assertRaises(UserError) as error:
            invoice.action_post()
        self.assertIn("Acme Trading Co.", str(error.exception))
        self.assertEqual(invoice.state, "draft")

    def test_setting_off_posts_anyway(self):
        self.company.credit_check_invoice = False
        self.assertEqual(self._invoice(5000.0).state, "posted")
