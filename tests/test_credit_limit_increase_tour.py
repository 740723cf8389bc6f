from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
class TestCreditLimitIncreaseTour(CreditControlCommon, HttpCase):
    def test_manager_raises_the_limit_and_the_salesperson_confirms(self):
        """In the browser: a quotation above the customer's limit is blocked; a credit
        manager grants a temporary increase from Credit Control, and the salesperson's
        confirmation then goes through."""
        self._set_limit(self.customer, 1000.0)
        order = self._order(price=1500.0, user_id=self.salesman.id)
        self.assertTrue(order.credit_exceeded)
        with self.assertRaisesRegex(UserError, "credit limit of Acme Trading Co. would be"):
            order.with_user(self.salesman).action_confirm()

        self.start_tour(
            "/odoo", "credit_limit_increase_grant_tour", login=self.credit_manager.login
        )
        increase = self.env["credit.limit.increase"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            increase,
            [
                {
                    "company_id": self.company.id,
                    "amount": 1000.0,
                    "reason": "Seasonal stock-up, paid in January",
                    "create_uid": self.credit_manager.id,
                    "active": True,
                }
            ],
        )
        # a month from the browser's today: valid now, whatever the time zones
        self.assertGreater(increase.date_end, fields.Date.today() + timedelta(days=25))
        self.assertEqual(self.customer.with_company(self.company).credit_limit_effective, 2000.0)

        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "credit_limit_increase_confirm_tour",
            login=self.salesman.login,
        )
        self.assertEqual(order.state, "sale")
