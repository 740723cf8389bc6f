import json
import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# how often a worker claims again when another one's commit overlapped its claim
CLAIM_ATTEMPTS = 5
# the worker jobs the planners wake: as many cron workers as the server has run them side by side
WORKER_CRONS = tuple(f"credit_collection.ir_cron_credit_batch_worker_{n}" for n in range(1, 5))
# the job of a batch -> the model that plans and runs it (a fixed table: a row never names code)
JOB_MODELS = {
    "reevaluate": "credit.review",
    "snapshot": "credit.receivable.snapshot",
    "forecast": "account.move",
}
# finished batches are kept this long, to see what the nights did
KEEP_DAYS = 30


class CreditCronBatch(models.Model):
    """A day's share of a daily cron's work, that any cron worker can run.

    The daily re-evaluation, month-end snapshots and payment forecast are planners: per
    company they record the day's batches (customers, a month end, the company) and wake
    the worker jobs (``ir_cron_credit_batch_worker_<n>``). Each worker claims the oldest
    pending batch no other worker holds (``FOR UPDATE SKIP LOCKED``), runs it, marks it done
    and commits through ``ir.cron._commit_progress``, until none is left or its time is up.
    A worker killed mid-batch holds nothing once its connection is gone: the batch is still
    pending for the next worker, and what was committed is never done again.

    Nobody writes these rows but the planners and the workers (as superuser): users may
    read them, to see how far the night went.
    """

    _name = "credit.cron.batch"
    _description = "Share of a daily cron's work"
    _order = "date desc, id"
    _rec_name = "job"

    job = fields.Selection(
        [
            ("reevaluate", "Credit re-evaluation"),
            ("snapshot", "Month-end snapshot"),
            ("forecast", "Payment forecast"),
        ],
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Date(string="Run Date", required=True, readonly=True)
    sequence = fields.Integer(required=True, readonly=True, default=0)
    partner_ids = fields.Json(
        string="Customers", readonly=True, help="Ids of the customers of the batch."
    )
    month_end = fields.Date(readonly=True)
    state = fields.Selection(
        [
            ("pending", "To Run"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("superseded", "Superseded"),
        ],
        required=True,
        readonly=True,
        default="pending",
        help="Superseded: a later day's run replaced what this batch had still to do.",
    )
    error = fields.Text(readonly=True)

    _unique_share = models.Constraint(
        "UNIQUE(job, company_id, date, sequence)",
        "A day's run of a job records each of its batches once.",
    )
    _pending_idx = models.Index("(date, id) WHERE state = 'pending'")

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_run_batches(self):
        """A worker job: run the batches no other worker holds, one commit each, until
        none is left or its time is up (Odoo then runs it again for the rest)."""
        pending = self.sudo().search_count([("state", "=", "pending")])
        self.env["ir.cron"]._commit_progress(remaining=pending)
        # a batch whose work conflicts with another transaction (a user, an event) is
        # rolled back and run again, as Odoo retries a request
        while retrying(self._run_next_batch, self.env):
            if self.env["ir.cron"]._commit_progress(1) <= 0:
                return
        # nothing left this worker can claim: what other workers hold is theirs to finish
        self.env["ir.cron"]._commit_progress(remaining=0)

    @api.autovacuum
    def _gc_finished_batches(self):
        """Forget the batches finished more than ``KEEP_DAYS`` ago."""
        self.sudo().search(
            [
                ("state", "!=", "pending"),
                ("date", "<", fields.Date.subtract(fields.Date.today(), days=KEEP_DAYS)),
            ]
        ).unlink()

    # ------------------------------------------------------------
    # PLANNING
    # ------------------------------------------------------------

    @api.model
    def _plan(self, job, today=None, commit=True):
        """Record the day's batches of ``job`` in every company, then wake the workers
        (``commit``) or run them here, in this transaction (``commit=False``: tests, demo).

        Idempotent: a company that has batches of ``job`` for ``today`` gets none again,
        and the unique index drops any a concurrent planner recorded first. The earlier
        days' batches still pending are superseded: today's plan covers what they had
        left (a batch a worker is running is left to finish)."""
        today = today or fields.Date.context_today(self)
        planner = self.env[JOB_MODELS[job]]
        for company in self.env["res.company"].search([]):
            self._supersede(job, company, today, retry=commit)
            if not self.sudo().search_count(
                [("job", "=", job), ("company_id", "=", company.id), ("date", "=", today)],
                limit=1,
            ):
                shares = planner.with_company(company)._plan_cron_batches(company, today)
                self._record(job, company, today, shares)
            if commit:
                self.env["ir.cron"]._commit_progress()
        if not commit:
            self._run_pending(job)
            return
        self._wake(WORKER_CRONS)

    @api.model
    def _wake(self, xmlids):
        """Trigger now the jobs of ``xmlids`` that are active (a job someone deactivated
        stays off); return the names of those woken. The one way the daily crons wake the
        jobs that share their work (batch workers, dunning senders, finishing job)."""
        woken = []
        for xmlid in xmlids:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron and cron.active:
                cron._trigger()
                woken.append(xmlid.split(".")[1])
        return woken

    @api.model
    def _record(self, job, company, today, shares):
        """Insert one pending batch per share (``{"partner_ids": [...]}``, ``{"month_end":
        date}`` or ``{}``); a batch already recorded by a concurrent planner is kept."""
        if not shares:
            return
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s::jsonb, %s::date, 'pending', %s, %s, "
                "NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC')",
                job,
                company.id,
                today,
                sequence,
                json.dumps(share["partner_ids"]) if "partner_ids" in share else None,
                share.get("month_end"),
                self.env.uid,
                self.env.uid,
            )
            for sequence, share in enumerate(shares)
        )
        self.env.execute_query(
            SQL(
                """INSERT INTO credit_cron_batch (job, company_id, date, sequence, partner_ids,
                                                  month_end, state, create_uid, write_uid,
                                                  create_date, write_date)
                   VALUES %s
                   ON CONFLICT (job, company_id, date, sequence) DO NOTHING""",
                rows,
            )
        )
        self.invalidate_model()

    @api.model
    def _supersede(self, job, company, today, retry=False):
        """Mark superseded the pending batches of ``job`` and ``company`` planned before
        ``today`` that no worker is running (those finish). A claim like the workers' (a
        worker that finished one of them after this transaction's snapshot makes it a
        serialization failure): with ``retry`` (the cron, at a company boundary, nothing
        uncommitted) it starts again in a new transaction."""
        self.flush_model()
        query = SQL(
            """UPDATE credit_cron_batch SET state = 'superseded',
                                            write_date = NOW() AT TIME ZONE 'UTC'
                WHERE id IN (SELECT id FROM credit_cron_batch
                              WHERE job = %s AND company_id = %s AND date < %s
                                AND state = 'pending'
                                FOR UPDATE SKIP LOCKED)
            RETURNING id""",
            job,
            company.id,
            today,
        )
        self._execute_claim(query, retry=retry)
        self.invalidate_model(["state"])

    # ------------------------------------------------------------
    # RUNNING
    # ------------------------------------------------------------

    @api.model
    def _run_pending(self, job):
        """Run here, in this transaction, the pending batches of ``job`` (no commit)."""
        while batch := self._claim_batch(job=job):
            batch._run()

    @api.model
    def _run_next_batch(self):
        """Claim the oldest free batch and run it: the batch, or nothing when none is left."""
        batch = self._claim_batch(retry=True)
        if batch:
            batch._run()
        return batch

    @api.model
    def _claim_batch(self, job=None, retry=False):
        """The oldest pending batch (of ``job``, or any) that no other worker holds, locked
        until this transaction ends; an empty recordset when there is none."""
        self.flush_model()
        query = SQL(
            """SELECT id FROM credit_cron_batch
                WHERE state = 'pending' AND %s
             ORDER BY date, id
                LIMIT 1
                  FOR UPDATE SKIP LOCKED""",
            SQL("job = %s", job) if job else SQL("TRUE"),
        )
        rows = self._execute_claim(query, retry=retry)
        return self.sudo().browse([row[0] for row in rows])

    @api.model
    def _execute_claim(self, query, retry=False, what="Daily batches"):
        """Run a claiming ``query`` (a ``SELECT ... FOR UPDATE SKIP LOCKED``) and return its
        rows: the shared part of every claim (these batches, the dunning's customers).

        In REPEATABLE READ a claim whose snapshot predates another worker's commit cannot
        lock the rows that worker just finished: PostgreSQL raises a serialization
        failure. With ``retry`` (a cron at a batch boundary: nothing uncommitted), the
        claim starts again in a new transaction, which sees the other's work done, up to
        ``CLAIM_ATTEMPTS`` times. That failure is expected under contention: it is logged
        as what it is (``what`` names the claimer), not as a bad query; so is a claim that
        lost its connection (a failover, a terminated backend), which claimed nothing."""
        attempts = CLAIM_ATTEMPTS if retry else 1
        for attempt in range(attempts):
            try:
                self.env.cr.execute(query, log_exceptions=False)
                return self.env.cr.fetchall()
            except psycopg2.errors.SerializationFailure:
                if attempt + 1 == attempts:
                    raise
                self.env.cr.rollback()
                _logger.warning(
                    "%s: claim overlapped another worker's commit (attempt %s of %s), "
                    "claiming again in a new transaction",
                    what, attempt + 1, attempts,
                )  # fmt: skip
            except psycopg2.Error as error:
                _logger.warning(
                    "%s: claiming failed, nothing claimed; Odoo runs the job again (%s: %s)",
                    what, type(error).__name__, str(error).strip(),
                )  # fmt: skip
                raise
        return []

    def _run(self):
        """Run this claimed batch and mark it done, or failed with its error: one batch's
        bad data must not stop the others nor, failing again and again, the workers. A
        conflict with another transaction (serialization failure, deadlock, lock timeout)
        is not the batch's fault: it is raised, for the worker to roll back and run the
        batch again (``retrying``); killed, the worker leaves it pending for the next."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                model = self.env[JOB_MODELS[self.job]].with_company(self.company_id)
                model._run_cron_batch(self)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:  # any error of the batch's own work
            _logger.exception("Batch %s (%s) of %s failed", self.id, self.job, self.company_id)
            self.write({"state": "failed", "error": str(error)})
            return
        self.write({"state": "done"})
