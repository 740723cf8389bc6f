from odoo.tests import HttpCase, tagged

from .collection_common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionTour(CollectionCommon, HttpCase):
    def test_collector_logs_a_call_with_a_promise(self):
        customer = self._customer("Tour Customer")
        self._invoice(customer, due=self._days(-10))
        self._run(self._days(1))
        case = self._case(customer)
        self.assertEqual(case.user_id, self.collector)
        self.start_tour("/odoo", "credit_collection_log_call_promise", login="coll_collector")
        self.assertEqual(case.state, "promised")
        self.assertRecordValues(case.log_ids, [{"result": "promise", "contact_name": "Li Wei"}])
