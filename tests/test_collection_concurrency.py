from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCollectionConcurrency(TransactionCase):
    """Two cron workers whose snapshots overlap: the second one fails and retries, and the
    customer still receives one email. Runs on committed data in cursors of its own."""

    def _worker(self):
        cr = self.registry.cursor()
        cr.execute("SET lock_timeout = '10s'")
        return api.Environment(cr, SUPERUSER_ID, {})

    def _mails(self, env, partner):
        return env["mail.mail"].search_count(
            [("model", "=", "collection.case"), ("recipient_ids", "in", partner.ids)]
        )

    def test_two_workers_at_once_send_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {
                    "name": "Concurrent Customer",
                    "is_company": True,
                    "email": "ap@concurrent.example.com",
                }
            )
            move = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.today() - timedelta(days=40),
                    "invoice_date_due": fields.Date.today() - timedelta(days=5),
                    "invoice_line_ids": [Command.create({"name": "Goods", "price_unit": 100.0})],
                }
            )
            move.action_post()
            partner_id, move_id = partner.id, move.id
        try:
            first, second = self._worker(), self._worker()
            for env in (first, second):  # both snapshots taken before either commits
                env.cr.execute("SELECT 1")
            first["collection.case"]._run_dunning(commit=False)
            first.cr.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                second["collection.case"]._run_dunning(commit=False)
            second.cr.rollback()
            second.invalidate_all()
            second["collection.case"]._run_dunning(commit=False)  # Odoo's retry
            second.cr.commit()
            partner = second["res.partner"].browse(partner_id)
            self.assertEqual(self._mails(second, partner), 1)
        finally:
            for env in (first, second):
                env.cr.rollback()
                env.cr.close()
            self._cleanup(partner_id, move_id)

    def _cleanup(self, partner_id, move_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cases = env["collection.case"].search([("partner_id", "=", partner_id)])
            env["mail.mail"].search(
                [("model", "=", "collection.case"), ("res_id", "in", cases.ids)]
            ).unlink()
            cases.unlink()
            move = env["account.move"].browse(move_id)
            move.button_draft()
            move.unlink()
            env["res.partner"].browse(partner_id).unlink()
