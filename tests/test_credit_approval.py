from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
class TestCreditApproval(CreditControlCommon):
    """Limit 1,000, open invoice 600: an order of 500 is blocked by 100."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_limit(cls.customer, 1000.0)
        cls._invoice(600.0)
        cls.other_manager = mail_new_test_user(
            cls.env,
            login="cc_manager_2",
            name="Max Manager",
            groups="base.group_user,credit_collection.group_credit_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def setUp(self):
        super().setUp()
        self.order = self._order(price=500.0).with_user(self.salesman)

    def _request(self, order=None, reason="Strategic customer, pays on Friday"):
        order = order or self.order
        wizard = (
            self.env["credit.approval.request.wizard"]
            .with_user(order.env.user)
            .create({"order_id": order.id, "reason": reason})
        )
        wizard.action_request()
        return order.credit_approval_ids[:1]

    def test_request_records_the_numbers_and_asks_the_managers(self):
        request = self._request()
        self.assertRecordValues(
            request,
            [
                {
                    "state": "pending",
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "amount": 500.0,
                    "exposure": 1100.0,
                    "limit": 1000.0,
                    "excess": 100.0,
                    "requester_id": self.salesman.id,
                    "reason": "Strategic customer, pays on Friday",
                }
            ],
        )
        self.assertIn(self.credit_manager, request.activity_ids.user_id)
        self.assertNotIn(self.salesman, request.activity_ids.user_id)
        self.assertIn("Strategic customer", self.order.message_ids[0].body)

    def test_approve_then_confirm_once(self):
        request = self._request()
        request.with_user(self.credit_manager).action_approve()
        self.assertEqual(request.approver_id, self.credit_manager)
        self.assertFalse(request.activity_ids, "the managers' to-dos are closed")
        self.assertIn("granted", self.order.message_ids[0].body)
        self.order.action_confirm()
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(request.state, "used")
        with self.assertRaises(UserError, msg="the approval released one order only"):
            self._order(price=1.0).with_user(self.salesman).action_confirm()

    def test_refuse_with_reason(self):
        request = self._request()
        action = request.with_user(self.credit_manager).action_refuse_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.credit_manager)
            .with_context(**action["context"])
            .create({"reason": "Too many unpaid invoices"})
        )
        wizard.action_refuse()
        self.assertRecordValues(
            request, [{"state": "refused", "refuse_reason": "Too many unpaid invoices"}]
        )
        self.assertIn("Too many unpaid invoices", self.order.message_ids[0].body)
        with self.assertRaises(UserError):
            self.order.action_confirm()

    def test_nobody_approves_their_own_request(self):
        order = self._order(price=500.0).with_user(self.credit_manager)
        request = self._request(order)
        with self.assertRaises(UserError):
            request.with_user(self.credit_manager).action_approve()
        request.with_user(self.other_manager).action_approve()
        self.assertEqual(request.state, "approved")

    def test_salesman_cannot_approve(self):
        request = self._request()
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).write({"state": "approved"})
        self.assertEqual(request.state, "pending")

    def test_raising_the_order_voids_the_approval(self):
        request = self._request()
        request.with_user(self.credit_manager).action_approve()
        self.order.order_line.price_unit = 500.01
        self.assertEqual(request.state, "void")
        with self.assertRaises(UserError):
            self.order.action_confirm()

    def test_adding_a_line_voids_the_approval(self):
        request = self._request()
        request.with_user(self.credit_manager).action_approve()
        self.order.write(
            {"order_line": [Command.create({"product_id": self.item.id, "price_unit": 0.01})]}
        )
        self.assertEqual(request.state, "void")

    def test_lowering_the_order_keeps_the_approval(self):
        request = self._request()
        request.with_user(self.credit_manager).action_approve()
        self.order.order_line.price_unit = 450.0
        self.assertEqual(request.state, "approved")
        self.order.action_confirm()
        self.assertEqual(self.order.state, "sale")

    def test_requests_expire(self):
        request = self._request()
        self.assertEqual(request.date_expiry, fields.Date.today() + timedelta(days=7))
        request.sudo().date_expiry = fields.Date.today() - timedelta(days=1)
        self.env["credit.approval.request"]._expire_past_requests()
        self.assertEqual(request.state, "expired")
        with self.assertRaises(UserError):
            request.with_user(self.credit_manager).action_approve()

    def test_expiry_posts_in_both_chatters(self):
        request = self._request()
        request.sudo().date_expiry = fields.Date.today() - timedelta(days=1)
        self.env["credit.approval.request"]._expire_past_requests()
        self.assertIn("expired", request.message_ids[0].body)
        self.assertIn("expired", self.order.message_ids[0].body)

    def test_approval_holds_up_to_its_last_day(self):
        request = self._request()
        request.with_user(self.credit_manager).action_approve()
        request.sudo().date_expiry = fields.Date.today()
        self.order.action_confirm()
        self.assertEqual(self.order.state, "sale")

    def test_approval_past_its_date_no_longer_releases_even_before_the_cron(self):
        request = self._request()
        request.with_user(self.credit_manager).action_approve()
        request.sudo().date_expiry = fields.Date.today() - timedelta(days=1)
        with self.assertRaises(UserError):
            self.order.action_confirm()
        self.assertEqual(request.state, "approved", "the cron has not run yet")

    def test_approval_releases_the_overdue_rule_too(self):
        self.company.write(
            {"credit_check_overdue": True, "credit_overdue_days": 0, "credit_overdue_amount": 0.0}
        )
        self._invoice(10.0, invoice_date=fields.Date.today() - timedelta(days=5))
        order = self._order(price=10.0).with_user(self.salesman)
        request = self._request(order)
        request.with_user(self.credit_manager).action_approve()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_approval_never_releases_a_hold(self):
        request = self._request()
        request.with_user(self.credit_manager).action_approve()
        self.customer.with_user(self.credit_manager).write(
            {"credit_hold": True, "credit_hold_reason": "Cheque bounced"}
        )
        with self.assertRaises(UserError):
            self.order.action_confirm()
        self.assertEqual(request.state, "approved")

    def test_an_order_within_the_rules_needs_no_approval(self):
        with self.assertRaises(UserError):
            self._request(self._order(price=10.0).with_user(self.salesman))

    def test_one_open_request_per_order(self):
        self._request()
        with self.assertRaises(UserError):
            self._request()


@tagged("post_install", "-at_install")
class TestCreditLimitIncrease(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_limit(cls.customer, 1000.0)
        cls._invoice(600.0)
        cls.today = fields.Date.today()

    def _grant(self, amount, date_end, user=None):
        return (
            self.env["credit.limit.increase"]
            .with_user(user or self.credit_manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "amount": amount,
                    "date_end": date_end,
                }
            )
        )

    def _confirm(self, price):
        order = self._order(price=price)
        order.with_user(self.salesman).action_confirm()
        return order

    def test_valid_increase_raises_the_limit_to_its_last_day(self):
        self._grant(200.0, self.today)
        self.assertEqual(self._confirm(600.0).state, "sale")
        self.assertEqual(self.customer.with_company(self.company).credit_limit_effective, 1200.0)

    def test_increase_is_not_more_than_granted(self):
        self._grant(200.0, self.today)
        with self.assertRaises(UserError):
            self._confirm(600.01)

    def test_ended_increase_no_longer_counts(self):
        yesterday = self.today - timedelta(days=1)
        with freeze_time(yesterday):
            increase = self._grant(200.0, yesterday)
        with self.assertRaises(UserError):
            self._confirm(600.0)
        self.env["credit.limit.increase"]._archive_ended()
        self.assertFalse(increase.active)

    def test_salesman_cannot_raise_a_limit(self):
        with self.assertRaises(AccessError):
            self._grant(200.0, self.today, user=self.salesman)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).with_company(self.company).write(
                {"credit_limit": 5000.0}
            )
