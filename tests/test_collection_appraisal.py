from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .appraisal_common import MARCH, AppraisalWorldCommon
from .common import new_role_user
from .pdf_common import pdf_text


@tagged("post_install", "-at_install")
class TestCollectionAppraisal(AppraisalWorldCommon):
    """The figures of ``appraisal_common`` (March 2024), worked out by hand.

    Company 1, March:
    - Chen (Acme, Zeta): AR(29 Feb) = A1 1,000; S = A2 250; cash = 600 + 100 = 700;
      AR(31 Mar) = 400 (A1, overdue) + 150 (A2, due 4 Apr) = 550.
      CEI = (1,000 + 250 - 550) / (1,000 + 250 - 150) = 700 / 1,100 = 63.6364 %;
      ADD = DSO - best = (550 - 150) / 250 x 31 = 49.6 days. Target 1,000: 70 %.
      Promises made P1, P2, P5: 3 for 1,100; kept P1: 1 for 600. Contacts 5, 21, 27,
      28 Mar: 4. Broken and due in March: P2, followed up on 27 Mar: 1 of 1. Cases
      closed: 0 (Zeta's closed in February).
    - Wang (Beta): AR(29 Feb) = 1,500; S = 800; cash 1,000; AR(31 Mar) = 1,300, all
      overdue. CEI = 1,000 / 2,300 = 43.4783 %; ADD = 1,300 / 800 x 31 = 50.375 days.
      Target 1,000: 100 %. Promises made P3: 1 for 1,000 (P4 was made in February), none
      kept. Contacts 2, 3, 15 Mar: 3. Broken and due in March: P4 and P3, P4 followed up
      on 3 Mar: 1 of 2. Cases closed: Beta's, 30 Mar: 1.
    - Zhao: target 500, nothing else: 0 %, CEI and ADD unknown.
    - Unassigned (Gamma): S = 300, cash 300, AR 0 at both ends: CEI 100 %, ADD 0; its
      case closed 25 Mar.
    Ranking: Wang (100 %), Chen (70 %), Zhao (0 %), then Unassigned, unranked.
    """

    def _rows(self, company=None, period=MARCH, user=None):
        appraisal = self.env["collection.appraisal"]
        if user:
            appraisal = appraisal.with_user(user)
        return appraisal._get_appraisal_rows(company or self.company, *period)

    def _by_user(self, rows):
        return {row["user_id"]: row for row in rows}

    def _assert_row(self, row, expected):
        for key, value in expected.items():
            if value is None:
                self.assertIsNone(row[key], key)
            elif isinstance(value, float):
                self.assertAlmostEqual(row[key], value, places=4, msg=key)
            else:
                self.assertEqual(row[key], value, key)

    # ------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------

    def test_world_is_as_described(self):
        self.assertAlmostEqual(self.a2.amount_total_signed, 250.0)
        self.assertRecordValues(
            self.p1 + self.p2 + self.p3 + self.p4 + self.p5,
            [
                {"state": "kept"},
                {"state": "broken"},
                {"state": "broken"},
                {"state": "broken"},
                {"state": "open"},
            ],
        )
        self.assertRecordValues(
            self.case_acme + self.case_beta + self.case_gamma + self.case_zeta,
            [
                {"state": "promised", "date_closed": False},
                {"state": "closed", "date_closed": self._date("2024-03-30")},
                {"state": "closed", "date_closed": self._date("2024-03-25")},
                {"state": "closed", "date_closed": self._date("2024-02-20")},
            ],
        )

    def test_march_ranking_of_company_1(self):
        rows = self._rows()
        self.assertEqual(
            [(row["name"], row["rank"]) for row in rows],
            [("Wang Fang", 1), ("Chen Jing", 2), ("Zhao Lei", 3), ("Unassigned", 0)],
        )
        by_user = self._by_user(rows)
        self._assert_row(
            by_user[self.chen.id],
            {
                "amount_collected": 700.0,
                "amount_target": 1000.0,
                "target_rate": 0.7,
                "cei": 700 / 1100 * 100,
                "days_delinquent": 400 / 250 * 31,
                "promise_count": 3,
                "promise_amount": 1100.0,
                "promise_kept_count": 1,
                "promise_kept_amount": 600.0,
                "log_count": 4,
                "case_closed_count": 0,
                "promise_broken_count": 1,
                "promise_followed_count": 1,
                "followup_days": 3,
                "company_id": self.company.id,
            },
        )
        self._assert_row(
            by_user[self.wang.id],
            {
                "amount_collected": 1000.0,
                "amount_target": 1000.0,
                "target_rate": 1.0,
                "cei": 1000 / 2300 * 100,
                "days_delinquent": 1300 / 800 * 31,
                "promise_count": 1,
                "promise_amount": 1000.0,
                "promise_kept_count": 0,
                "promise_kept_amount": 0.0,
                "log_count": 3,
                "case_closed_count": 1,
                "promise_broken_count": 2,
                "promise_followed_count": 1,
            },
        )
        self._assert_row(
            by_user[self.zhao.id],
            {
                "amount_collected": 0.0,
                "amount_target": 500.0,
                "target_rate": 0.0,
                "cei": None,
                "days_delinquent": None,
                "promise_count": 0,
                "log_count": 0,
                "case_closed_count": 0,
            },
        )
        self._assert_row(
            by_user[False],
            {
                "amount_collected": 300.0,
                "amount_target": 0.0,
                "target_rate": None,
                "cei": 100.0,
                "days_delinquent": 0.0,
                "case_closed_count": 1,
                "log_count": 0,
            },
        )

    def test_february_is_another_period(self):
        """Chen: Zeta's 100 paid and its case closed on 20 Feb, a contact on 28 Feb; Wang:
        500 paid on 20 Feb, P4 made on 25 Feb (due 1 Mar: not broken in February)."""
        by_user = self._by_user(self._rows(period=("2024-02-01", "2024-02-29")))
        self._assert_row(
            by_user[self.chen.id],
            {
                "amount_collected": 100.0,
                "case_closed_count": 1,
                "log_count": 1,
                "promise_count": 0,
                "amount_target": 0.0,
                "target_rate": None,
                "rank": 2,
            },
        )
        self._assert_row(
            by_user[self.wang.id],
            {
                "amount_collected": 500.0,
                "promise_count": 1,
                "promise_amount": 500.0,
                "promise_broken_count": 0,
                "log_count": 1,
                "rank": 1,
            },
        )
        self.assertNotIn(self.zhao.id, by_user, "no target, nothing done: no row")
        self.assertNotIn(False, by_user, "nothing unassigned in February")

    def test_targets_count_in_proportion_to_their_days(self):
        """1-10 March: 10/31 of Chen's 1,000 = 322.58, and 600 collected (10 Mar).
        16 March - 15 April: 16/31 of 1,000 + 15/30 of 2,000 = 516.13 + 1,000 = 1,516.13,
        and 100 (20 Mar) + 400 (5 Apr) = 500 collected."""
        chen = self._by_user(self._rows(period=("2024-03-01", "2024-03-10")))[self.chen.id]
        self._assert_row(chen, {"amount_target": 322.58, "amount_collected": 600.0})
        self.assertAlmostEqual(chen["target_rate"], 600 / 322.58, places=4)
        chen = self._by_user(self._rows(period=("2024-03-16", "2024-04-15")))[self.chen.id]
        self._assert_row(chen, {"amount_target": 1516.13, "amount_collected": 500.0})

    def test_company_2_has_its_own_collector_and_figures(self):
        """Liu: S = 7,000 CNY, cash 3,500, AR(31 Mar) 3,500 overdue: CEI 50 %, ADD =
        3,500 / 7,000 x 31 = 15.5 days; target 5,000: 70 %."""
        rows = self._rows(self.company_2)
        self.assertEqual([row["user_id"] for row in rows], [self.liu.id])
        self._assert_row(
            rows[0],
            {
                "amount_collected": 3500.0,
                "amount_target": 5000.0,
                "target_rate": 0.7,
                "cei": 50.0,
                "days_delinquent": 15.5,
                "rank": 1,
                "currency_id": self.company_2.currency_id.id,
            },
        )
        self.assertNotIn(self.liu.id, self._by_user(self._rows()))

    def test_ranking_wizard_fills_read_only_rows(self):
        wizard = (
            self.env["collection.appraisal.wizard"]
            .with_user(self.manager)
            .create({"date_from": MARCH[0], "date_to": MARCH[1], "company_id": self.company.id})
        )
        action = wizard.action_open_ranking()
        rows = self.env["collection.appraisal"].with_user(self.manager).search(action["domain"])
        self.assertRecordValues(
            rows,
            [
                {"name": "Wang Fang", "rank": 1, "target_rate": 1.0, "cei_known": True},
                {"name": "Chen Jing", "rank": 2, "target_rate": 0.7, "cei_known": True},
                {"name": "Zhao Lei", "rank": 3, "target_rate": 0.0, "cei_known": False},
                {"name": "Unassigned", "rank": 0, "target_rate": 0.0, "cei_known": True},
            ],
        )
        self.assertEqual(rows[:1].create_uid, self.manager)
        wizard.action_open_ranking()
        self.assertEqual(len(wizard.line_ids), 4, "a second run replaces the rows")

    def test_appraisal_sheet_prints_the_figures(self):
        row = self._wizard_rows(self.manager).filtered(lambda r: r.user_id == self.chen)
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("credit_collection.action_report_collection_appraisal", row.ids)
        )
        text = pdf_text(pdf)
        for expected in (
            "Collector Appraisal",
            "Chen Jing",
            "700.00",
            "1,000.00",
            "70.0 %",
            "63.6",
            "49.6",
            "1 / 1",
        ):
            self.assertIn(expected, text)

    def test_appraisal_sheet_in_the_collectors_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.wang.lang = "zh_CN"
        row = self._wizard_rows(self.manager).filtered(lambda r: r.user_id == self.wang)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html("credit_collection.action_report_collection_appraisal", row.ids)[0]
            .decode()
        )
        self.assertIn("收款专员考核", html)
        self.assertNotIn("Cash collected", html)

    # ------------------------------------------------------------
    # targets
    # ------------------------------------------------------------

    def test_target_is_a_month_unique_per_collector(self):
        target = self.env["collection.target"].search(
            [("user_id", "=", self.wang.id), ("date_from", "=", "2024-03-01")]
        )
        self.assertEqual(target.date_to, self._date("2024-03-31"))
        june = (
            self.env["collection.target"]
            .with_user(self.manager)
            .create(self._target_vals(self.wang, "2024-06-17", 800.0))
        )
        self.assertRecordValues(
            june, [{"date_from": self._date("2024-06-01"), "date_to": self._date("2024-06-30")}]
        )
        with self.assertRaises(ValidationError):
            self.env["collection.target"].with_user(self.manager).create(
                self._target_vals(self.wang, "2024-07-01", 0.0)
            )
        with self.assertRaises(ValidationError):  # Liu does not work for company 1
            self.env["collection.target"].with_user(self.manager).create(
                self._target_vals(self.liu, "2024-07-01", 100.0)
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["collection.target"].with_user(self.manager).create(
                self._target_vals(self.wang, "2024-03-20", 900.0)
            )

    def test_manager_raises_a_target_and_the_chatter_says_so(self):
        target = self.env["collection.target"].search(
            [("user_id", "=", self.chen.id), ("date_from", "=", "2024-03-01")]
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # the setup's records were created with tracking off
        # the common world switches tracking off for speed; this test needs it back
        tracked = target.with_context(tracking_disable=False, mail_notrack=False)
        tracked.with_user(self.manager).amount = 700.0
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are posted at commit
        self.env.invalidate_all()
        message = target.message_ids[:1]
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertEqual(message.tracking_value_ids.new_value_float, 700.0)
        chen = self._by_user(self._rows())[self.chen.id]
        self._assert_row(chen, {"amount_target": 700.0, "target_rate": 1.0})

    # ------------------------------------------------------------
    # rights
    # ------------------------------------------------------------

    def test_collector_sees_only_their_own_row_with_their_rank(self):
        rows = self._rows(user=self.chen)
        self.assertEqual([(row["user_id"], row["rank"]) for row in rows], [(self.chen.id, 2)])
        self.assertEqual(self._wizard_rows(self.chen).user_id, self.chen)

    def test_collector_cannot_read_another_collectors_sheet(self):
        wang_row = self._wizard_rows(self.manager).filtered(lambda r: r.user_id == self.wang)
        with self.assertRaises(AccessError):
            wang_row.with_user(self.chen).read(["amount_collected"])
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.chen)._render_qweb_html(
                "credit_collection.action_report_collection_appraisal", wang_row.ids
            )
        own = self._wizard_rows(self.chen)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.chen)
            ._render_qweb_html("credit_collection.action_report_collection_appraisal", own.ids)[0]
            .decode()
        )
        self.assertIn("Chen Jing", html)

    def test_collector_cannot_forge_rows_nor_raise_their_target(self):
        """What a collector could send over JSON-RPC: a row of their own making, a target
        of their own, a higher target, another collector's target."""
        Target = self.env["collection.target"].with_user(self.chen)
        own = Target.search([])
        self.assertEqual(own.user_id, self.chen, "a collector reads their own targets only")
        self.assertEqual(len(own), 2)
        with self.assertRaises(AccessError):
            own[:1].write({"amount": 1.0})
        with self.assertRaises(AccessError):
            Target.create(self._target_vals(self.chen, "2024-05-01", 1.0))
        with self.assertRaises(AccessError):
            own[:1].unlink()
        wizard = self.env["collection.appraisal.wizard"].with_user(self.chen).create({})
        with self.assertRaises(AccessError):
            self.env["collection.appraisal"].with_user(self.chen).create(
                {"wizard_id": wizard.id, "user_id": self.chen.id, "amount_collected": 1e9}
            )
        row = self._wizard_rows(self.chen)
        with self.assertRaises(AccessError):
            row.with_user(self.chen).write({"amount_collected": 1e9})

    def test_salesperson_sees_no_appraisal(self):
        salesperson = self.users["salesperson"]
        with self.assertRaises(AccessError):
            self._rows(user=salesperson)
        with self.assertRaises(AccessError):
            self.env["collection.appraisal.wizard"].with_user(salesperson).create({})
        with self.assertRaises(AccessError):
            self.env["collection.target"].with_user(salesperson).search([])

    def test_a_manager_of_company_1_cannot_appraise_company_2(self):
        manager_1 = new_role_user(self.env, "manager", "appraisal_manager_1", self.company)
        with self.assertRaises(AccessError):
            self._rows(self.company_2, user=manager_1)
        targets = self.env["collection.target"].with_user(manager_1).search([])
        self.assertNotIn(self.company_2, targets.company_id)
        self.assertEqual(len(targets), 4)

    def test_period_must_be_in_order(self):
        with self.assertRaises(UserError):
            self._rows(period=("2024-03-31", "2024-03-01"))

    # ------------------------------------------------------------
    # cases: the closing date
    # ------------------------------------------------------------

    def test_reopening_a_case_clears_its_closing_date(self):
        self.case_beta._reopen()
        self.assertRecordValues(self.case_beta, [{"state": "open", "date_closed": False}])
        self.assertEqual(self._by_user(self._rows())[self.wang.id]["case_closed_count"], 0)

    def test_closing_date_is_a_decision_field(self):
        with self.assertRaises(AccessError):
            self.case_acme.with_user(self.chen).write({"date_closed": "2024-03-31"})

    # ------------------------------------------------------------
    # cost
    # ------------------------------------------------------------

    def test_query_count_does_not_grow_with_invoices(self):
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES):
            self._rows(user=self.manager)
        # ten more invoices, paid in March, for a new customer of a new collector
        lee = new_role_user(self.env, "collector", "appraisal_lee", self.company, name="Lee")
        delta = self.env["res.partner"].create({"name": "Delta Appraisal", "is_company": True})
        delta.with_company(self.company).collection_user_id = lee
        for day in range(1, 11):
            invoice = self._appraisal_invoice(delta, f"2024-03-{day:02d}", 100.0)
            self._appraisal_pay(invoice, 100.0, f"2024-03-{day + 10:02d}")
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES):
            rows = self._rows(user=self.manager)
        self.assertAlmostEqual(self._by_user(rows)[lee.id]["amount_collected"], 1000.0)

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _wizard_rows(self, user):
        wizard = (
            self.env["collection.appraisal.wizard"]
            .with_user(user)
            .create({"date_from": MARCH[0], "date_to": MARCH[1], "company_id": self.company.id})
        )
        wizard.action_open_ranking()
        return wizard.line_ids.sudo().with_user(user)

    @staticmethod
    def _date(value):
        return fields.Date.to_date(value)


# the appraisal's queries, whatever the number of invoices: pinned by the test above
QUERIES = 38
