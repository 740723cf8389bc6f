"""Several cron workers share the daily re-evaluation, snapshots and payment forecast: the
planners record the day's batches once, each worker claims batches no other one holds, and
a worker killed in the middle leaves the rest pending for the next, doing nothing twice.

The first class runs on committed data in cursors of its own, as cron workers do, and
removes it after; the second runs in the two-company world, in the test's transaction.
Nothing is configured in either: no setting of the addon is touched."""

from datetime import timedelta
from unittest.mock import patch

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.addons.credit_collection.models import credit_cron_batch, credit_review_reevaluation
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import TwoCompanyWorldCommon, new_role_user

BATCH = "credit.cron.batch"


class WorkerKilled(BaseException):
    """What a worker dying in the middle of a batch looks like to the run: not an error
    of the batch (those are caught and recorded), the process going away."""


@tagged("post_install", "-at_install")
class TestCronBatchWorkers(TransactionCase):
    CUSTOMERS = 3

    def setUp(self):
        super().setUp()
        self.workers = []
        self.partner_ids, self.move_ids = self._commit_customers()
        self.addCleanup(self._cleanup)
        # one customer per batch: three batches to share
        self.enterContext(patch.object(credit_review_reevaluation, "REEVALUATION_BATCH_SIZE", 1))

    def _worker(self):
        cr = self.registry.cursor()
        cr.execute("SET lock_timeout = '10s'")
        env = api.Environment(cr, SUPERUSER_ID, {})
        self.workers.append(env)
        return env

    def _commit_customers(self):
        """Customers invoiced a hundred days ago (three month ends to photograph), never
        reviewed: each is due for its first evaluation. Committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].create(
                [{"name": f"Batch Customer {n}", "is_company": True} for n in range(self.CUSTOMERS)]
            )
            today = fields.Date.today()
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": today - timedelta(days=100),
                        "invoice_date_due": today - timedelta(days=70),
                        "invoice_line_ids": [
                            Command.create({"name": "Goods", "price_unit": 100.0, "tax_ids": []})
                        ],
                    }
                    for partner in partners
                ]
            )
            moves.action_post()
            return partners.ids, moves.ids

    def _plan(self, job):
        """The planner as its daily cron runs it, committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[BATCH]._plan(job)

    def _record(self, job, shares):
        """The day's batches of ``job`` in the main company, as a planner records them,
        committed: the database holds other customers and months (the business the
        company had before the addon), which these tests leave alone."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[BATCH]._record(job, env.company, fields.Date.today(), shares)

    def _batches(self, env, job):
        return env[BATCH].search([("job", "=", job)])

    def _reviews(self, env):
        return env["credit.review"].search([("partner_id", "in", self.partner_ids)])

    def _snapshots(self, env):
        """The snapshots the tests took (the database had none since the invoices)."""
        return env["credit.receivable.snapshot"].search(
            [
                ("company_id", "=", env.company.id),
                ("date", ">=", fields.Date.today() - timedelta(days=100)),
            ]
        )

    def _killed_at_the_second_batch(self, env, model):
        """Patch ``model``'s batch runner so that the worker dies at its second batch."""
        model_class = type(env[model])
        run = model_class._run_cron_batch
        batches = []

        def killed(self, batch):
            batches.append(batch.id)
            if len(batches) == 2:
                raise WorkerKilled
            return run(self, batch)

        return patch.object(model_class, "_run_cron_batch", killed)

    def _kill_after_the_first_batch(self, model):
        """A worker runs the batches, one commit each, and dies in the second; its
        connection is closed without a commit."""
        worker = self._worker()
        with self._killed_at_the_second_batch(worker, model), self.assertRaises(WorkerKilled):
            worker[BATCH]._cron_run_batches()
        worker.cr.rollback()
        worker.cr.close()
        self.workers.remove(worker)

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_two_workers_never_claim_the_same_batch(self):
        self._record("reevaluate", [{"partner_ids": [pid]} for pid in self.partner_ids])
        first, second = self._worker(), self._worker()
        claimed_first = first[BATCH]._claim_batch()
        # the first worker holds its batch until it commits: the second gets another
        claimed_second = second[BATCH]._claim_batch()
        self.assertTrue(claimed_first and claimed_second)
        self.assertNotEqual(claimed_first, claimed_second)
        self.assertFalse(set(claimed_first.partner_ids) & set(claimed_second.partner_ids))
        # once the first worker is gone (rolled back, killed), its batch is free again
        first.cr.rollback()
        second.cr.rollback()
        self.assertEqual(second[BATCH]._claim_batch(), claimed_first.with_env(second).sudo())

    def test_a_claim_overlapping_another_workers_commit_starts_again(self):
        """A worker whose snapshot predates another's commit cannot lock the batch the
        other just finished (REPEATABLE READ): the cron's claim starts again, in a new
        transaction, and gets the next batch."""
        self._record("reevaluate", [{"partner_ids": [pid]} for pid in self.partner_ids])
        first, stale, retrying = self._worker(), self._worker(), self._worker()
        for env in (stale, retrying):  # snapshots taken before the first worker commits
            env.cr.execute("SELECT 1")
        done = first[BATCH]._claim_batch()
        done._run()
        first.cr.commit()
        with self.assertRaises(psycopg2.errors.SerializationFailure):
            stale[BATCH]._claim_batch()
        stale.cr.rollback()
        claimed = retrying[BATCH]._claim_batch(retry=True)
        self.assertTrue(claimed)
        self.assertNotEqual(claimed.id, done.id)

    def test_a_reevaluation_killed_after_its_first_batch_reviews_each_customer_once(self):
        self._record("reevaluate", [{"partner_ids": [pid]} for pid in self.partner_ids])
        self._kill_after_the_first_batch("credit.review")
        worker = self._worker()
        self.assertEqual(len(self._reviews(worker)), 1, "the first batch was committed")
        self.assertEqual(
            sorted(self._batches(worker, "reevaluate").mapped("state")),
            ["done", "pending", "pending"],
            "the killed batch is pending again",
        )
        # the next worker (Odoo runs the job again) finishes the run
        worker[BATCH]._cron_run_batches()
        reviews = self._reviews(worker)
        self.assertEqual(sorted(reviews.partner_id.ids), sorted(self.partner_ids))
        self.assertEqual(set(self._batches(worker, "reevaluate").mapped("state")), {"done"})

    def test_snapshots_killed_after_the_first_month_take_each_month_once(self):
        worker = self._worker()
        months = worker["credit.receivable.snapshot"]._months_to_take(worker.company)[-3:]
        self.assertEqual(len(months), 3, "the invoices are a hundred days old")
        worker.cr.rollback()
        self._record("snapshot", [{"month_end": month_end} for month_end in months])
        self._kill_after_the_first_batch("credit.receivable.snapshot")
        self.assertEqual(self._snapshots(worker).mapped("date"), months[:1])
        worker[BATCH]._cron_run_batches()
        snapshots = self._snapshots(worker)
        self.assertEqual(sorted(snapshots.mapped("date")), months)
        self.assertEqual(len(snapshots), 3, "each month once")

    def test_planning_again_the_same_day_records_nothing_new(self):
        self._plan("reevaluate")
        worker = self._worker()
        batches = self._batches(worker, "reevaluate")
        worker.cr.rollback()
        self._plan("reevaluate")
        self.assertEqual(self._batches(worker, "reevaluate"), batches)
        planned = [
            pid
            for batch in batches.filtered(lambda b: b.company_id == worker.company)
            for pid in batch.partner_ids
        ]
        self.assertLessEqual(set(self.partner_ids), set(planned))
        self.assertEqual(len(planned), len(set(planned)), "a customer is in one batch")
        # the planner woke the workers
        worker_1 = worker.ref("credit_collection.ir_cron_credit_batch_worker_1")
        self.assertTrue(worker["ir.cron.trigger"].search([("cron_id", "=", worker_1.id)]))

    def test_todays_plan_supersedes_yesterdays_batches_but_the_one_running(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            shares = [{"partner_ids": [pid]} for pid in self.partner_ids[:2]]
            env[BATCH]._record("reevaluate", env.company, yesterday, shares)
        worker = self._worker()
        running = worker[BATCH]._claim_batch()
        self._plan("reevaluate")
        left = self._worker()[BATCH].search([("date", "=", yesterday)])
        self.assertEqual(left.filtered(lambda b: b.state == "pending").ids, running.ids)
        self.assertEqual((left - left.browse(running.ids)).state, "superseded")
        # the worker finishes what it holds
        running._run()
        worker.cr.commit()
        self.assertEqual(running.state, "done")

    def test_a_batch_in_conflict_with_another_transaction_is_run_again(self):
        """A user's commit on a customer the batch writes (a serialization failure, raised
        by PostgreSQL) rolls the batch back; the worker runs it again, as Odoo retries a
        request, and the customer is reviewed once."""
        self._record("reevaluate", [{"partner_ids": self.partner_ids[:1]}])
        worker, user = self._worker(), self._worker()
        review_class = type(worker["credit.review"])
        run = review_class._run_cron_batch
        calls = []

        def conflicting_once(model, batch):
            calls.append(batch.id)
            if len(calls) == 1:
                partner = self.partner_ids[0]
                user.cr.execute("UPDATE res_partner SET comment = 'rang' WHERE id = %s", [partner])
                user.cr.commit()
                # the worker's snapshot (taken by its claim) predates the user's commit
                model.env.cr.execute(
                    "UPDATE res_partner SET comment = 'batch' WHERE id = %s", [partner]
                )
            return run(model, batch)

        with patch.object(review_class, "_run_cron_batch", conflicting_once):
            worker[BATCH]._cron_run_batches()
        self.assertEqual(len(calls), 2, "rolled back, then run again")
        self.assertEqual(self._batches(worker, "reevaluate").state, "done")
        self.assertEqual(self._reviews(worker).partner_id.ids, self.partner_ids[:1])

    def _cleanup(self):
        for env in self.workers:
            env.cr.rollback()
            env.cr.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[BATCH].search([]).unlink()
            crons = [env.ref(xmlid).id for xmlid in credit_cron_batch.WORKER_CRONS]
            env["ir.cron.trigger"].search([("cron_id", "in", crons)]).unlink()
            self._reviews(env).with_context(active_test=False).unlink()
            self._snapshots(env).unlink()
            moves = env["account.move"].browse(self.move_ids)
            moves.button_draft()
            moves.unlink()
            env["res.partner"].browse(self.partner_ids).unlink()


@tagged("post_install", "-at_install")
class TestCronBatchCompanies(TwoCompanyWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.local_1 = cls._local_customer("Company One Only Ltd.", cls.company)
        cls.local_2 = cls._local_customer("Shanghai Only Ltd.", cls.company_2)
        cls.today = cls.DUE + timedelta(days=20)

    @classmethod
    def _local_customer(cls, name, company):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        cls.init_invoice(
            "out_invoice",
            partner=partner,
            invoice_date=cls.DUE - timedelta(days=30),
            amounts=[400.0],
            taxes=[],
            company=company,
            post=True,
        )
        return partner

    def _batches(self, job, company):
        return self.env[BATCH].search([("job", "=", job), ("company_id", "=", company.id)])

    def _customers(self, batches):
        return {pid for batch in batches for pid in batch.partner_ids}

    def test_a_companys_batches_hold_its_own_customers_only(self):
        self.env["credit.review"].sudo()._cron_reevaluate(commit=False)
        first, second = (self._batches("reevaluate", c) for c in self.companies)
        self.assertLessEqual({self.customer.id, self.local_1.id}, self._customers(first))
        self.assertNotIn(self.local_2.id, self._customers(first))
        self.assertLessEqual({self.customer.id, self.local_2.id}, self._customers(second))
        self.assertNotIn(self.local_1.id, self._customers(second))
        self.assertEqual(set((first | second).mapped("state")), {"done"})
        reviews = self.env["credit.review"].search(
            [("partner_id", "in", (self.customer | self.local_1 | self.local_2).ids)]
        )
        self.assertEqual(
            {(r.partner_id, r.company_id) for r in reviews},
            {
                (self.customer, self.company),
                (self.customer, self.company_2),
                (self.local_1, self.company),
                (self.local_2, self.company_2),
            },
        )

    def test_the_forecast_is_one_batch_per_company_and_adds_up(self):
        self.env["account.move"].sudo()._cron_forecast_payments(commit=False, today=self.today)
        for company in self.companies:
            batch = self._batches("forecast", company)
            self.assertRecordValues(batch, [{"state": "done", "date": self.today}])
            open_invoices = self.env["account.move"].search(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ]
            )
            rows = self.env["credit.cashin.forecast"].search(
                [("company_id", "=", company.id), ("run_date", "=", self.today)]
            )
            self.assertAlmostEqual(
                sum(rows.mapped("amount")), sum(open_invoices.mapped("amount_residual_signed"))
            )

    def test_planning_again_the_same_day_records_nothing_and_supersedes_yesterday(self):
        Batch = self.env[BATCH]
        yesterday = self.today - timedelta(days=1)
        Batch._record("reevaluate", self.company, yesterday, [{"partner_ids": [self.customer.id]}])
        left = Batch.search([("date", "=", yesterday)])
        self.env["credit.review"].sudo()._cron_reevaluate(commit=False, today=self.today)
        count = Batch.search_count([])
        self.assertEqual(left.state, "superseded", "today's run covers what it had left")
        self.env["credit.review"].sudo()._cron_reevaluate(commit=False, today=self.today)
        self.assertEqual(Batch.search_count([]), count)

    def test_a_failing_batch_is_recorded_and_the_others_run(self):
        review_class = type(self.env["credit.review"])
        reevaluate = review_class._reevaluate_customers

        def broken_for_company_2(self, company, partners, behaviour=None):
            if company == company_2:
                raise ValueError("bad data in this company")
            return reevaluate(self, company, partners, behaviour)

        company_2 = self.company_2
        with patch.object(review_class, "_reevaluate_customers", broken_for_company_2):
            self.env["credit.review"].sudo()._cron_reevaluate(commit=False)
        self.assertRecordValues(
            self._batches("reevaluate", self.company_2),
            [{"state": "failed", "error": "bad data in this company"}],
        )
        self.assertEqual(self._batches("reevaluate", self.company).state, "done")
        self.assertTrue(
            self.env["credit.review"].search(
                [("partner_id", "=", self.local_1.id), ("company_id", "=", self.company.id)]
            )
        )

    def test_nobody_writes_a_batch_over_rpc(self):
        self.env["credit.review"].sudo()._cron_reevaluate(commit=False)
        manager = new_role_user(self.env, "manager", "batch_manager_1", self.company)
        batches = self.env[BATCH].with_user(manager).search([])
        self.assertEqual(batches.company_id, self.company, "another company's are not shown")
        with self.assertRaises(AccessError):
            batches.write({"state": "pending"})
        with self.assertRaises(AccessError):
            self.env[BATCH].with_user(manager).create(
                {"job": "reevaluate", "company_id": self.company.id, "date": self.today}
            )
        with self.assertRaises(AccessError):
            batches.unlink()

    def test_finished_batches_are_forgotten_after_a_month(self):
        Batch = self.env[BATCH]
        old = self.today - timedelta(days=credit_cron_batch.KEEP_DAYS + 1)
        for company in self.companies:
            Batch._record("forecast", company, old, [{}])
        done, pending = Batch.search([("date", "=", old)])
        done.sudo().state = "done"
        Batch.sudo()._gc_finished_batches()
        self.assertFalse(done.exists())
        self.assertTrue(pending.exists(), "a batch not run yet is kept")
