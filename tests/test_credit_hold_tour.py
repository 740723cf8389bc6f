from odoo.tests import HttpCase, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
class TestCreditHoldTour(CreditControlCommon, HttpCase):
    def test_manager_holds_the_customer_and_the_salesperson_is_refused(self):
        """In the browser: a credit manager puts the customer on hold from the Credit tab of
        its form; the salesperson's confirmation of its quotation is refused with the
        customer's name and the reason, and the order stays a quotation."""
        # a customer as created from a quotation or the Customers menu, so listed there
        self.customer.customer_rank = 1
        order = self._order(price=100.0, user_id=self.salesman.id)

        self.start_tour("/odoo", "credit_hold_set_tour", login=self.credit_manager.login)
        self.assertRecordValues(
            self.customer, [{"credit_hold": True, "credit_hold_reason": "Cheque returned unpaid"}]
        )

        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "credit_hold_confirm_refused_tour",
            login=self.salesman.login,
        )
        self.assertIn(order.state, ("draft", "sent"))
