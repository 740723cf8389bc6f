"""Cron workers in tests: each one its own real cursor and transaction, committed, as two
cron threads on one database are; what they commit is deleted after the test."""

from odoo import SUPERUSER_ID, api


class RealWorkersCommon:
    """Mixin of a ``TransactionCase`` whose test world is committed (``partner_ids``,
    ``move_ids``) and whose workers are real cursors (``_worker``)."""

    def setUp(self):
        super().setUp()
        self.workers = []
        self.addCleanup(self._cleanup)

    def _worker(self):
        """A worker: a cursor of its own that waits at most 10 s on a lock (a test that
        blocks fails instead of hanging)."""
        cr = self.registry.cursor()
        cr.execute("SET lock_timeout = '10s'")
        env = api.Environment(cr, SUPERUSER_ID, {})
        self.workers.append(env)
        return env

    def _cleanup(self):
        for env in self.workers:
            env.cr.rollback()
            env.cr.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._delete_work(env)
            # nothing to delete when the world failed to be committed
            moves = env["account.move"].browse(getattr(self, "move_ids", []))
            moves.button_draft()
            moves.unlink()
            env["res.partner"].browse(getattr(self, "partner_ids", [])).unlink()

    def _delete_work(self, env):
        """Delete what the workers made, before the world they worked on goes."""
