import io
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TwoCompanyWorldCommon, post_customer_invoice, register_payment

# the runs of the story: the first of March (before the month), then the 10th and the 12th
FIRST = date(2026, 3, 1)
SECOND = date(2026, 3, 10)
THIRD = date(2026, 3, 12)


@tagged("post_install", "-at_install")
class TestCashinForecast(TwoCompanyWorldCommon):
    """Two companies (USD, CNY) sell to Acme: the world's invoice of each (EUR in the first,
    CNY in the second, 900 left to pay), plus one in USD in the first and one in EUR in the
    second (a third currency for it), both due on the 22nd of March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd_invoice = post_customer_invoice(
            cls.env,
            cls.customer,
            500.0,
            cls.DUE - timedelta(days=10),
            due=cls.DUE + timedelta(days=20),
            company=cls.company,
        )
        cls.eur_invoice_2 = post_customer_invoice(
            cls.env,
            cls.customer,
            300.0,
            cls.DUE - timedelta(days=10),
            due=cls.DUE + timedelta(days=20),
            currency=cls.eur,
            company=cls.company_2,
        )
        cls.Forecast = cls.env["credit.cashin.forecast"]
        cls.Report = cls.env["credit.cashin.report"]

    def _run(self, today):
        for company in self.companies:
            self.env["account.move"].with_company(company)._forecast_payments(
                company, today=today, commit=False
            )

    def _open_invoices(self, company):
        return self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )

    def _rows(self, company, run_date):
        return self.Forecast.search([("company_id", "=", company.id), ("run_date", "=", run_date)])

    # ------------------------------------------------------------
    # THE RUN
    # ------------------------------------------------------------

    def test_the_forecast_total_equals_the_open_receivables(self):
        """Per company in company currency, per currency in that currency, to the cent."""
        self._run(SECOND)
        for company in self.companies:
            rows = self._rows(company, SECOND)
            invoices = self._open_invoices(company)
            self.assertEqual(len(invoices.currency_id), 2)
            self.assertAlmostEqual(
                sum(rows.mapped("amount")), sum(invoices.mapped("amount_residual_signed")), 2
            )
            for currency in invoices.currency_id:
                self.assertAlmostEqual(
                    sum(
                        rows.filtered(lambda r, c=currency: r.currency_id == c).mapped(
                            "amount_currency"
                        )
                    ),
                    sum(
                        invoices.filtered(lambda i, c=currency: i.currency_id == c).mapped(
                            "amount_residual"
                        )
                    ),
                    2,
                )
            for row in rows:
                self.assertEqual(row.company_currency_id, company.currency_id)
                self.assertGreaterEqual(row.date, SECOND)
                self.assertLessEqual(row.amount_low, row.amount)
                self.assertGreaterEqual(row.amount_high, row.amount)

    def test_an_overdue_invoice_is_spread_and_a_new_one_lands_on_its_date(self):
        """No history: an invoice is expected at its terms (the 22nd); the world's invoice,
        older than that, over tomorrow, a week and a month, a third each, with a band."""
        self._run(SECOND)
        rows = self._rows(self.company, SECOND)
        usd = rows.filtered(lambda r: r.currency_id == self.usd_invoice.currency_id)
        self.assertRecordValues(
            usd, [{"date": date(2026, 3, 22), "amount_currency": 500.0, "amount": 500.0}]
        )
        self.assertEqual((usd.amount_low, usd.amount_high), (500.0, 500.0))
        eur = rows.filtered(lambda r: r.currency_id == self.eur)
        self.assertEqual(
            eur.mapped("date"),
            [SECOND + timedelta(days=1), SECOND + timedelta(days=7), SECOND + timedelta(days=30)],
        )
        self.assertEqual(eur.mapped("amount_currency"), [300.0, 300.0, 300.0])
        self.assertTrue(all(r.amount_low < r.amount < r.amount_high for r in eur))

    def test_a_payment_plan_puts_its_invoice_on_the_instalment(self):
        """The world's collections: each world invoice in a payment plan due 40 days after
        DUE; its whole residual is expected that day, with no band."""
        self._world_collections()
        self._run(SECOND)
        for invoice in self.invoices:
            rows = self._rows(invoice.company_id, SECOND).filtered(
                lambda r, i=invoice: (
                    r.currency_id == i.currency_id and r.date == self.DUE + timedelta(days=40)
                )
            )
            self.assertEqual(rows.amount_currency, invoice.amount_residual)
            self.assertEqual((rows.amount_low, rows.amount_high), (rows.amount, rows.amount))

    def test_a_rerun_the_same_day_writes_the_same_rows_once(self):
        self._run(SECOND)
        first = self._rows(self.company, SECOND).read(["date", "currency_id", "amount"])
        self._run(SECOND)
        second = self._rows(self.company, SECOND).read(["date", "currency_id", "amount"])
        strip = [{k: v for k, v in row.items() if k != "id"} for row in first]
        self.assertEqual([{k: v for k, v in row.items() if k != "id"} for row in second], strip)

    def test_a_paid_invoice_leaves_the_next_run(self):
        self._run(SECOND)
        register_payment(self.env, self.usd_invoice, SECOND + timedelta(days=1))
        self._run(THIRD)
        usd = self.usd_invoice.currency_id
        self.assertFalse(self._rows(self.company, THIRD).filtered(lambda r: r.currency_id == usd))
        # the run of the 10th is kept as it was made
        kept = self._rows(self.company, SECOND).filtered(lambda r: r.currency_id == usd)
        self.assertEqual(sum(kept.mapped("amount")), 500.0)

    def test_old_daily_runs_go_the_first_of_each_month_stays(self):
        for run_date in (date(2025, 10, 3), date(2025, 10, 20), date(2025, 11, 2)):
            self.env["account.move"].with_company(self.company)._forecast_payments(
                self.company, today=run_date, commit=False
            )
        self.env["account.move"].with_company(self.company)._forecast_payments(
            self.company, today=SECOND, commit=False
        )
        runs = set(self.Forecast.search([("company_id", "=", self.company.id)]).mapped("run_date"))
        self.assertEqual(runs, {date(2025, 10, 3), date(2025, 11, 2), SECOND})

    def test_storing_a_run_costs_the_same_whatever_the_invoices(self):
        """A constant number of queries for 2 or 40 open invoices: one read of their
        residuals, one batch insert, the delete and the purge."""
        Forecast = self.Forecast.with_company(self.company)
        counts = []
        for number in (1, 2, 40):  # the first warms the caches
            invoices = self.env["account.move"]
            for index in range(number):
                invoices |= post_customer_invoice(
                    self.env, self.customer, 100.0 + index, SECOND, company=self.company
                )
            spreads = [
                (inv.id, [SECOND + timedelta(days=d) for d in (3, 9, 30)]) for inv in invoices
            ]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Forecast._store_forecast_run(self.company, SECOND, spreads)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[1], counts[2])

    # ------------------------------------------------------------
    # FORECAST AGAINST ACTUAL
    # ------------------------------------------------------------

    def test_a_past_day_is_compared_with_the_run_made_before_its_month(self):
        """Runs on the 1st, 10th and 12th of March: the report reads March's days before the
        12th from the run of the 1st, later ones from the latest; the actual cash is the
        payments of each day, in company currency."""
        self._run(FIRST)
        register_payment(self.env, self.usd_invoice, SECOND - timedelta(days=2))
        self._run(SECOND)
        self._run(THIRD)
        rows = self.Report.search([("company_id", "=", self.company.id)])
        past = rows.filtered(lambda r: r.date < THIRD and r.series != "actual")
        self.assertTrue(past)
        self.assertEqual(set(past.mapped("run_date")), {FIRST})
        self.assertEqual(set(past.mapped("basis")), {"month"})
        future = rows.filtered(lambda r: r.date >= THIRD and r.series != "actual")
        self.assertEqual(set(future.mapped("run_date")), {THIRD})
        self.assertEqual(set(future.mapped("basis")), {"latest"})
        # the run of the 1st still expected the USD invoice on the 22nd: only the latest run
        # is read for days from the 12th, and it no longer does
        self.assertFalse(future.filtered(lambda r: r.date == date(2026, 3, 22) and r.expected))
        # what came in: the world's 100 EUR on DUE, the USD invoice on the 8th
        world = self.invoices[:1]  # the first company's
        paid_on_due = world.amount_total_signed - world.amount_residual_signed
        actual = rows.filtered(lambda r: r.series == "actual")
        self.assertEqual(
            {(r.date, round(r.actual, 2)) for r in actual},
            {(self.DUE, round(paid_on_due, 2)), (SECOND - timedelta(days=2), 500.0)},
        )
        # the month at once: the pivot's sums from the same rows
        ((expected, low, high, cash),) = self.Report._read_group(
            [("company_id", "=", self.company.id), ("date", ">=", FIRST), ("date", "<", THIRD)],
            [],
            ["expected:sum", "amount_low:sum", "amount_high:sum", "actual:sum"],
        )
        self.assertAlmostEqual(
            expected, sum(past.filtered(lambda r: r.series == "expected").mapped("amount")), 2
        )
        self.assertAlmostEqual(cash, paid_on_due + 500.0, 2)
        self.assertLessEqual(low, expected)
        self.assertGreaterEqual(high, expected)

    def test_without_a_run_before_the_month_the_week_or_the_day_is_used(self):
        self._run(SECOND)
        self._run(THIRD)
        rows = self.Report.search(
            [("company_id", "=", self.company.id), ("date", "=", SECOND + timedelta(days=1))]
        )
        # the 11th: no run by the 1st of March nor by Monday the 9th, the one of the 10th
        self.assertEqual(set(rows.mapped("run_date")), {SECOND})
        self.assertEqual(set(rows.mapped("basis")), {"day"})

    def test_a_month_band_is_narrower_than_its_days_added_up(self):
        """The band of a group comes from its mean and variance, not the days' bands."""
        self._run(SECOND)
        domain = [("company_id", "=", self.company.id), ("series", "=", "expected")]
        days = self.Report.search(domain)
        ((expected, high),) = self.Report._read_group(
            domain, [], ["expected:sum", "amount_high:sum"]
        )
        self.assertAlmostEqual(expected, sum(days.mapped("expected")), 2)
        day_highs = sum(self._rows(self.company, SECOND).mapped("amount_high"))
        self.assertLess(high - expected, day_highs - expected)
        # the graph's series: the high line of the group is the same band
        ((series_high,),) = self.Report._read_group(
            [("company_id", "=", self.company.id), ("series", "=", "high")], [], ["amount:sum"]
        )
        self.assertAlmostEqual(series_high, high, 2)

    # ------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------

    def test_collectors_and_managers_read_salespeople_do_not(self):
        self._run(SECOND)
        for role in ("collector", "manager"):
            user = self.users[role]
            self.assertTrue(self.Forecast.with_user(user).search([]))
            self.assertTrue(self.Report.with_user(user).search([]))
            # one company's users see its rows only
            only_first = self.Report.with_user(user).with_context(
                allowed_company_ids=self.company.ids
            )
            self.assertEqual(only_first.search([]).company_id, self.company)
        for model in (self.Forecast, self.Report):
            with self.assertRaises(AccessError):
                model.with_user(self.users["salesperson"]).search([])

    def test_nobody_forges_a_forecast(self):
        """As over JSON-RPC: no role creates, changes or deletes a run's rows."""
        self._run(SECOND)
        row = self._rows(self.company, SECOND)[:1]
        for role in ("collector", "manager", "billing", "salesperson"):
            user = self.users[role]
            with self.assertRaises(AccessError):
                self.Forecast.with_user(user).create(
                    {
                        "company_id": self.company.id,
                        "company_currency_id": self.company.currency_id.id,
                        "run_date": SECOND,
                        "date": SECOND,
                        "currency_id": self.company.currency_id.id,
                        "amount": 1e6,
                    }
                )
            with self.assertRaises(AccessError):
                row.with_user(user).write({"amount": 1e6})
            with self.assertRaises(AccessError):
                row.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Report.with_user(user).create({"amount": 1e6})
        self.assertNotEqual(row.amount, 1e6)

    # ------------------------------------------------------------
    # DASHBOARD AND EXCEL
    # ------------------------------------------------------------

    def test_the_dashboard_shows_the_next_weeks_and_last_month(self):
        self._run(FIRST)
        register_payment(self.env, self.usd_invoice, SECOND - timedelta(days=2))
        self._run(THIRD)
        manager = self.users["manager"]
        with freeze_time(date(2026, 4, 1)):
            data = (
                self.env["res.company"]
                .with_user(manager)
                .with_context(allowed_company_ids=self.company.ids)
                .get_receivables_dashboard()
            )
        cash_in = data["cash_in"]
        self.assertTrue(cash_in["can_open"])
        # April's days come from the run of the 12th: the world's invoice, a third on 11 April
        self.assertAlmostEqual(
            sum(week["expected"] for week in cash_in["weeks"]),
            sum(
                self._rows(self.company, THIRD)
                .filtered(lambda r: r.date >= date(2026, 4, 1))
                .mapped("amount")
            ),
            2,
        )
        last_month = cash_in["last_month"]
        self.assertEqual(last_month["date_from"], "2026-03-01")
        self.assertEqual(last_month["run_date"], "2026-03-01")
        world = self.invoices[:1]  # the first company's
        self.assertAlmostEqual(
            last_month["actual"], world.amount_total_signed - world.amount_residual_signed + 500, 2
        )
        self.assertLessEqual(last_month["low"], last_month["expected"])
        self.assertGreaterEqual(last_month["high"], last_month["expected"])
        # an accountant reads the dashboard, with the section, but not the forecast's screens
        accountant = self.users["accountant"]
        with freeze_time(date(2026, 4, 1)):
            data = (
                self.env["res.company"]
                .with_user(accountant)
                .with_context(allowed_company_ids=self.company.ids)
                .get_receivables_dashboard()
            )
        self.assertEqual(data["cash_in"]["last_month"]["run_date"], "2026-03-01")
        self.assertFalse(data["cash_in"]["can_open"])
        with self.assertRaises(AccessError):
            self.env["res.company"].with_user(
                accountant
            ).action_open_receivables_dashboard_cash_in()

    def test_the_excel_file_holds_the_pivot_figures(self):
        self._run(SECOND)
        wizard = (
            self.env["credit.cashin.export.wizard"]
            .with_user(self.users["collector"])
            .with_context(allowed_company_ids=self.company.ids)
            .create({"date_from": FIRST, "date_to": date(2026, 5, 31), "granularity": "month"})
        )
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        sheet = openpyxl.load_workbook(io.BytesIO(wizard._render_xlsx())).worksheets[0]
        lines = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
        self.assertEqual({line[2] for line in lines}, {"USD", "EUR"})
        self.assertAlmostEqual(
            sum(line[5] for line in lines),
            sum(self._open_invoices(self.company).mapped("amount_residual_signed")),
            2,
        )
        for line in lines:
            self.assertLessEqual(line[6], line[5])
            self.assertGreaterEqual(line[7], line[5])
