from odoo.tests import HttpCase, tagged

from .common import TwoCompanyWorldCommon


@tagged("post_install", "-at_install")
class TestCreditManagerCashAndWarningsTour(TwoCompanyWorldCommon, HttpCase):
    def test_credit_manager_reads_the_cash_in_forecast_then_acts_on_a_warning(self):
        """In the browser, as a credit manager holding only the role's groups: the nightly
        runs made the cash-in forecast and raised a warning (the customer is above its
        limit); the manager opens the forecast, then the warning, and puts the customer on
        hold from it."""
        self.env["account.move"]._forecast_payments(self.company, commit=False)
        self.assertTrue(
            self.env["credit.cashin.forecast"].search_count([("company_id", "=", self.company.id)])
        )
        customer = self.customer.with_company(self.company)
        customer.sudo().credit_limit = round(customer.credit_exposure / 1.2, 2)
        self.env["credit.alert.rule"]._cron_evaluate_alerts(commit=False)
        self.assertFalse(customer.credit_hold)

        self.start_tour(
            "/odoo", "credit_collection_cash_and_warnings", login=self.users["manager"].login
        )

        self.assertRecordValues(customer, [{"credit_hold": True, "credit_hold_origin": "manual"}])
        self.assertFalse(self.customer.with_company(self.company_2).credit_hold)
