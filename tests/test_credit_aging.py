import io

import openpyxl

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .aging_common import AgingWorldCommon


@tagged("post_install", "-at_install")
class TestCreditAging(AgingWorldCommon):
    def _bucket_totals(self, wizard):
        data = wizard._get_report_data()
        [section] = data["companies"]
        return dict(zip(data["labels"], section["totals"], strict=True)), section

    def test_aging_per_bucket_is_exact_and_adds_up_to_the_ledger(self):
        totals, section = self._bucket_totals(self._aging_wizard())
        self.assertEqual(totals, self.EXPECTED)
        self.assertAlmostEqual(section["total"], 2200.0)
        ledger = self._ledger_receivable_balance(self.AS_OF, self.partner_a + self.partner_b)
        self.assertAlmostEqual(section["total"], ledger)

    def test_foreign_currency_item_shows_both_currencies(self):
        items = self.env["credit.receivable.query"]._get_open_items(
            self.AS_OF, self.company.ids, partner_ids=self.partner_b.ids
        )
        [b1] = [item for item in items if item["move_id"] == self.inv_b1.id]
        self.assertEqual(b1["currency_id"], self.eur.id)
        self.assertAlmostEqual(float(b1["amount_residual_currency"]), 400.0)
        self.assertAlmostEqual(float(b1["amount_residual"]), 200.0)

    def test_later_date_counts_the_later_payments(self):
        as_of = "2024-04-30"
        wizard = self._aging_wizard(as_of_date=as_of)
        _totals, section = self._bucket_totals(wizard)
        ledger = self._ledger_receivable_balance(as_of, self.partner_a + self.partner_b)
        self.assertAlmostEqual(section["total"], ledger)
        self.assertAlmostEqual(section["total"], 2200.0 - 200.0 - 50.0)

    def test_whole_company_total_equals_receivable_balance(self):
        wizard = self._aging_wizard(partner_ids=[])
        _totals, section = self._bucket_totals(wizard)
        self.assertAlmostEqual(section["total"], self._ledger_receivable_balance(self.AS_OF))

    def test_invoice_date_basis(self):
        totals, _section = self._bucket_totals(self._aging_wizard(basis="invoice"))
        # A3 (invoiced 2024-03-20) is 11 days old by invoice date
        self.assertAlmostEqual(totals["1-30"], 250.0 + 800.0)
        self.assertAlmostEqual(totals["Not due"], 0.0)

    def test_screen_shows_the_same_numbers(self):
        wizard = self._aging_wizard()
        lines = self._analysis_lines(wizard)
        groups = lines._read_group([("id", "in", lines.ids)], ["bucket"], ["amount_residual:sum"])
        labels = dict(lines._fields["bucket"]._description_selection(self.env))
        screen = {labels[bucket]: amount for bucket, amount in groups}
        self.assertEqual(screen, {k: v for k, v in self.EXPECTED.items() if v})
        [row] = lines.filtered(
            lambda line: line.partner_id == self.partner_a and line.bucket == "3"
        )
        self.assertEqual(row.item_count, 1)
        drill = row.action_open_journal_item()
        receivable = self.inv_a1.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.assertEqual(drill["domain"], [("id", "in", receivable.ids)])

    def test_detailed_screen_rows_are_journal_items(self):
        wizard = self._aging_wizard(report_detail="detailed")
        lines = self._analysis_lines(wizard)
        self.assertAlmostEqual(sum(lines.mapped("amount_residual")), 2200.0)
        row = lines.filtered(lambda line: line.move_id == self.inv_a1)
        self.assertEqual(row.action_open_journal_item()["res_id"], row.move_line_id.id)

    def test_xlsx_holds_the_screen_numbers(self):
        wizard = self._aging_wizard(report_detail="detailed")
        book = openpyxl.load_workbook(io.BytesIO(wizard._render_xlsx()))
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(min_row=6, values_only=True))
        total_row = rows[-1]
        self.assertEqual(total_row[1], "Total")
        self.assertEqual(list(total_row[2:8]), list(self.EXPECTED.values()))
        self.assertAlmostEqual(total_row[8], 2200.0)
        lines = self._analysis_lines(wizard)
        screen = dict(
            lines._read_group([("id", "in", lines.ids)], ["bucket"], ["amount_residual:sum"])
        )
        self.assertEqual([screen.get(str(i), 0.0) for i in range(6)], list(total_row[2:8]))
        self.assertEqual(sheet.freeze_panes, "C6")
        detail = list(book.worksheets[1].iter_rows(min_row=6, values_only=True))
        self.assertAlmostEqual(sum(row[9] for row in detail[:-1]), 2200.0)

    def test_bad_bucket_limits_are_refused(self):
        with self.assertRaisesRegex(UserError, "increasing whole numbers"):
            self._aging_wizard(bucket_limits="90, 30")._get_limits()

    def test_detailed_report_queries_stay_flat(self):
        """More customers and items must not mean more queries (no query per printed line)."""

        def queries(partners):
            wizard = self._aging_wizard(
                report_detail="detailed", partner_ids=[fields.Command.set(partners.ids)]
            )
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            wizard._get_report_data()
            return self.env.cr.sql_log_count - before

        queries(self.partner_b)  # warm the registry caches (ormcache) first
        self.assertEqual(queries(self.partner_a + self.partner_b), queries(self.partner_b))

    def test_aging_by_collector_and_by_grade(self):
        """Rows per collector (the customer's own, else the company's) and per credit grade."""
        collector = self.env["res.users"].create({"name": "Chen Jing", "login": "aging_chen"})
        fallback = self.env["res.users"].create({"name": "Wang Fang", "login": "aging_wang"})
        self.company.collection_user_id = fallback
        self.partner_a.with_company(self.company).collection_user_id = collector
        grade_b = self.env.ref("credit_collection.credit_grade_b")
        self.partner_b.sudo().credit_grade_id = grade_b

        def rows(group_by):
            [section] = self._aging_wizard(group_by=group_by)._get_report_data()["companies"]
            return {row["name"]: row["total"] for row in section["rows"]}

        self.assertEqual(rows("collector_id"), {"Chen Jing": 1750.0, "Wang Fang": 450.0})
        self.assertEqual(rows("grade_id"), {grade_b.display_name: 450.0, "None": 1750.0})
        wizard = self._aging_wizard(group_by="grade_id")
        sheet = openpyxl.load_workbook(io.BytesIO(wizard._render_xlsx())).worksheets[0]
        self.assertEqual(sheet.cell(5, 2).value, "Credit Grade")
        lines = self._analysis_lines(wizard)
        by_collector = lines._read_group(
            [("id", "in", lines.ids)], ["collector_id"], ["amount_residual:sum"]
        )
        self.assertEqual(dict(by_collector), {collector: 1750.0, fallback: 450.0})
