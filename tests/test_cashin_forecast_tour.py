from datetime import timedelta

from odoo import fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import HttpCase, tagged

from .common import new_role_user, post_customer_invoice


@tagged("post_install", "-at_install")
class TestCashinForecastTour(AccountTestInvoicingCommon, HttpCase):
    def test_manager_reads_the_cash_in_forecast(self):
        """In the browser, as a credit manager with only their role's groups: Reporting >
        Cash-in Forecast opens the graph of the next weeks; the pivot shows the band beside
        the expected 500 of an invoice due in two weeks; the graph comes back."""
        today = fields.Date.today()
        company = self.company_data["company"]
        customer = self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        post_customer_invoice(
            self.env, customer, 500.0, today, due=today + timedelta(days=14), company=company
        )
        self.env["account.move"]._forecast_payments(company, today=today, commit=False)
        manager = new_role_user(self.env, "manager", "cashin_tour_manager", company)
        self.start_tour("/odoo", "credit_collection_cashin_forecast", login=manager.login)
