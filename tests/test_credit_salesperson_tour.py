from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import new_role_user


@tagged("post_install", "-at_install")
class TestCreditSalespersonTour(HttpCase):
    def test_salesperson_sees_the_exposure_and_asks_for_an_approval(self):
        """In the browser, as a salesperson with only Sales / User: Own Documents, from the
        Sales app: the customer's credit tab shows the exposure and limit (the reviews the
        role may not read are hidden, not crashing the form); the quotation over the limit
        shows the banner, is refused and goes to a credit manager as a request."""
        company = self.env.company
        salesperson = new_role_user(self.env, "salesperson", "tour_salesperson", company)
        customer = self.env["res.partner"].create(
            {"name": "Salesperson Tour Customer", "is_company": True, "customer_rank": 1}
        )
        customer.with_company(company).credit_limit = 500.0
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "price_unit": 400.0, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        product = self.env["product.product"].create({"name": "Tour item", "taxes_id": []})
        order = (
            self.env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": customer.id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": 300.0})],
                }
            )
        )

        self.start_tour("/odoo", "credit_salesperson_tour", login=salesperson.login)
        self.assertIn(order.state, ("draft", "sent"))
        self.assertEqual(order.credit_approval_ids.state, "pending")
        self.assertEqual(order.credit_approval_ids.requester_id, salesperson)
