from odoo.tests import HttpCase, new_test_user, tagged

from .aging_common import AgingWorldCommon


@tagged("post_install", "-at_install")
class TestCreditAgingTour(AgingWorldCommon, HttpCase):
    def test_accountant_opens_the_aging_analysis(self):
        """In the browser: menu, wizard as of a past date, pivot total, rows by collector,
        list grouped by bucket."""
        accountant = self._new_accountant("aging_accountant")
        collector = new_test_user(self.env, login="aging_chen", name="Chen Jing")
        self.partner_a.with_company(self.company).collection_user_id = collector
        self.start_tour("/odoo", "credit_collection_aging_analysis", login=accountant.login)
        wizard = self.env["credit.aging.wizard"].search([("create_uid", "=", accountant.id)])
        self.assertEqual(str(wizard.as_of_date), "2024-03-31")
        lines = self._analysis_lines(wizard.with_user(accountant))
        self.assertAlmostEqual(sum(lines.mapped("amount_residual")), 2200.0)
