from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCreditApprovalTour(HttpCase):
    """In the browser: blocked confirmation, request, approval by a manager, confirmation."""

    def test_credit_approval_tour(self):
        company = self.env.company
        company.credit_check_mode = "block"
        salesman = new_test_user(
            self.env,
            login="tour_salesman",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            company_id=company.id,
        )
        manager = new_test_user(
            self.env,
            login="tour_manager",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "credit_collection.group_credit_manager",
            company_id=company.id,
        )
        customer = self.env["res.partner"].create(
            {"name": "Credit Tour Customer", "is_company": True}
        )
        customer.with_company(company).credit_limit = 100.0
        product = self.env["product.product"].create({"name": "Tour item", "taxes_id": []})
        order = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": customer.id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": 500.0})],
                }
            )
        )
        order_url = f"/odoo/action-sale.action_orders/{order.id}"

        self.start_tour(order_url, "credit_approval_request_tour", login=salesman.login)
        request = order.credit_approval_ids
        self.assertEqual(request.state, "pending")

        self.start_tour(
            f"/odoo/action-credit_collection.action_credit_approval_request/{request.id}",
            "credit_approval_approve_tour",
            login=manager.login,
        )
        self.assertEqual(request.state, "approved")

        self.start_tour(order_url, "credit_approval_confirm_tour", login=salesman.login)
        self.assertEqual(order.state, "sale")
        self.assertEqual(request.state, "used")
