from datetime import date

from freezegun import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import new_role_user, post_customer_invoice, register_payment

TODAY = "2024-06-15"
JUNE = (date(2024, 6, 1), date(2024, 6, 15))
MAY = (date(2024, 5, 1), date(2024, 5, 31))


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReceivablesDashboard(AccountTestInvoicingCommon):
    """The dashboard of 15 June 2024 on a world worked out by hand.

    Company 1 (USD), each invoice due on the date given (days overdue on 15 June, bucket):
    - Acme:    A1 1,000 of 1 Jan due 31 Jan (136 days, 91-180); A2 500 of 2 May due 1 Jun
               (14 days, 1-30)
    - Beta:    B1 2,000 of 1 Apr due 1 May (45, 31-60); B2 3,000 of 5 Jun due 15 Jul (not
               due); P1 800 of 3 Jun, paid on 12 Jun
    - Gamma:   G1 700 of 2 Oct 2023 due 1 Nov 2023 (227, over 180)
    - Delta:   D1 4,000 of 2 Mar due 1 Apr (75, 61-90); an unmatched payment of 500 on
               10 Jun (5 days, 1-30: -500)
    - Epsilon: E1 100 of 10 Jun due 10 Jun (5, 1-30)
    Acme and Delta have a collector (Chen); the others none.
    Company 2 (CNY): Acme owes 7,000 CNY due 2 Jan (165 days, 91-180).

    Buckets today: not due 3,000 (B2); 1-30: 500 + 100 - 500 = 100; 31-60 2,000;
    61-90 4,000; 91-180 1,000; over 180 700; total 10,800.
    Expected loss (2 %, 5 %, 15 %, 35 %, 60 % of the overdue buckets; a bucket netting to a
    credit counts as zero): Delta 4,000 x 15 % = 600 (its 1-30 bucket is -500: 0, not -10);
    Gamma 700 x 60 % = 420; Acme 1,000 x 35 % + 500 x 2 % = 360; Beta 2,000 x 5 % = 100;
    Epsilon 100 x 2 % = 2.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.setup_other_currency("CNY", rates=[("1900-01-01", 7.0)])
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company(name="Shanghai Dashboard Ltd.", currency_id=cny.id)[
            "company"
        ]
        cls.companies = cls.company + cls.company_2
        cls.env.user.company_ids |= cls.companies
        names = ("Acme", "Beta", "Gamma", "Delta", "Epsilon")
        partners = cls.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in names]
        )
        cls.acme, cls.beta, cls.gamma, cls.delta, cls.epsilon = partners
        cls.a1 = cls._invoice(cls.acme, "2024-01-01", 1000.0, due="2024-01-31")
        cls.a2 = cls._invoice(cls.acme, "2024-05-02", 500.0, due="2024-06-01")
        cls.b1 = cls._invoice(cls.beta, "2024-04-01", 2000.0, due="2024-05-01")
        cls.b2 = cls._invoice(cls.beta, "2024-06-05", 3000.0, due="2024-07-15")
        cls.p1 = cls._invoice(cls.beta, "2024-06-03", 800.0)
        cls._pay(cls.p1, 800.0, "2024-06-12")
        cls.g1 = cls._invoice(cls.gamma, "2023-10-02", 700.0, due="2023-11-01")
        cls.d1 = cls._invoice(cls.delta, "2024-03-02", 4000.0, due="2024-04-01")
        cls.init_payment(500.0, post=True, date="2024-06-10", partner=cls.delta)
        cls.e1 = cls._invoice(cls.epsilon, "2024-06-10", 100.0)
        cls.c2 = cls._invoice(
            cls.acme, "2024-01-01", 7000.0, due="2024-01-02", company=cls.company_2
        )
        cls.chen = new_role_user(cls.env, "collector", "dash_chen", cls.companies, name="Chen")
        for partner in cls.acme + cls.delta:
            partner.with_company(cls.company).collection_user_id = cls.chen

    @classmethod
    def _invoice(cls, partner, invoice_date, amount, *, due=None, company=None):
        return post_customer_invoice(
            cls.env, partner, amount, invoice_date, due=due, company=company or cls.company
        )

    @classmethod
    def _pay(cls, invoice, amount, payment_date):
        return register_payment(cls.env, invoice, payment_date, amount)

    def _dashboard(self, user=None, companies=None, period="this_month"):
        companies = companies or self.companies
        env = self.env(user=user or self.env.user, context={"allowed_company_ids": companies.ids})
        return env["res.company"].get_receivables_dashboard(period)

    def _receivable_line(self, move):
        return move.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    # ------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------

    def test_kpis_are_the_engines_beside_last_months(self):
        data = self._dashboard()
        self.assertEqual(data["company"]["id"], self.company.id)
        self.assertEqual((data["date_from"], data["date_to"]), ("2024-06-01", "2024-06-15"))
        self.assertEqual((data["compare_from"], data["compare_to"]), ("2024-05-01", "2024-05-31"))
        kpis = {kpi["key"]: kpi for kpi in data["kpis"]}
        current = self.company._get_receivable_kpis(*JUNE)
        previous = self.company._get_receivable_kpis(*MAY)
        self.assertEqual(set(kpis), set(current))
        descriptions = self.company._get_receivable_kpi_descriptions()
        for key, kpi in kpis.items():
            self.assertEqual(kpi["value"], current[key], key)
            self.assertEqual(kpi["previous"], previous[key], key)
            self.assertEqual((kpi["label"], kpi["help"]), descriptions[key])
        # June: B2 3,000 + P1 800 + E1 100; May: A2 500
        self.assertAlmostEqual(kpis["credit_sales"]["value"], 3900.0)
        self.assertAlmostEqual(kpis["credit_sales"]["previous"], 500.0)
        self.assertAlmostEqual(kpis["ar_end"]["value"], 10800.0)
        self.assertAlmostEqual(kpis["ar_end"]["previous"], 8200.0)
        self.assertEqual(
            data["currency"],
            {"id": self.company.currency_id.id, "name": "USD", "symbol": "$",
             "position": "before", "digits": 2},
        )  # fmt: skip

    def test_other_periods(self):
        data = self._dashboard(period="this_quarter")
        self.assertEqual((data["date_from"], data["date_to"]), ("2024-04-01", "2024-06-15"))
        self.assertEqual((data["compare_from"], data["compare_to"]), ("2024-01-01", "2024-03-31"))
        data = self._dashboard(period="last_month")
        self.assertEqual((data["date_from"], data["date_to"]), ("2024-05-01", "2024-05-31"))
        self.assertEqual((data["compare_from"], data["compare_to"]), ("2024-04-01", "2024-04-30"))
        data = self._dashboard(period="this_year")
        self.assertEqual((data["compare_from"], data["compare_to"]), ("2023-01-01", "2023-12-31"))
        with self.assertRaisesRegex(UserError, "no period “forever”"):
            self._dashboard(period="forever")

    def test_buckets_and_worst_customers(self):
        data = self._dashboard()
        self.assertEqual(
            [(b["label"], b["amount"]) for b in data["buckets"]],
            [("Not due", 3000.0), ("1-30", 100.0), ("31-60", 2000.0), ("61-90", 4000.0),
             ("91-180", 1000.0), ("Over 180", 700.0)],
        )  # fmt: skip
        worst = [(row["name"], row["expected_loss"]) for row in data["worst_customers"]]
        self.assertEqual(
            [name for name, _loss in worst], ["Delta", "Gamma", "Acme", "Beta", "Epsilon"]
        )
        for (_name, loss), expected in zip(worst, (600.0, 420.0, 360.0, 100.0, 2.0), strict=True):
            self.assertAlmostEqual(loss, expected)
        acme = data["worst_customers"][2]
        self.assertEqual(acme["partner_id"], self.acme.id)
        self.assertAlmostEqual(acme["amount_due"], 1500.0)
        self.assertAlmostEqual(acme["amount_overdue"], 1500.0)

    def test_trends_keep_the_snapshot_of_a_closed_month(self):
        """April has a snapshot: 1,000 + 2,000 + 700 + 4,000 = 7,700, of which B1 (due
        1 May) 2,000 not due. May has none yet and is aged live: 8,200 (A2 added), 500 not
        due. A payment of 1,000 on D1 dated 20 April is then matched: April keeps 7,700,
        May's live figure drops to 7,200."""
        snapshot = self.env["credit.receivable.snapshot"]._take_snapshot(
            self.company, date(2024, 4, 30)
        )
        self.assertAlmostEqual(snapshot.amount_total, 7700.0)
        self._pay(self.d1, 1000.0, "2024-04-20")
        trends = self._dashboard()["trends"]
        self.assertEqual(len(trends), 24)
        self.assertEqual((trends[0]["month"], trends[-1]["date"]), ("2022-07-01", "2024-06-15"))
        by_month = {row["month"]: row for row in trends}
        april, may, june = by_month["2024-04-01"], by_month["2024-05-01"], by_month["2024-06-01"]
        self.assertEqual(
            (april["source"], april["ar"], april["overdue"], april["credit_sales"]),
            ("snapshot", 7700.0, 5700.0, 2000.0),
        )
        self.assertAlmostEqual(april["dso"], 7700 / 2000 * 30)
        self.assertEqual(may["source"], "live")
        self.assertAlmostEqual(may["ar"], 7200.0)
        self.assertAlmostEqual(may["overdue"], 6700.0)
        self.assertAlmostEqual(may["dso"], 7200 / 500 * 31)
        # June to date: 10,800 - 1,000 paid on D1; 3,000 (B2) not due; sales 3,900 in 15 days
        self.assertEqual(june["source"], "live")
        self.assertAlmostEqual(june["ar"], 9800.0)
        self.assertAlmostEqual(june["overdue"], 6800.0)
        self.assertAlmostEqual(june["dso"], 9800 / 3900 * 15)
        # March has no snapshot and is not aged live: no receivables figure, its sales shown
        march = by_month["2024-03-01"]
        self.assertEqual((march["source"], march["ar"], march["dso"]), (None, None, None))
        self.assertAlmostEqual(march["credit_sales"], 4000.0)

    def test_collectors_ranked_by_cei(self):
        """June. Chen (Acme, Delta): AR(31 May) 1,500 + 4,000 = 5,500, no sales, AR(15 Jun)
        5,000, nothing current: CEI = 500 / 5,500 = 9.09 %, no cash (Delta's payment is not
        matched). No collector (Beta, Gamma, Epsilon): AR(31 May) 2,700, sales 3,900, AR
        5,800 of which 3,000 current: CEI = 800 / 3,600 = 22.2 %, cash 800 (P1)."""
        collectors = self._dashboard()["collectors"]
        self.assertEqual(
            [(row["collector_id"], row["name"]) for row in collectors],
            [(False, "No collector"), (self.chen.id, "Chen")],
        )
        nobody, chen = collectors
        self.assertAlmostEqual(nobody["cei"], 800 / 3600 * 100)
        self.assertAlmostEqual(nobody["cash_received"], 800.0)
        self.assertAlmostEqual(nobody["ar_end"], 5800.0)
        self.assertAlmostEqual(chen["cei"], 500 / 5500 * 100)
        self.assertAlmostEqual(chen["cash_received"], 0.0)
        self.assertAlmostEqual(chen["ar_end"], 5000.0)
        grouped = self.company._get_receivable_kpis_grouped(*JUNE, "collector_id")
        self.assertAlmostEqual(chen["add"], grouped[self.chen.id]["add"])
        self.assertEqual(self._dashboard()["segments"], [])

    def test_customer_types_once_the_monthly_run_typed_them(self):
        self.env["credit.customer.segment"].sudo()._cron_assign_segments(commit=False)
        segments = self._dashboard()["segments"]
        typed = self.env["res.partner"].search([]).with_company(self.company)
        typed = typed.filtered("customer_segment_id")
        self.assertTrue(segments)
        self.assertEqual(sum(row["customers"] for row in segments), len(typed))
        # what the typed customers owe today, as the aging reads it
        owed = self.env["credit.receivable.query"]._get_bucket_totals(
            TODAY, self.company.ids, partner_ids=typed.ids
        )
        self.assertAlmostEqual(
            sum(row["ar_end"] for row in segments), sum(sum(b) for b in owed.values())
        )

    # ------------------------------------------------------------
    # drill-down
    # ------------------------------------------------------------

    def test_each_figure_opens_the_records_behind_it(self):
        manager = new_role_user(self.env, "manager", "dash_drill", self.company)
        Company = self.env["res.company"].with_user(manager)
        items = self.env["account.move.line"].with_user(manager)

        action = Company.action_open_receivables_dashboard_items(TODAY, bucket=4)
        self.assertEqual(action["res_model"], "account.move.line")
        self.assertEqual(items.search(action["domain"]), self._receivable_line(self.a1))

        action = Company.action_open_receivables_dashboard_items(TODAY, collector_id=self.chen.id)
        lines = items.search(action["domain"])
        # Acme's and Delta's invoices, and Delta's unmatched payment
        self.assertEqual(len(lines), 4)
        self.assertEqual(
            lines.move_id.filtered(lambda move: move.is_invoice()), self.a1 + self.a2 + self.d1
        )
        self.assertEqual(lines.partner_id, self.acme + self.delta)

        action = Company.action_open_receivables_dashboard_items(TODAY, collector_id=False)
        self.assertEqual(
            items.search(action["domain"]).move_id, self.b1 + self.b2 + self.g1 + self.e1
        )
        action = Company.action_open_receivables_dashboard_items(TODAY, overdue=True)
        self.assertNotIn(self.b2, items.search(action["domain"]).move_id)
        self.assertEqual(len(items.search(action["domain"])), 7)

        action = Company.action_open_receivables_dashboard_invoices("2024-06-01", "2024-06-15")
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), self.b2 + self.p1 + self.e1
        )

        action = Company.action_open_receivables_dashboard_customer(self.delta.id)
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.delta.id))

    # ------------------------------------------------------------
    # rights and companies
    # ------------------------------------------------------------

    def test_the_dashboard_is_read_on_the_replica(self):
        """The web client's call of the dashboard is routed to a read-only cursor (the
        replica when one is configured): the method is marked read-only and writes
        nothing, so Odoo never has to retry it on the primary."""
        method = type(self.env["res.company"]).get_receivables_dashboard
        self.assertTrue(getattr(method, "_readonly", False))
        self.env.flush_all()
        self.cr.execute("SET TRANSACTION READ ONLY")
        data = self._dashboard()  # would raise ReadOnlySqlTransaction on any write
        self.assertIn("buckets", data)

    def test_who_reads_the_dashboard(self):
        for role in ("manager", "collector", "accountant"):
            user = new_role_user(self.env, role, f"dash_{role}", self.companies)
            data = self._dashboard(user)
            self.assertAlmostEqual(data["buckets"][5]["amount"], 700.0, msg=role)
            self.assertEqual(len(data["worst_customers"]), 5, role)
        for role in ("salesperson", "billing"):
            user = new_role_user(self.env, role, f"dash_{role}", self.companies)
            with self.assertRaises(AccessError, msg=role):
                self._dashboard(user)
            Company = self.env["res.company"].with_user(user)
            # what the browser could call directly
            with self.assertRaises(AccessError, msg=role):
                Company.action_open_receivables_dashboard_items(TODAY, bucket=4)
            with self.assertRaises(AccessError, msg=role):
                Company.action_open_receivables_dashboard_invoices("2024-06-01", TODAY)
            with self.assertRaises(AccessError, msg=role):
                Company.action_open_receivables_dashboard_customer(self.acme.id)

    def test_each_company_sees_its_own_figures(self):
        manager = new_role_user(self.env, "manager", "dash_both", self.companies)
        data = self._dashboard(manager, self.company + self.company_2)
        self.assertNotIn(7000.0, [row["amount_due"] for row in data["worst_customers"]])
        self.assertAlmostEqual(sum(b["amount"] for b in data["buckets"]), 10800.0)
        # working in the CNY company: only its receivable, in yuan
        data = self._dashboard(manager, self.company_2 + self.company)
        self.assertEqual(data["company"]["id"], self.company_2.id)
        self.assertEqual(data["currency"]["name"], "CNY")
        self.assertEqual(
            [(row["name"], row["expected_loss"]) for row in data["worst_customers"]],
            [("Acme", 7000.0 * 0.35)],
        )
        self.assertAlmostEqual(sum(b["amount"] for b in data["buckets"]), 7000.0)
        self.assertAlmostEqual(data["buckets"][4]["amount"], 7000.0)
        # a manager of the CNY company alone sees nothing of the dollar company
        elsewhere = new_role_user(self.env, "manager", "dash_cny", self.company_2)
        data = self._dashboard(elsewhere, self.company_2)
        self.assertEqual(data["company"]["id"], self.company_2.id)
        with self.assertRaises(AccessError):
            # the dollar company is not one of theirs: the web client cannot ask for it
            self._dashboard(elsewhere, self.company)

    # ------------------------------------------------------------
    # cost
    # ------------------------------------------------------------

    def test_the_dashboard_costs_the_same_whatever_the_ledger(self):
        """One query per source: more invoices, customers and months add no query. With 12
        more customers owing overdue invoices, the table stops at the ten worst."""

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            data = self.company._get_receivables_dashboard()
            return self.cr.sql_log_count - start, data

        queries()  # warms the caches
        small, _data = queries()
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {index:02d}", "is_company": True} for index in range(12)]
        )
        for index, customer in enumerate(customers):
            self._invoice(customer, f"2023-{index % 12 + 1:02d}-05", 100.0 + index)
            self._invoice(customer, "2024-06-01", 50.0, due="2024-06-02")
        large, data = queries()
        self.assertEqual(large, small)
        self.assertEqual(len(data["worst_customers"]), 10)
        self.assertEqual(data["worst_customers"][0]["name"], "Delta")
        # KPIs of two periods (5 sums and the month-end snapshots each) and by collector
        # (5 + cash + snapshots), snapshots, sales and two live months of the trends,
        # buckets, names, the customer types; the receivable accounts looked up by each
        # aging query; the cash-in card (two grouped reads of the forecast, the reader's
        # access to its screens)
        with self.assertQueryCount(56):
            self.env.invalidate_all()
            self.company._get_receivables_dashboard()
