from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged

from ..models.credit_aging_line import CreditAgingLine
from .aging_common import AgingWorldCommon


@tagged("post_install", "-at_install")
class TestCreditAgingTour(AgingWorldCommon, HttpCase):
    def test_accountant_opens_the_aging_analysis(self):
        """In the browser: menu, wizard as of a past date, pivot total, rows by collector,
        list grouped by bucket, drill-down to the journal items. Every read of the rows ran
        on a read-only cursor (the replica's, when Odoo has one)."""
        accountant = self._new_accountant("aging_accountant")
        collector = new_test_user(self.env, login="aging_chen", name="Chen Jing")
        self.partner_a.with_company(self.company).collection_user_id = collector
        cursors = []
        original = CreditAgingLine._get_analysis_params

        def spy(lines):
            cursors.append(lines.env.cr.readonly)
            return original(lines)

        with patch.object(CreditAgingLine, "_get_analysis_params", spy):
            self.start_tour("/odoo", "credit_collection_aging_analysis", login=accountant.login)
        self.assertTrue(cursors)
        self.assertTrue(all(cursors), "every read of the analysis ran on a read-only cursor")
        wizard = self.env["credit.aging.wizard"].search([("create_uid", "=", accountant.id)])
        self.assertEqual(str(wizard.as_of_date), "2024-03-31")
        lines = self._analysis_lines(wizard.with_user(accountant))
        self.assertAlmostEqual(sum(lines.mapped("amount_residual")), 2200.0)
