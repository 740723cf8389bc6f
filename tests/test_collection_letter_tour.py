from odoo.tests import HttpCase, tagged

from .collection_common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionLetterTour(CollectionCommon, HttpCase):
    def test_collector_posts_the_days_letters(self):
        """The run puts the letter into the collector's batch; the collector finds it under
        Collections, checks it and marks it posted, which closes their to-do."""
        self._invoice(self.acme)
        self._run(self._days(14))
        self._run(self._days(15))
        batch = self.env["collection.letter.batch"].search([])
        self.assertRecordValues(batch, [{"user_id": self.collector.id, "state": "to_send"}])
        self.assertEqual(batch.activity_ids.user_id, self.collector)
        self.start_tour("/odoo", "credit_collection_letter_batch_posted", login="coll_collector")
        self.assertEqual(batch.state, "sent")
        self.assertFalse(batch.activity_ids, "the collector's to-do is done")
