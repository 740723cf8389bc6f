"""Customer types (客户类型) on a real ledger: the monthly run, its history, its policies,
companies and roles."""

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import new_role_user
from .segment_common import TODAY, SegmentWorldCommon


@tagged("post_install", "-at_install")
class TestCustomerSegments(SegmentWorldCommon):
    def test_one_customer_per_type(self):
        self._run()
        expected = {
            self.punctual: "reliable",
            self.steady: "slow_but_sure",
            self.quarrel: "disputing",
            self.slipping: "deteriorating",
            self.defaulter: "at_risk",
            self.newcomer: "new",
            # the world's customer: 900 EUR open since March 2026, far over 90 days
            self.customer: "at_risk",
        }
        for partner, code in expected.items():
            with self.subTest(partner=partner.name):
                self.assertEqual(self._segment_of(partner).code, code)

    def test_history_keeps_the_figures_of_each_change(self):
        self._run()
        [row] = self.env["credit.customer.segment.history"].search(
            [("partner_id", "=", self.slipping.id), ("company_id", "=", self.company.id)]
        )
        # 4,000 paid on time, 500 paid 30 days late, 1,000 open: one of three on time;
        # overdue 500 USD three months before the last month end, 1,000 USD at it
        self.assertRecordValues(
            row,
            [
                {
                    "date": TODAY,
                    "segment_id": self.segments["deteriorating"].id,
                    "previous_segment_id": False,
                    "invoice_count": 3,
                    "overdue_now": 1000.0,
                    "overdue_before": 500.0,
                    "open_disputes": 0,
                }
            ],
        )
        self.assertAlmostEqual(row.on_time_share, 100.0 / 3)
        self.assertIn("33% paid on time", row.reason)

    def test_second_run_the_same_month_changes_nothing(self):
        self._run()
        History = self.env["credit.customer.segment.history"]
        rows = History.search_count([])
        self.assertEqual(self.company.customer_segment_run_date, TODAY)
        self._run()
        self.assertEqual(History.search_count([]), rows)
        # the same figures typed again write nothing, even when the run is forced
        customers = self.punctual | self.steady | self.slipping
        behaviour = customers._get_segment_behaviour(self.company, TODAY)
        self.assertFalse(customers._assign_segments(self.company, behaviour, TODAY))
        self.assertEqual(History.search_count([]), rows)

    def test_a_change_next_month_writes_one_history_row(self):
        self._run()
        self.dispute.sudo().write({"state": "rejected"})
        next_month = TODAY + relativedelta(months=1, day=1)
        self._run(next_month)
        self.assertEqual(self._segment_of(self.quarrel).code, "reliable")
        rows = self.env["credit.customer.segment.history"].search(
            [("partner_id", "=", self.quarrel.id)]
        )
        self.assertRecordValues(
            rows,
            [
                {
                    "date": next_month,
                    "segment_id": self.segments["reliable"].id,
                    "previous_segment_id": self.segments["disputing"].id,
                },
                {
                    "date": TODAY,
                    "segment_id": self.segments["disputing"].id,
                    "previous_segment_id": False,
                },
            ],
        )
        # nobody else changed: one new row in all
        self.assertEqual(
            self.env["credit.customer.segment.history"].search_count([("date", "=", next_month)]),
            1,
        )

    def test_each_company_types_on_its_own_ledger(self):
        self._run()
        self.assertEqual(self._segment_of(self.punctual, self.company).code, "reliable")
        self.assertEqual(self._segment_of(self.punctual, self.company_2).code, "new")
        # the customers of the first company only are not typed in the second
        self.assertFalse(self._segment_of(self.steady, self.company_2))
        # a user of the second company only sees its history, not the first's
        user = new_role_user(self.env, "collector", "segment_collector_2", self.company_2)
        rows = self.punctual.with_user(user).customer_segment_history_ids
        self.assertEqual(rows.company_id, self.company_2)

    def test_segment_policy_comes_between_the_customer_and_the_grade(self):
        self._run()
        Policy = self.env["collection.policy"]
        own, segment_policy, grade_policy = (
            Policy.create({"name": name, "level_ids": [Command.create({"name": "R", "days": 5})]})
            for name in ("Own", "Reliable customers", "Grade B")
        )
        self.segments["reliable"].collection_policy_id = segment_policy
        grade = self.env.ref("credit_collection.credit_grade_b")
        grade.collection_policy_id = grade_policy
        partner = self.punctual.with_company(self.company)
        partner.sudo().credit_grade_id = grade
        self.assertEqual(partner._get_collection_policy()[partner.id], segment_policy)
        partner.collection_policy_id = own
        self.assertEqual(partner._get_collection_policy()[partner.id], own)
        # a type without a policy (slow but sure) leaves the grade's
        steady = self.steady.with_company(self.company)
        steady.sudo().credit_grade_id = grade
        self.assertEqual(steady._get_collection_policy()[steady.id], grade_policy)

    def test_segment_interval_sets_the_next_review(self):
        """Grade B reviews every 12 months; reliable customers every 24: approving a review
        of the reliable customer sets its next review 24 months after the review."""
        self._run()
        self.segments["reliable"].review_interval_months = 24
        review = (
            self.env["credit.review"]
            .with_company(self.company)
            .create({"partner_id": self.punctual.id, "company_id": self.company.id})
        )
        review.action_approve()
        self.assertEqual(
            self.punctual.with_company(self.company).credit_next_review_date,
            review.date + relativedelta(months=24),
        )

    def test_segment_counts_for_the_dashboard(self):
        self._run()
        counts = self.env["res.partner"]._get_segment_counts(self.company)
        by_code = {segment.code: figures for segment, figures in counts.items()}
        # at risk: the world's customer (900 EUR = 450 USD open) and the defaulter (1,000)
        self.assertEqual(by_code["at_risk"], (2, 1450.0))
        # deteriorating: 2,000 EUR open = 1,000 USD; disputing: 500 open not yet due
        self.assertEqual(by_code["deteriorating"], (1, 1000.0))
        self.assertEqual(by_code["disputing"], (1, 500.0))
        self.assertEqual(by_code["reliable"], (1, 0.0))
        self.assertEqual(by_code["new"], (1, 1000.0))


