from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TwoCompanyWorldCommon


@tagged("post_install", "-at_install")
class TestCreditAlertDashboard(TwoCompanyWorldCommon):
    """The receivables dashboard shows the company's open warnings, and each opens its alert
    for those who may read warnings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a limit the customer's exposure is 90 % of: the 80 % rule fires, not the 100 % one
        customer = cls.customer.sudo().with_company(cls.company)
        customer.credit_limit = round(customer.credit_exposure / 0.9, 2)
        # the exposure rules only: the behavioural ones are the other tests' business
        Rule = cls.env["credit.alert.rule"]
        Rule.search([("kind", "!=", "exposure")]).active = False
        cls.env["credit.alert"].sudo().search([]).unlink()
        Rule._cron_evaluate_alerts(commit=False)
        cls.alert = cls.env["credit.alert"].search(
            [("partner_id", "=", cls.customer.id), ("company_id", "=", cls.company.id)]
        )

    def _dashboard(self, user):
        env = self.env(user=user, context={"allowed_company_ids": self.company.ids})
        return env["res.company"].get_receivables_dashboard("this_month"), env["res.company"]

    def test_the_open_warnings_by_severity_and_the_newest(self):
        self.assertEqual(
            self.alert.rule_id, self.env.ref("credit_collection.credit_alert_rule_exposure_80")
        )
        data, companies = self._dashboard(self.users["manager"])
        counts = {group["severity"]: group["count"] for group in data["alerts"]["by_severity"]}
        self.assertEqual(counts, {"high": 0, "medium": 1, "low": 0})
        (row,) = data["alerts"]["latest"]
        self.assertEqual((row["id"], row["customer"]), (self.alert.id, self.customer.display_name))
        self.assertTrue(data["alerts"]["can_open"])
        action = companies.action_open_receivables_dashboard_alerts(self.alert.id)
        self.assertEqual((action["res_model"], action["res_id"]), ("credit.alert", self.alert.id))
        # the other company's dashboard has none of them
        env = self.env(
            user=self.users["manager"], context={"allowed_company_ids": self.company_2.ids}
        )
        other = env["res.company"].get_receivables_dashboard("this_month")
        self.assertNotIn(self.alert.id, [r["id"] for r in other["alerts"]["latest"]])

    def test_an_accountant_sees_the_count_but_cannot_open_them(self):
        data, companies = self._dashboard(self.users["accountant"])
        self.assertFalse(data["alerts"]["can_open"])
        with self.assertRaises(AccessError):
            companies.action_open_receivables_dashboard_alerts()
        with self.assertRaises(AccessError):
            companies.action_open_receivables_dashboard_alerts(self.alert.id)
