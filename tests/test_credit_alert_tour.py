from odoo.tests import HttpCase, tagged

from .common import TwoCompanyWorldCommon


@tagged("post_install", "-at_install")
class TestCreditAlertTour(TwoCompanyWorldCommon, HttpCase):
    def test_credit_manager_holds_a_customer_from_its_early_warning(self):
        """In the browser: the daily run raised a warning that the customer is above its
        credit limit; a credit manager (only the role's groups) opens Early Warnings from the
        menu, opens the warning and puts the customer on hold from it, and the customer's
        form shows the hold."""
        customer = self.customer.with_company(self.company)
        customer.sudo().credit_limit = round(customer.credit_exposure / 1.2, 2)
        self.env["credit.alert.rule"]._cron_evaluate_alerts(commit=False)
        alert = self.env["credit.alert"].search(
            [
                ("partner_id", "=", self.customer.id),
                (
                    "rule_id",
                    "=",
                    self.env.ref("credit_collection.credit_alert_rule_exposure_100").id,
                ),
            ]
        )
        self.assertEqual(len(alert), 1)
        self.assertFalse(customer.credit_hold)

        self.start_tour("/odoo", "credit_alert_hold_tour", login=self.users["manager"].login)

        self.assertRecordValues(customer, [{"credit_hold": True, "credit_hold_origin": "manual"}])
        self.assertIn("Exposure above the credit limit", customer.credit_hold_reason)
        self.assertFalse(self.customer.with_company(self.company_2).credit_hold)