@tagged("post_install", "-at_install")
class TestCustomerSegmentRoles(SegmentWorldCommon):
    def test_salesperson_reads_the_type_but_cannot_write_it(self):
        self._run()
        salesperson = self.users["salesperson"]
        self.assertEqual(
            self.customer.with_user(salesperson).with_company(self.company).customer_segment_id,
            self.segments["at_risk"],
        )
        self.assertTrue(self.customer.with_user(salesperson).customer_segment_history_ids)
        for role in ("salesperson", "collector", "manager"):
            partner = self.customer.with_user(self.users[role]).with_company(self.company)
            with self.subTest(role=role), self.assertRaises(AccessError):
                partner.write({"customer_segment_id": self.segments["reliable"].id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.users["manager"]).create(
                {"name": "Forged Co", "customer_segment_id": self.segments["reliable"].id}
            )

    def test_history_is_the_runs_only(self):
        self._run()
        for role in ("salesperson", "collector", "manager"):
            History = self.env["credit.customer.segment.history"].with_user(self.users[role])
            with self.subTest(role=role), self.assertRaises(AccessError):
                History.create(
                    {
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "date": TODAY,
                        "segment_id": self.segments["reliable"].id,
                    }
                )

    def test_nothing_configured_the_run_types_everyone(self):
        """No collector, manager or setting: the run types the customers as OdooBot."""
        self.env["credit.customer.segment"].with_user(
            self.env.ref("base.user_root")
        )._cron_assign_segments(commit=False, today=TODAY)
        self.assertEqual(self._segment_of(self.punctual).code, "reliable")


@tagged("post_install", "-at_install")
class TestCustomerSegmentRunIsFlat(SegmentWorldCommon):
    """The run costs the same number of queries for 3 customers as for 6 (same mix)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sets = []
        for tag, size in (("W", 3), ("S", 3), ("L", 6)):
            customers = cls.env["res.partner"]
            for i in range(size):
                paid = (-2, 20, None)[i % 3]
                customers |= cls._segment_customer(
                    f"{tag}{i}", [(300, 1000, -2), (240, 1000, -2), (150, 1000, paid)]
                )
            cls.sets.append(customers)

    def _queries(self, customers):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        behaviour = customers._get_segment_behaviour(self.company, TODAY)
        customers._assign_segments(self.company, behaviour, TODAY)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_customers(self):
        warm_up, small, large = self.sets
        self._queries(warm_up)
        small_queries = self._queries(small)
        large_queries = self._queries(large)
        self.assertEqual(small_queries, large_queries, "queries of 3 customers vs 6")
        # behaviour 1, disputes 2, snapshots 3, partners and grades, the writes, the history
        self.assertLessEqual(large_queries, 23)
        self.assertEqual(
            {self._segment_of(p).code for p in large}, {"reliable", "slow_but_sure", "at_risk"}
        )
