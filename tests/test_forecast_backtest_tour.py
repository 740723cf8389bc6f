from datetime import date, timedelta

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import HttpCase, tagged

from .common import new_role_user, post_customer_invoice, register_payment


@tagged("post_install", "-at_install")
class TestForecastBacktestTour(AccountTestInvoicingCommon, HttpCase):
    def test_credit_manager_backtests_the_payment_forecast(self):
        """In the browser: Reporting > Payment Forecast Backtest, a cut-off date, Run: the
        figures of the company's own paid invoices. Two customers invoiced monthly in 2025
        on 30-day terms: one pays in 25 days, the other in 35 (5 days from the due date
        either way)."""
        company = self.company_data["company"]
        for name, days in (("Tour Prompt Co", 25), ("Tour Slow Co", 35)):
            customer = self.env["res.partner"].create({"name": name, "is_company": True})
            for month in range(1, 13):
                day = date(2025, month, 1)
                invoice = post_customer_invoice(
                    self.env, customer, 1000.0, day, due=day + timedelta(days=30)
                )
                register_payment(self.env, invoice, day + timedelta(days=days))
        manager = new_role_user(self.env, "manager", "backtest_tour_manager", company)
        self.start_tour("/odoo", "credit_collection_forecast_backtest", login=manager.login)
        wizard = (
            self.env["credit.forecast.backtest.wizard"]
            .sudo()
            .search([("create_uid", "=", manager.id)])
        )
        self.assertEqual(wizard.date_split, date(2025, 7, 1))
        self.assertRecordValues(
            wizard,
            [{"n": 12, "mae_days_due_date_baseline": 5.0, "mae_days": 0.0, "late_accuracy": 1.0}],
        )
