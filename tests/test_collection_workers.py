"""Several cron workers share the dunning: each claims customers no other one holds, and a
worker killed in the middle leaves the rest queued for the next one, sending nothing twice.

Runs on committed data in cursors of its own, as cron workers do, and removes it after."""

import contextlib
from datetime import timedelta
from unittest.mock import patch

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged

from .workers_common import RealWorkersCommon


class WorkerKilled(Exception):
    """What a worker dying in the middle of a batch looks like to the run."""


@tagged("post_install", "-at_install")
class TestCollectionWorkers(RealWorkersCommon, TransactionCase):
    CUSTOMERS = 3

    def setUp(self):
        super().setUp()
        self.partner_ids, self.move_ids = self._commit_overdue_customers()

    def _commit_overdue_customers(self):
        """Customers with two overdue invoices each and their notices queued, committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Worker Customer {n}",
                        "is_company": True,
                        "email": f"ap{n}@w.example",
                    }
                    for n in range(self.CUSTOMERS)
                ]
            )
            today = fields.Date.today()
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=40 + n),
                        "invoice_date_due": today - timedelta(days=5 + n),
                        "invoice_line_ids": [
                            Command.create({"name": "Goods", "price_unit": 100.0})
                        ],
                    }
                    for partner in partners
                    for n in range(2)
                ]
            )
            moves.action_post()
            cases = env["collection.case"].with_company(env.company)
            policy = partners._get_collection_policy()
            env.execute_query(
                cases._notice_insert_query(
                    env.company, today, partners.ids, [policy[p].id for p in partners.ids]
                )
            )
            return partners.ids, moves.ids

    def _notices(self, env):
        return env["collection.notice"].search([("partner_id", "in", self.partner_ids)])

    def _mails(self, env, partner_id):
        return env["mail.mail"].search_count(
            [("model", "=", "collection.case"), ("recipient_ids", "in", [partner_id])]
        )

    def test_two_workers_never_claim_the_same_customer(self):
        first, second = self._worker(), self._worker()
        cases = "collection.case"
        claimed_first = first[cases]._claim_dunning_customers(first.company, 2)
        # the first worker holds its customers until it commits: the second gets the others
        claimed_second = second[cases]._claim_dunning_customers(second.company, 1000)
        self.assertEqual(len(claimed_first), 2)
        self.assertFalse(set(claimed_first) & set(claimed_second))
        self.assertLessEqual(set(self.partner_ids), set(claimed_first) | set(claimed_second))
        # once the first worker is gone (rolled back, killed), its customers are free again
        first.cr.rollback()
        second.cr.rollback()
        again = second[cases]._claim_dunning_customers(second.company, 1000)
        self.assertLessEqual(set(self.partner_ids), set(again))

    def test_a_claim_overlapping_another_workers_commit_starts_again(self):
        """A worker whose snapshot predates another's commit cannot lock the notices the
        other just sent (REPEATABLE READ): the cron's claim starts again, in a new
        transaction, and gets the customers left."""
        first, stale, retrying = self._worker(), self._worker(), self._worker()
        for env in (stale, retrying):  # snapshots taken before the first worker commits
            env.cr.execute("SELECT 1")
        cases = "collection.case"
        claimed = first[cases]._claim_dunning_customers(first.company, 1)
        notices = first["collection.notice"].search(
            [("partner_id", "in", claimed), ("state", "=", "queued")]
        )
        first[cases]._send_notice_batch(first.company, notices)
        first.cr.commit()
        with self.assertRaises(psycopg2.errors.SerializationFailure):
            stale[cases]._claim_dunning_customers(stale.company, 1000)
        stale.cr.rollback()
        rest = retrying[cases]._claim_dunning_customers(retrying.company, 1000, retry=True)
        self.assertFalse(set(claimed) & set(rest))
        self.assertLessEqual(set(self.partner_ids) - set(claimed), set(rest))

    def test_a_worker_killed_after_its_first_batch_leaves_the_rest_to_the_next(self):
        worker = self._worker()
        case_class = type(worker["collection.case"])
        send = case_class._send_notice_batch
        batches = []

        def killed_at_the_second_batch(self, company, notices):
            batches.append(notices.partner_id.ids)
            if len(batches) == 2:
                raise WorkerKilled
            return send(self, company, notices)

        with (
            patch.object(case_class, "_send_notice_batch", killed_at_the_second_batch),
            self.assertRaises(WorkerKilled),
        ):
            # one customer per batch, each batch committed
            worker["collection.case"]._send_queued_notices(worker.company, 1, True)
        worker.cr.rollback()
        worker.invalidate_all()
        sent_first = set(batches[0])
        still_queued = self._notices(worker).filtered(lambda n: n.state == "queued")
        self.assertFalse(sent_first & set(still_queued.partner_id.ids))
        # the next worker sends the rest, and nobody gets a notice twice
        # (a sender job, as a cron worker runs it, then the job that finishes the run)
        successor = self._worker()
        successor["collection.case"]._cron_send_dunning_notices()
        successor["collection.case"]._cron_finish_dunning()
        notices = self._notices(successor)
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        for partner_id in self.partner_ids:
            self.assertEqual(self._mails(successor, partner_id), 1)

    def _delete_work(self, env):
        cases = env["collection.case"].search([("partner_id", "in", self.partner_ids)])
        env["mail.mail"].search(
            [("model", "=", "collection.case"), ("res_id", "in", cases.ids)]
        ).unlink()
        self._notices(env).unlink()
        cases.unlink()

    def _finish_wakes(self, env):
        """Triggers of the finishing job due now (not the five-minute comeback)."""
        finish = env.ref("credit_collection.ir_cron_collection_dunning_finish")
        return env["ir.cron.trigger"].search_count(
            [("cron_id", "=", finish.id), ("call_at", "<=", fields.Datetime.now())]
        )

    def test_the_sender_that_empties_the_queue_wakes_the_finishing_job(self):
        """A sender ending while another holds customers leaves the letters to the last
        one; the last wakes the finishing job at once instead of its five-minute wait."""
        holder, sender = self._worker(), self._worker()
        woken_before = self._finish_wakes(sender)
        held = holder["collection.case"]._claim_dunning_customers(holder.company, 1)
        sender["collection.case"]._cron_send_dunning_notices()
        self.assertEqual(self._finish_wakes(sender), woken_before, "notices still held")
        holder.cr.rollback()  # the holder dies: its customer stays queued
        last = self._worker()
        self.assertEqual(
            self._notices(last).filtered(lambda n: n.state == "queued").partner_id.ids, held
        )
        last["collection.case"]._cron_send_dunning_notices()
        self.assertFalse(self._notices(last).filtered(lambda n: n.state == "queued"))
        self.assertEqual(self._finish_wakes(last), woken_before + 1)

    def test_a_connection_cut_mid_batch_keeps_nothing_of_it_and_says_so(self):
        """The database ends a sender's connection (``pg_terminate_backend``, a failover)
        after it sent a batch and before its commit: nothing of the batch is kept, the log
        names the customers left queued, and the next sender sends to each of them once."""
        cr = self.registry.cursor()
        worker = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT pg_backend_pid()")
        backend = cr.fetchone()[0]
        case_class = type(worker["collection.case"])
        send = case_class._send_notice_batch

        def cut_after_sending(self, company, notices):
            sent = send(self, company, notices)
            with self.env.registry.cursor() as admin_cr:
                admin_cr.execute("SELECT pg_terminate_backend(%s)", [backend])
            return sent

        with (
            patch.object(case_class, "_send_notice_batch", cut_after_sending),
            self.assertLogs("odoo.addons.credit_collection.models.collection_dunning") as logs,
            self.assertRaises(psycopg2.Error),  # the connection is gone
        ):
            worker["collection.case"]._send_queued_notices(worker.company, 1000, True)
        with contextlib.suppress(psycopg2.Error):  # the connection is gone: nothing to undo
            cr.close()
        self.assertIn("failed, nothing of it is kept", logs.output[-1])
        self.assertIn("stay queued for the next sender", logs.output[-1])
        successor = self._worker()
        notices = self._notices(successor)
        self.assertEqual(set(notices.mapped("state")), {"queued"}, "the cut batch is not kept")
        successor["collection.case"]._cron_send_dunning_notices()
        notices.invalidate_recordset()
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        for partner_id in self.partner_ids:
            self.assertEqual(self._mails(successor, partner_id), 1)
