import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .kpi_report_common import MARCH, KpiReportWorldCommon
from .pdf_common import pdf_text

GROUPINGS = ("company_id", "partner_id", "user_id", "collector_id", "grade_id", "currency_id")
ENGINE_KEYS = {"add_days": "add"}
# reading the rows of one company (the list's search_fetch): the engine's 11 queries for
# its groups and 11 for its total (each looks up the month-end snapshots of its two month
# ends), the group names, the rows' query, access rules
QUERIES = 31


@tagged("post_install", "-at_install")
class TestCreditKpiReport(KpiReportWorldCommon):
    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _rows(self, wizard):
        """The rows as the web client reads them: with the context of the wizard's action
        (nothing is written to open the analysis)."""
        action = wizard.action_open_analysis()
        self.assertNotIn("domain", action)
        return wizard.env["credit.kpi.line"].with_context(**action["context"]).search([])

    def _assert_row(self, row, expected):
        for field, value in expected.items():
            key = ENGINE_KEYS.get(field, field)
            if value is None:
                self.assertIn(field, (row.unknown_kpis or "").split(","), key)
            else:
                self.assertAlmostEqual(row[field], value, places=3, msg=f"{row.name}: {field}")

    # ------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------

    def test_rows_by_customer_are_the_hand_worked_figures(self):
        rows = self._rows(self._kpi_wizard())
        acme, beta, total = rows.filtered(lambda r: r.company_id == self.company)
        acme_2, total_2 = rows.filtered(lambda r: r.company_id == self.company_2)
        self.assertEqual(
            [(r.name, r.is_total) for r in acme + beta + total + acme_2 + total_2],
            [
                ("Acme Report Co.", False),
                ("Beta Report Co.", False),
                (f"Total {self.company.name}", True),
                ("Acme Report Co.", False),
                (f"Total {self.company_2.name}", True),
            ],
        )
        self._assert_row(
            acme,
            {
                "credit_sales": 2000.0,
                "ar_start": 1000.0,
                "ar_end": 2300.0,
                "current_ar_end": 2000.0,
                "overdue_ar_end": 300.0,
                "dso": 35.65,
                "best_possible_dso": 31.0,
                "add_days": 4.65,
                "countback_dso": 31.0,
                "cei": 70.0,
                "overdue_rate": 300 / 2300,
                "collection_rate": 700 / 3000,
                "avg_payment_days": None,
            },
        )
        self.assertEqual(acme.partner_id, self.acme)
        self._assert_row(
            beta,
            {
                "credit_sales": 900.0,
                "ar_end": 400.0,
                "current_ar_end": 0.0,
                "dso": 400 / 900 * 31,
                "countback_dso": 400 / 900 * 31,
                "cei": 500 / 900 * 100,
                "overdue_rate": 1.0,
                "collection_rate": 500 / 900,
                "avg_payment_days": 15.0,
            },
        )
        self._assert_row(
            total,
            {
                "credit_sales": 2900.0,
                "ar_start": 1000.0,
                "ar_end": 2700.0,
                "current_ar_end": 2000.0,
                "dso": 2700 / 2900 * 31,
                "best_possible_dso": 2000 / 2900 * 31,
                "add_days": 700 / 2900 * 31,
                "countback_dso": 31 * 2700 / 2900,
                "cei": 1200 / 1900 * 100,
                "overdue_rate": 700 / 2700,
                "collection_rate": 1200 / 3900,
                "avg_payment_days": 15.0,
            },
        )
        self._assert_row(acme_2, {"credit_sales": 7000.0, "ar_end": 7000.0, "cei": 0.0})
        self._assert_row(total_2, {"ar_end": 7000.0, "overdue_rate": 1.0})
        self.assertEqual(total_2.company_currency_id.name, "CNY")

    def test_rows_are_the_engine_for_every_grouping(self):
        """Each row is ``_get_receivable_kpis_grouped`` of its company and group, each total
        row ``_get_receivable_kpis`` of its company, and the money adds up to the total."""
        for group_by in GROUPINGS:
            rows = self._rows(self._kpi_wizard(group_by=group_by))
            for company in self.companies:
                grouped = company._get_receivable_kpis_grouped(*MARCH, group_by)
                mine = rows.filtered(lambda r, c=company: r.company_id == c)
                groups = mine.filtered(lambda r: not r.is_total)
                with self.subTest(group_by=group_by, company=company.name):
                    self.assertEqual(
                        sorted(groups.mapped("res_id")), sorted(k or 0 for k in grouped)
                    )
                    for row in groups:
                        expected = grouped[row.res_id or None]
                        self._assert_row(row, self._engine_row(expected))
                    total = mine.filtered("is_total")
                    self._assert_row(total, self._engine_row(company._get_receivable_kpis(*MARCH)))
                    for field in ("credit_sales", "ar_start", "ar_end", "current_ar_end"):
                        self.assertAlmostEqual(sum(groups.mapped(field)), total[field])

    def _engine_row(self, kpis):
        fields_of = {value: key for key, value in ENGINE_KEYS.items()}
        return {fields_of.get(key, key): value for key, value in kpis.items()}

    def test_grouped_by_currency_shows_the_third_currency(self):
        rows = self._rows(self._kpi_wizard(group_by="currency_id"))
        by_currency = {
            (row.company_id, row.currency_id.name): row.ar_end for row in rows if not row.is_total
        }
        self.assertEqual(
            by_currency,
            {
                (self.company, "USD"): 2300.0,
                (self.company, "EUR"): 400.0,
                (self.company_2, "CNY"): 7000.0,
            },
        )

    def test_grouped_by_collector_and_grade(self):
        rows = self._rows(
            self._kpi_wizard(group_by="collector_id", company_ids=[Command.set(self.company.ids)])
        )
        self.assertEqual(
            {row.name: row.ar_end for row in rows if not row.is_total},
            {"Chen Jing": 2300.0, "None": 400.0},
        )
        rows = self._rows(
            self._kpi_wizard(group_by="grade_id", company_ids=[Command.set(self.company.ids)])
        )
        self.assertEqual(
            {row.name: row.ar_end for row in rows if not row.is_total},
            {self.grade_b.display_name: 400.0, "None": 2300.0},
        )

    def test_closed_month_equals_its_snapshot(self):
        """The month-end snapshot of March stores AR 2,700 of which 2,000 not due: the
        analysis of March says the same, and the report says that it agrees."""
        snapshot = self.env["credit.receivable.snapshot"]._take_snapshot(self.company, MARCH[1])
        self.assertAlmostEqual(snapshot.amount_total, 2700.0)
        wizard = self._kpi_wizard()
        total = self._rows(wizard).filtered(lambda r: r.is_total and r.company_id == self.company)
        self.assertAlmostEqual(total.ar_end, snapshot.amount_total)
        self.assertAlmostEqual(total.current_ar_end, snapshot.amount_not_due)
        sections = {
            section["company"]: section for section in wizard._get_report_data()["companies"]
        }
        section, section_2 = sections[self.company], sections[self.company_2]
        self.assertTrue(section["snapshot"]["matches"])
        self.assertIsNone(section_2["snapshot"])

    def test_quick_periods(self):
        wizard = self.env["credit.kpi.wizard"]
        today = date(2024, 5, 15)
        self.assertEqual(
            wizard._period_dates("last_month", today), (date(2024, 4, 1), date(2024, 4, 30))
        )
        self.assertEqual(wizard._period_dates("this_quarter", today), (date(2024, 4, 1), today))
        self.assertEqual(
            wizard._period_dates("last_12_months", today), (date(2023, 5, 1), date(2024, 4, 30))
        )
        march = self._kpi_wizard()
        self.assertEqual(march._previous_period(), (date(2024, 2, 1), date(2024, 2, 29)))
        days = self._kpi_wizard(date_from="2024-03-05", date_to="2024-03-14")
        self.assertEqual(days._previous_period(), (date(2024, 2, 24), date(2024, 3, 4)))

    # ------------------------------------------------------------
    # drill down
    # ------------------------------------------------------------

    def test_rows_drill_down_to_the_customer_and_the_open_items(self):
        rows = self._rows(self._kpi_wizard())
        acme = rows.filtered(lambda r: r.partner_id == self.acme and r.company_id == self.company)
        self.assertEqual(acme.action_open_customer()["res_id"], self.acme.id)

        def receivable(invoices):
            return invoices.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

        drill = acme.action_open_items()
        self.assertEqual(
            sorted(drill["domain"][0][2]), sorted(receivable(self.inv1 + self.inv2).ids)
        )
        total = rows.filtered(lambda r: r.is_total and r.company_id == self.company)
        self.assertEqual(
            sorted(total.action_open_items()["domain"][0][2]),
            sorted(receivable(self.inv1 + self.inv2 + self.inv3).ids),
        )
        by_grade = self._rows(self._kpi_wizard(group_by="grade_id"))
        grade_row = by_grade.filtered(lambda r: r.grade_id == self.grade_b)
        self.assertEqual(grade_row.action_open_items()["domain"][0][2], receivable(self.inv3).ids)

    # ------------------------------------------------------------
    # Excel and PDF
    # ------------------------------------------------------------

    def test_excel_holds_the_same_numbers(self):
        wizard = self._kpi_wizard(company_ids=[Command.set(self.company.ids)])
        book = openpyxl.load_workbook(io.BytesIO(wizard._render_xlsx()))
        self.assertEqual(book.sheetnames, ["Customer", "Definitions"])
        sheet = book["Customer"]
        self.assertEqual(sheet["B2"].value, self.company.name)
        self.assertEqual(sheet["B3"].value.date(), MARCH[0])
        self.assertEqual(sheet["C5"].value, "DSO (Days Sales Outstanding)")
        acme, beta, total = list(sheet.iter_rows(min_row=6, values_only=True))
        self.assertEqual(acme[:2], (self.company.name, "Acme Report Co."))
        self.assertAlmostEqual(acme[2], 35.65)  # DSO
        self.assertAlmostEqual(acme[6], 0.70)  # CEI 70 % as a percentage cell
        self.assertIsNone(acme[9])  # no invoice fully paid: no cycle, not 0
        self.assertAlmostEqual(beta[7], 1.0)  # overdue rate 100 %
        self.assertEqual(total[1], "Total")
        self.assertAlmostEqual(total[10], 2900.0)  # credit sales
        self.assertAlmostEqual(total[12], 2700.0)  # AR at the end
        self.assertAlmostEqual(total[6], 1200 / 1900)
        self.assertEqual(sheet["C6"].number_format, "#,##0.0")
        self.assertEqual(sheet["H6"].number_format, "0.0%")
        self.assertIn("$", sheet["M6"].number_format)
        definitions = list(book["Definitions"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(definitions), 12)
        self.assertTrue(all(label and text for label, text in definitions))

    def test_excel_every_grouping_gets_its_sheet(self):
        wizard = self._kpi_wizard(xlsx_all_groupings=True)
        book = openpyxl.load_workbook(io.BytesIO(wizard._render_xlsx()))
        self.assertEqual(
            book.sheetnames,
            [
                "Company",
                "Customer",
                "Salesperson",
                "Collector",
                "Credit Grade",
                "Currency",
                "Definitions",
            ],
        )
        rows = book["Currency"].iter_rows(min_row=6, values_only=True)
        self.assertEqual(
            {(row[0], row[1]): row[12] for row in rows},
            {
                (self.company.name, "USD"): 2300.0,
                (self.company.name, "EUR"): 400.0,
                (self.company.name, "Total"): 2700.0,
                (self.company_2.name, "CNY"): 7000.0,
                (self.company_2.name, "Total"): 7000.0,
            },
        )

    def test_pdf_in_english(self):
        wizard = self._kpi_wizard(company_ids=[Command.set(self.company.ids)])
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("credit_collection.action_report_credit_kpi", wizard.ids)
        )
        text = pdf_text(pdf)
        for term in (
            "Receivables KPIs",
            "DSO (Days Sales Outstanding)",
            "28.9",  # DSO of March
            "29.0",  # DSO of February
            "63.2 %",  # CEI
            "2,700.00",
            "Top 2 Customers by Overdue",
            "Chen Jing",
            "Definitions",
        ):
            self.assertIn(term, text)
        # Beta (400 overdue) before Acme (300)
        top = text[text.index("Top 2 Customers") :]
        self.assertLess(top.index("Beta Report Co."), top.index("Acme Report Co."))

    def test_pdf_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection", "web", "account"], ["zh_CN"], overwrite=True
        )
        wizard = self._kpi_wizard(company_ids=[Command.set(self.company.ids)])
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(lang="zh_CN", force_report_rendering=True)
            ._render_qweb_pdf("credit_collection.action_report_credit_kpi", wizard.ids)
        )
        text = pdf_text(pdf)
        # (pdftotext maps a few glyphs of the CJK font to look-alike radicals, e.g. 用 in
        # 信用等级: the terms checked avoid them)
        for term in (
            "应收账款指标",
            "本期",
            "上期",
            "按收款专员",
            "指标定义",
            "63.2 %",
            "2,700.00",
        ):
            self.assertIn(term, text)
        self.assertNotIn("Definitions", text)

    def test_send_by_email_attaches_the_report(self):
        cfo = self.env["res.partner"].create({"name": "CFO", "email": "cfo@example.com"})
        wizard = self._kpi_wizard(
            company_ids=[Command.set(self.company.ids)], recipient_ids=[Command.set(cfo.ids)]
        )
        wizard.with_context(force_report_rendering=True).action_send_email()
        mail = self.env["mail.mail"].search([("recipient_ids", "in", cfo.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn("2024-03-01", mail.subject)
        self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")

    # ------------------------------------------------------------
    # rights and companies
    # ------------------------------------------------------------

    def test_back_office_roles_use_it_salesperson_cannot(self):
        for role in ("collector", "manager", "billing", "accountant"):
            user = self._role_user(role, f"kpi_{role}")
            with self.subTest(role=role):
                wizard = self._kpi_wizard(user)
                rows = self._rows(wizard).with_user(user)
                self.assertAlmostEqual(
                    sum(rows.filtered(lambda r: r.is_total).mapped("ar_end")), 2700.0 + 7000.0
                )
                self.assertTrue(wizard.action_export_xlsx()["url"])
        salesperson = self._role_user("salesperson", "kpi_salesperson")
        with self.assertRaises(AccessError):
            self._kpi_wizard(salesperson)
        with self.assertRaises(AccessError):
            self.env["credit.kpi.line"].with_user(salesperson).search([])

    def test_a_user_of_company_1_never_sees_company_2(self):
        user = self._role_user("manager", "kpi_manager_1", self.company)
        wizard = self._kpi_wizard(user)
        self.assertEqual(wizard.company_ids, self.company)
        rows = self._rows(wizard)
        self.assertEqual(rows.company_id, self.company)
        self.assertNotIn(7000.0, rows.mapped("ar_end"))
        with self.assertRaises(AccessError):
            wizard.company_ids = self.companies
        # written behind the user's back: the user cannot read company 2 on the wizard
        forged = self._kpi_wizard(user)
        forged.sudo().write({"company_ids": [Command.set(self.companies.ids)]})
        self.env.invalidate_all()
        try:
            seen = self._rows(forged).sudo().company_id
        except AccessError:
            seen = self.env["res.company"]
        self.assertNotIn(self.company_2, seen)
        # the same wizard in code running as superuser: refused before any figure is read
        draft = (
            self.env["credit.kpi.wizard"]
            .with_user(user)
            .sudo()
            .new({"company_id": self.company.id, "company_ids": [Command.set(self.companies.ids)]})
        )
        with self.assertRaisesRegex(AccessError, "You do not work for"):
            draft._get_kpis_by_group("partner_id")
        # the other company's rows of an administrator's analysis stay hidden: its
        # context (both companies) is refused to the user before any figure is computed
        theirs = self._rows(self._kpi_wizard()).filtered(lambda r: r.company_id == self.company_2)
        self.assertTrue(theirs)
        with self.assertRaisesRegex(AccessError, "You do not work for"):
            theirs.with_user(user).search([("id", "in", theirs.ids)])

    def test_nobody_configured_groups_under_none(self):
        """Nothing configured (no collector, no grade, no setting): company 2's customer
        groups under "None" for collector and grade, and the analysis still opens."""
        rows = self._rows(
            self._kpi_wizard(group_by="collector_id", company_ids=[Command.set(self.company_2.ids)])
        )
        self.assertEqual(rows.filtered(lambda r: not r.is_total).mapped("name"), ["None"])

    # ------------------------------------------------------------
    # cost
    # ------------------------------------------------------------

    def test_reading_the_rows_is_flat_when_customers_grow(self):
        """Two customers, then eight: the same queries to read the rows as the list does
        (one grouped call of the engine per company and its total, the names read at once,
        the rows' query)."""

        def fill(check=True):
            wizard = self._kpi_wizard(company_ids=[Command.set(self.company.ids)])
            context = wizard.action_open_analysis()["context"]
            lines = self.env["credit.kpi.line"].with_context(**context)
            self.env.invalidate_all()
            if not check:  # the first runs also fill the registry's caches (record rules)
                lines.search_fetch([], ["name", "ar_end"])
                return wizard
            with self.assertQueryCount(QUERIES):
                lines.search_fetch([], ["name", "ar_end"])
            return wizard

        fill(check=False)
        fill(check=False)
        fill()
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {index}", "is_company": True} for index in range(6)]
        )
        for index, partner in enumerate(partners):
            invoice = self._kpi_invoice(partner, f"2024-03-{10 + index}", 100.0)
            if index % 2:
                self._kpi_pay(invoice, 100.0, "2024-03-28")
        wizard = fill()
        self.assertEqual(len(self._rows(wizard)), 8 + 1)
