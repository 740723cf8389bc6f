from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .aging_common import AgingWorldCommon
from .common import new_role_user

MARCH = fields.Date.to_date("2024-03-31")
# the world's first receivable item is dated 2023-10-01; on 2024-04-10 March is closed
# (5 days after its end), so October to March are photographed
TODAY = fields.Date.to_date("2024-04-10")
MONTHS = ["2023-10-31", "2023-11-30", "2023-12-31", "2024-01-31", "2024-02-29", "2024-03-31"]


@tagged("post_install", "-at_install")
class TestReceivableSnapshot(AgingWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["credit.receivable.snapshot"]
        cls.other_company = cls.setup_other_company(name="Snapshot Other Co")["company"]

    def _snapshot(self, date=MARCH):
        return self.Snapshot.search([("company_id", "=", self.company.id), ("date", "=", date)])

    def _bucket_amounts(self, snapshot):
        labels = dict(
            self.env["credit.receivable.snapshot.line"]
            ._fields["bucket"]
            ._description_selection(self.env)
        )
        amounts = dict.fromkeys(labels.values(), 0.0)
        for line in snapshot.line_ids:
            amounts[labels[line.bucket]] += line.amount
        return amounts

    def test_backfill_takes_each_closed_month_once(self):
        self.Snapshot._cron_take_snapshots(commit=False, today=TODAY)
        taken = self.Snapshot.search([("company_id", "=", self.company.id)])
        self.assertEqual(sorted(str(date) for date in taken.mapped("date")), MONTHS)
        # a company without receivables has nothing to photograph
        self.assertFalse(self.Snapshot.search([("company_id", "=", self.other_company.id)]))
        # a second run the same day, or the next day, takes nothing more
        self.Snapshot._cron_take_snapshots(commit=False, today=TODAY)
        self.Snapshot._cron_take_snapshots(commit=False, today=fields.Date.to_date("2024-04-11"))
        self.assertEqual(self.Snapshot.search_count([("company_id", "=", self.company.id)]), 6)
        # April is taken once it is closed, five days after its end
        self.assertFalse(
            self.Snapshot._months_to_take(self.company, fields.Date.to_date("2024-05-04"))
        )
        self.assertEqual(
            self.Snapshot._months_to_take(self.company, fields.Date.to_date("2024-05-05")),
            [fields.Date.to_date("2024-04-30")],
        )

    def test_month_end_figures_are_the_agings(self):
        self.Snapshot._cron_take_snapshots(commit=False, today=TODAY)
        snapshot = self._snapshot()
        self.assertEqual(self._bucket_amounts(snapshot), self.EXPECTED)
        self.assertAlmostEqual(snapshot.amount_total, 2200.0)
        self.assertAlmostEqual(snapshot.amount_not_due, 800.0)
        self.assertAlmostEqual(snapshot.amount_overdue, 1400.0)
        self.assertAlmostEqual(snapshot.amount_total, self._ledger_receivable_balance(MARCH))
        self.assertAlmostEqual(snapshot.amount_live, snapshot.amount_total)
        self.assertEqual(snapshot.amount_drift, 0.0)
        # the euro invoice keeps its own currency beside its value in dollars
        [b1] = snapshot.line_ids.filtered(lambda line: line.currency_id == self.eur)
        self.assertAlmostEqual(b1.amount_currency, 400.0)
        self.assertAlmostEqual(b1.amount, 200.0)
        self.assertEqual(b1.partner_id, self.partner_b)

    def test_a_closed_month_does_not_move(self):
        self.Snapshot._cron_take_snapshots(commit=False, today=TODAY)
        snapshot = self._snapshot()
        before = self._bucket_amounts(snapshot)
        today = self.env["credit.receivable.query"]._get_bucket_totals(TODAY, self.company.ids)
        live_today = sum(sum(buckets) for buckets in today.values())

        # a payment dated after the month end is matched: today's aging moves
        self._register_payment(self.inv_a3, 300.0, "2024-04-09")
        today = self.env["credit.receivable.query"]._get_bucket_totals(TODAY, self.company.ids)
        self.assertAlmostEqual(sum(sum(b) for b in today.values()), live_today - 300.0)
        # a payment entered now but dated in March moves the live figure of March too
        self._register_payment(self.inv_b2, 100.0, "2024-03-25")
        snapshot.invalidate_recordset()
        self.assertAlmostEqual(snapshot.amount_live, 2100.0)
        self.assertAlmostEqual(snapshot.amount_drift, -100.0)
        # the snapshot keeps what March's figures were
        self.assertEqual(self._bucket_amounts(snapshot), before)
        self.assertAlmostEqual(snapshot.amount_total, 2200.0)
        totals = self.Snapshot._get_snapshot_totals(self.company.ids, MARCH, MARCH)
        self.assertEqual(totals, {(self.company.id, MARCH): (2200.0, 800.0)})

    def test_one_month_costs_the_same_whatever_the_ledger(self):
        """Taking a month is a constant number of queries: the lines come from one INSERT
        ... SELECT over the query layer, however many items are open."""

        def queries_of(month_end):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            snapshot = self.Snapshot._take_snapshot(self.company, fields.Date.to_date(month_end))
            self.env.flush_all()
            return self.cr.sql_log_count - start, snapshot

        queries_of("2024-01-31")  # the first one warms the caches
        small, _snapshot = queries_of("2024-02-29")
        for day in range(1, 21):
            self._invoice(self.partner_a, f"2024-02-{day:02d}", 10.0)
        queries_of("2023-12-31")  # the same caches as before the invoices
        large, snapshot = queries_of("2024-03-31")
        self.assertAlmostEqual(snapshot.amount_total, 2200.0 + 200.0)
        self.assertEqual(large, small)
        self.assertLess(small, 20)

    def test_who_reads_snapshots(self):
        self.Snapshot._cron_take_snapshots(commit=False, today=TODAY)
        collector = new_role_user(self.env, "collector", "snap_collector", self.company)
        manager = new_role_user(self.env, "manager", "snap_manager", self.company)
        elsewhere = new_role_user(self.env, "manager", "snap_elsewhere", self.other_company)
        salesperson = new_role_user(self.env, "salesperson", "snap_sales", self.company)
        for user in (collector, manager):
            snapshots = self.Snapshot.with_user(user).search([])
            self.assertEqual(len(snapshots), 6)
            snapshots.read(["amount_total", "amount_live", "amount_drift"])
            snapshots.line_ids.read(["partner_id", "bucket", "amount"])
            with self.assertRaises(AccessError):
                snapshots[0].write({"amount_total": 1.0})
            with self.assertRaises(AccessError):
                self.Snapshot.with_user(user).create(
                    {"company_id": self.company.id, "date": "2023-09-30", "bucket_limits": "30"}
                )
            with self.assertRaises(AccessError):
                snapshots[0].unlink()
        self.assertFalse(self.Snapshot.with_user(elsewhere).search([]))
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(salesperson).search([])

    def test_the_kpis_of_a_closed_month_stand(self):
        """March's KPIs read its month-end AR from the snapshot: a payment dated later and
        matched now leaves them as they were while today's aging moves; a payment entered
        now but dated in March moves the ledger's March, not the KPIs' AR."""
        company = self.company
        march = company._get_receivable_kpis("2024-03-01", "2024-03-31")
        self.Snapshot._cron_take_snapshots(commit=False, today=TODAY)
        self.assertEqual(company._get_receivable_kpis("2024-03-01", "2024-03-31"), march)
        query = self.env["credit.receivable.query"]
        today = sum(sum(b) for b in query._get_bucket_totals(TODAY, company.ids).values())

        self._register_payment(self.inv_a3, 300.0, "2024-04-09")
        after = sum(sum(b) for b in query._get_bucket_totals(TODAY, company.ids).values())
        self.assertAlmostEqual(after, today - 300.0)
        self.assertEqual(company._get_receivable_kpis("2024-03-01", "2024-03-31"), march)

        self._register_payment(self.inv_b2, 100.0, "2024-03-25")
        live = query._get_kpi_receivables(MARCH, company.ids, "company_id")
        self.assertAlmostEqual(live[company.id][0], march["ar_end"] - 100.0)
        kpis = company._get_receivable_kpis("2024-03-01", "2024-03-31")
        self.assertEqual(
            (kpis["ar_end"], kpis["current_ar_end"]), (march["ar_end"], march["current_ar_end"])
        )
        # grouped by customer, the snapshot gives what the ledger gave at the time
        by_customer = company._get_receivable_kpis_grouped("2024-03-01", "2024-03-31", "partner_id")
        self.assertAlmostEqual(by_customer[self.partner_b.id]["ar_end"], 200.0 + 250.0)
