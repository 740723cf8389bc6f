from odoo import fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import post_customer_invoice, register_payment

MARCH = ("2024-03-01", "2024-03-31")
QUARTER = ("2024-01-01", "2024-03-31")


@tagged("post_install", "-at_install")
class TestReceivableKpis(AccountTestInvoicingCommon):
    """Receivables KPIs of March 2024 (N = 31 days) on a world worked out by hand.

    Company 1 (USD), no payment terms (each invoice due on the date given):
    - Acme: INV1 1,000 of 10 Jan due 9 Feb, paid 400 on 15 Feb and 600 on 20 Mar;
      INV2 500 of 20 Feb due 21 Mar, settled 150 by a credit note of 15 Mar;
      INV4 1,000 + 15% tax = 1,150 of 5 Mar due 4 Apr, paid 500 on 10 Apr (after March).
    - Beta: INV3 800 EUR (rate 2: 400 USD) of 1 Feb due 2 Mar, paid 400 EUR (200 USD) on
      12 Mar; INV5 2,000 of 10 Mar due 10 Mar, paid on 25 Mar.
    Company 2 (CNY): INV6 7,000 CNY to Acme of 5 Mar due 4 Apr, unpaid.

    Company 1 in March:
    S        = 1,150 (INV4) + 2,000 (INV5) - 150 (credit note) = 3,000
    AR(29 Feb) = 600 (INV1) + 500 (INV2) + 400 (INV3) = 1,500
    AR(31 Mar) = 350 (INV2) + 200 (INV3) + 1,150 (INV4) = 1,700, current (not due) 1,150 (INV4)
    cash     = 600 (INV1) + 200 (INV3) + 2,000 (INV5) = 2,800 (the credit note is no cash)
               and indeed 1,500 + 3,000 - 2,800 = 1,700
    DSO      = 1,700 / 3,000 x 31 = 17.5667; best = 1,150 / 3,000 x 31 = 11.8833
    ADD      = 550 / 3,000 x 31 = 5.6833
    countback: March alone, 1,700 of March's 3,000: 31 x 1,700 / 3,000 = 17.5667
    CEI      = (1,500 + 3,000 - 1,700) / (1,500 + 3,000 - 1,150) x 100 = 2,800 / 3,350 = 83.5821
    overdue  = 550 / 1,700 = 0.323529; collected = 2,800 / 4,500 = 0.622222
    paid in full in March: INV1 (70 days, 1,000), INV5 (15 days, 2,000):
               (70,000 + 30,000) / 3,000 = 33.3333 days
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")  # 2 EUR for 1 USD in 2024
        cny = cls.setup_other_currency("CNY", rates=[("1900-01-01", 7.0)])
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company(name="Shanghai KPI Ltd.", currency_id=cny.id)[
            "company"
        ]
        cls.env.user.company_ids |= cls.company + cls.company_2
        cls.tax_15 = cls.env["account.tax"].create(
            {
                "name": "VAT 15% (KPI)",
                "amount": 15.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        partners = cls.env["res.partner"].create(
            [{"name": "Acme", "is_company": True}, {"name": "Beta", "is_company": True}]
        )
        cls.acme, cls.beta = partners
        cls.inv1 = cls._invoice(cls.acme, "2024-01-10", 1000.0, due="2024-02-09")
        cls.inv2 = cls._invoice(cls.acme, "2024-02-20", 500.0, due="2024-03-21")
        cls.inv3 = cls._invoice(cls.beta, "2024-02-01", 800.0, due="2024-03-02", currency=cls.eur)
        cls.inv4 = cls._invoice(cls.acme, "2024-03-05", 1000.0, due="2024-04-04", taxes=cls.tax_15)
        cls.inv5 = cls._invoice(cls.beta, "2024-03-10", 2000.0)
        cls.refund = cls._invoice(cls.acme, "2024-03-15", 150.0, move_type="out_refund")
        (cls.inv2 + cls.refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        cls._pay(cls.inv1, 400.0, "2024-02-15")
        cls._pay(cls.inv1, 600.0, "2024-03-20")
        cls._pay(cls.inv3, 400.0, "2024-03-12", currency=cls.eur)
        cls._pay(cls.inv5, 2000.0, "2024-03-25")
        cls._pay(cls.inv4, 500.0, "2024-04-10")
        cls.inv6 = cls._invoice(
            cls.acme, "2024-03-05", 7000.0, due="2024-04-04", company=cls.company_2
        )

    @classmethod
    def _invoice(cls, partner, invoice_date, amount, *, company=None, **values):
        return post_customer_invoice(
            cls.env, partner, amount, invoice_date, company=company or cls.company, **values
        )

    @classmethod
    def _pay(cls, invoice, amount, date, currency=None):
        return register_payment(cls.env, invoice, date, amount, currency)

    def _assert_kpis(self, kpis, expected):
        self.assertLessEqual(set(expected), set(kpis))
        for key, value in expected.items():
            if value is None:
                self.assertIsNone(kpis[key], key)
            else:
                self.assertAlmostEqual(kpis[key], value, places=4, msg=key)

    # ------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------

    def test_world_is_as_described(self):
        self.assertAlmostEqual(self.inv4.amount_total_signed, 1150.0)
        self.assertAlmostEqual(self.inv3.amount_total_signed, 400.0)
        self.assertEqual(self.inv2.invoice_date_due, fields.Date.to_date("2024-03-21"))
        self.assertEqual(self.inv1.payment_state, "paid")
        self.assertAlmostEqual(self.inv4.amount_residual, 650.0)

    def test_company_kpis_of_march(self):
        kpis = self.company._get_receivable_kpis(*MARCH)
        self._assert_kpis(
            kpis,
            {
                "credit_sales": 3000.0,
                "ar_start": 1500.0,
                "ar_end": 1700.0,
                "current_ar_end": 1150.0,
                "dso": 1700 / 3000 * 31,
                "best_possible_dso": 1150 / 3000 * 31,
                "add": 550 / 3000 * 31,
                "countback_dso": 31 * 1700 / 3000,
                "cei": 2800 / 3350 * 100,
                "overdue_rate": 550 / 1700,
                "collection_rate": 2800 / 4500,
                "avg_payment_days": 100000 / 3000,
            },
        )
        self.assertEqual(
            set(kpis),
            {
                "dso",
                "countback_dso",
                "best_possible_dso",
                "add",
                "cei",
                "overdue_rate",
                "collection_rate",
                "avg_payment_days",
                "credit_sales",
                "ar_start",
                "ar_end",
                "current_ar_end",
            },
        )
        self.assertEqual(set(kpis), set(self.company._get_receivable_kpi_descriptions()))

    def test_kpis_by_customer_add_up_to_the_company(self):
        """Acme: S = 1,150 - 150 = 1,000; AR(29 Feb) = 600 + 500 = 1,100; AR(31 Mar) = 350 +
        1,150 = 1,500, 1,150 current; cash 600; INV1 paid in 70 days.
        DSO = 1,500 / 1,000 x 31 = 46.5; best = 35.65; CEI = (1,100 + 1,000 - 1,500) /
        (1,100 + 1,000 - 1,150) = 600 / 950; countback: 1,500 outlives March's 1,000: 31.
        Beta: S = 2,000; AR(29 Feb) = 400; AR(31 Mar) = 200 (all overdue); cash 2,200.
        DSO = 200 / 2,000 x 31 = 3.1; CEI = 2,200 / 2,400; INV5 paid in 15 days."""
        by_customer = self.company._get_receivable_kpis_grouped(*MARCH, "partner_id")
        self.assertEqual(set(by_customer), {self.acme.id, self.beta.id})
        self._assert_kpis(
            by_customer[self.acme.id],
            {
                "credit_sales": 1000.0,
                "ar_start": 1100.0,
                "ar_end": 1500.0,
                "current_ar_end": 1150.0,
                "dso": 46.5,
                "best_possible_dso": 35.65,
                "add": 10.85,
                "countback_dso": 31.0,
                "cei": 600 / 950 * 100,
                "overdue_rate": 350 / 1500,
                "collection_rate": 600 / 2100,
                "avg_payment_days": 70.0,
            },
        )
        self._assert_kpis(
            by_customer[self.beta.id],
            {
                "credit_sales": 2000.0,
                "ar_start": 400.0,
                "ar_end": 200.0,
                "current_ar_end": 0.0,
                "dso": 3.1,
                "best_possible_dso": 0.0,
                "countback_dso": 3.1,
                "cei": 2200 / 2400 * 100,
                "overdue_rate": 1.0,
                "collection_rate": 2200 / 2400,
                "avg_payment_days": 15.0,
            },
        )
        company = self.company._get_receivable_kpis(*MARCH)
        for key in ("credit_sales", "ar_start", "ar_end", "current_ar_end"):
            self.assertAlmostEqual(sum(kpis[key] for kpis in by_customer.values()), company[key])
        # one customer alone gives that customer's figures
        self.assertEqual(
            self.company._get_receivable_kpis(*MARCH, partner_ids=self.beta.ids),
            by_customer[self.beta.id],
        )

    def test_countback_over_a_quarter(self):
        """Acme's sales by month: January 1,000, February 500, March 1,000; AR(31 Mar) 1,500:
        March takes 1,000 (31 days), February's 500 the other 500 (29 days): 60 days.
        DSO over the quarter = 1,500 / 2,500 x 91 = 54.6."""
        acme = self.company._get_receivable_kpis_grouped(*QUARTER, "partner_id")[self.acme.id]
        self.assertAlmostEqual(acme["countback_dso"], 60.0)
        self.assertAlmostEqual(acme["dso"], 54.6)
        self.assertAlmostEqual(acme["ar_start"], 0.0)

    def test_zero_denominators_are_none(self):
        """Grouped by currency: the EUR invoice INV3 had no sale in March, so its DSO is
        unknown; CEI = (400 + 0 - 200) / (400 + 0 - 0) = 50 %, collected 200 / 400.
        Company 2 in March: S = AR(31 Mar) = current AR = 7,000, nothing owed before:
        CEI = 0 / 0, unknown; nothing paid: no payment cycle."""
        eur = self.company._get_receivable_kpis_grouped(*MARCH, "currency_id")[self.eur.id]
        self._assert_kpis(
            eur,
            {
                "credit_sales": 0.0,
                "dso": None,
                "best_possible_dso": None,
                "add": None,
                "countback_dso": 31.0,
                "cei": 50.0,
                "collection_rate": 0.5,
                "avg_payment_days": None,
            },
        )
        self._assert_kpis(
            self.company_2._get_receivable_kpis(*MARCH),
            {
                "credit_sales": 7000.0,
                "ar_start": 0.0,
                "ar_end": 7000.0,
                "current_ar_end": 7000.0,
                "dso": 31.0,
                "best_possible_dso": 31.0,
                "add": 0.0,
                "countback_dso": 31.0,
                "cei": None,
                "overdue_rate": 0.0,
                "collection_rate": 0.0,
                "avg_payment_days": None,
            },
        )
        # a period without anything at all
        empty = self.company_2._get_receivable_kpis("2020-01-01", "2020-01-31")
        self.assertEqual(empty["ar_end"], 0.0)
        self.assertIsNone(empty["dso"])
        self.assertIsNone(empty["overdue_rate"])

    # ------------------------------------------------------------
    # one set of numbers
    # ------------------------------------------------------------

    def test_receivables_equal_the_aging_and_the_ledger(self):
        query = self.env["credit.receivable.query"]
        kpis = self.company._get_receivable_kpis(*MARCH)
        for as_of, ar in (("2024-02-29", kpis["ar_start"]), ("2024-03-31", kpis["ar_end"])):
            aging = query._get_bucket_totals(as_of, self.company.ids)
            self.assertAlmostEqual(sum(sum(row) for row in aging.values()), ar)
            self.assertAlmostEqual(query._get_receivable_balance(as_of, self.company.ids), ar)
        aging = query._get_bucket_totals("2024-03-31", self.company.ids)
        not_due = sum(row[0] for row in aging.values())
        self.assertAlmostEqual(not_due, kpis["current_ar_end"])

    def test_other_company_does_not_leak(self):
        """Company 2's 7,000 CNY invoice to Acme stays out of company 1 and the reverse."""
        self.assertAlmostEqual(self.company._get_receivable_kpis(*MARCH)["ar_end"], 1700.0)
        by_customer = self.company_2._get_receivable_kpis_grouped(*MARCH, "partner_id")
        self.assertEqual(set(by_customer), {self.acme.id})
        self.assertAlmostEqual(by_customer[self.acme.id]["credit_sales"], 7000.0)
        by_company = self.company._get_receivable_kpis_grouped(*MARCH, "company_id")
        self.assertEqual(set(by_company), {self.company.id})

    def test_payment_after_the_period_changes_nothing(self):
        before = self.company._get_receivable_kpis(*MARCH)
        self._pay(self.inv4, 650.0, "2024-04-20")
        self._pay(self.inv2, 350.0, "2024-04-02")
        self.assertEqual(self.company._get_receivable_kpis(*MARCH), before)
        # April sees them: INV4's 500 + 650 and INV2's 350 are cash of April
        self.assertAlmostEqual(
            self.company._get_receivable_kpis("2024-04-01", "2024-04-30")["collection_rate"],
            1500 / 1700,
        )

    def test_bad_period_and_group_are_refused(self):
        with self.assertRaisesRegex(UserError, "must start on or before its end"):
            self.company._get_receivable_kpis("2024-03-31", "2024-03-01")
        with self.assertRaises(ValueError):
            self.company._get_receivable_kpis_grouped(*MARCH, "journal_id")

    # ------------------------------------------------------------
    # cost
    # ------------------------------------------------------------

    def test_query_count_does_not_grow_with_invoices(self):
        """Company 2 with 2 invoices, then 20 (9 of them paid in March): the same 11 queries
        (AR at two dates, credit sales, cash received, paid invoices and the receivable
        accounts they read; the month-end snapshots looked up for the two month ends; the
        environment's user after the cache is emptied)."""

        def count():
            self.env.invalidate_all()
            with self.assertQueryCount(11):
                before = self.env.cr.sql_log_count
                kpis = self.company_2._get_receivable_kpis(*MARCH)
                queries = self.env.cr.sql_log_count - before
            return queries, kpis

        self._invoice(self.acme, "2024-03-06", 100.0, company=self.company_2)
        self.company_2._get_receivable_kpis(*MARCH)  # warm the registry caches
        two, _kpis = count()
        for day in range(10, 28):
            invoice = self._invoice(self.acme, f"2024-03-{day}", 100.0, company=self.company_2)
            if day % 2:
                self._pay(invoice, 100.0, "2024-03-28")
        twenty, kpis = count()
        self.assertEqual((two, twenty), (11, 11))
        self.assertAlmostEqual(kpis["credit_sales"], 7000.0 + 19 * 100.0)
        # the 9 invoices of odd days 11..27 paid on the 28th: (17 + 15 + ... + 1) / 9 = 9 days
        self.assertAlmostEqual(kpis["avg_payment_days"], 9.0)
