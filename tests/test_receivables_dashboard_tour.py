from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import HttpCase, tagged

from .common import new_role_user


@tagged("post_install", "-at_install")
class TestReceivablesDashboardTour(AccountTestInvoicingCommon, HttpCase):
    def test_manager_drills_down_from_a_bucket(self):
        """In the browser, as a credit manager with only their role's groups: the menu opens
        the dashboard on this month; a KPI card shows the receivables (1,000 due 45 days ago
        + 500 invoiced today), the 31-60 bucket opens the list of the one item in it."""
        today = fields.Date.today()
        customer = self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        for invoice_date, due, amount in (
            (today - timedelta(days=75), today - timedelta(days=45), 1000.0),
            (today, today + timedelta(days=30), 500.0),
        ):
            invoice = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            )
            invoice.action_post()
        manager = new_role_user(
            self.env, "manager", "dash_tour_manager", self.company_data["company"]
        )
        self.start_tour("/odoo", "credit_collection_receivables_dashboard", login=manager.login)
