from odoo.tests import HttpCase, tagged

from .appraisal_common import AppraisalWorldCommon


@tagged("post_install", "-at_install")
class TestCollectionAppraisalTour(AppraisalWorldCommon, HttpCase):
    def test_manager_ranks_the_collectors_and_opens_a_sheet(self):
        """In the browser: menu, period, ranking, one collector's sheet."""
        self.start_tour("/odoo", "credit_collection_collector_appraisal", login=self.manager.login)
        wizard = self.env["collection.appraisal.wizard"].search(
            [("create_uid", "=", self.manager.id)]
        )
        self.assertEqual((str(wizard.date_from), str(wizard.date_to)), ("2024-03-01", "2024-03-31"))
        self.assertEqual(
            wizard.line_ids.mapped("name"), ["Wang Fang", "Chen Jing", "Zhao Lei", "Unassigned"]
        )
