import io
from unittest.mock import patch

import openpyxl

from odoo import fields
from odoo.addons.credit_collection.models import ir_actions_report
from odoo.tests import tagged

from .aging_common import AgingWorldCommon
from .pdf_common import pdf_pages, pdf_text


@tagged("post_install", "-at_install")
class TestCustomerStatement(AgingWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_a.email = "ap@partner-a.example.com"
        cls.partner_b.email = "ap@partner-b.example.com"

    def _wizard(self, partners, **values):
        return (
            self.env["credit.statement.wizard"]
            .with_context(force_report_rendering=True)
            .create(
                {
                    "partner_ids": [fields.Command.set(partners.ids)],
                    "company_id": self.company.id,
                    "date_to": self.AS_OF,
                    **values,
                }
            )
        )

    def test_outstanding_statement_agrees_with_aging_and_ledger(self):
        data = self._wizard(self.partner_a)._get_statement_data(self.partner_a)
        self.assertAlmostEqual(sum(line["amount"] for line in data["lines"]), 1750.0)
        self.assertAlmostEqual(data["total_due"], 1750.0)
        self.assertAlmostEqual(
            data["total_due"], self._ledger_receivable_balance(self.AS_OF, self.partner_a)
        )
        self.assertEqual(data["aging"], [800.0, 250.0, 0.0, 700.0, 0.0, 0.0])

    def test_activity_statement_opening_plus_movements_is_closing(self):
        wizard = self._wizard(self.partner_a, statement_type="activity", date_from="2024-03-01")
        data = wizard._get_statement_data(self.partner_a)
        self.assertAlmostEqual(data["opening"], 700.0)
        movements = sum(line["debit"] - line["credit"] for line in data["lines"])
        self.assertAlmostEqual(data["opening"] + movements, data["closing"])
        self.assertAlmostEqual(
            data["closing"], self._ledger_receivable_balance(self.AS_OF, self.partner_a)
        )
        kinds = [line["kind"] for line in data["lines"]]
        self.assertEqual(kinds, ["Invoice", "Credit Note", "Payment", "Invoice"])

    def test_pdf_text_holds_the_totals(self):
        wizard = self._wizard(
            self.partner_a, show_balance_confirmation=True, show_overdue_notice=True
        )
        text = pdf_text(wizard._render_pdf(self.partner_a))
        self.assertIn("1,750.00", text)
        self.assertIn("Balance Confirmation", text)
        self.assertIn("Overdue Notice", text)
        activity = self._wizard(self.partner_a, statement_type="activity", date_from="2024-03-01")
        text = pdf_text(activity._render_pdf(self.partner_a))
        self.assertIn("Opening Balance", text)
        self.assertIn("700.00", text)
        self.assertIn("Closing Balance", text)

    def test_batch_print_of_several_customers_is_one_pdf(self):
        partners = self.partner_a + self.partner_b
        pdf = self._wizard(partners)._render_pdf(partners)
        text = pdf_text(pdf)
        self.assertIn(self.partner_a.name, text)
        self.assertIn(self.partner_b.name, text)
        self.assertIn("1,750.00", text)
        self.assertIn("450.00", text)
        self.assertGreaterEqual(pdf_pages(pdf), 2)

    def test_batch_pages_belong_to_their_customer_in_its_language(self):
        """One wkhtmltopdf call for the batch, pages in the order asked, each customer's page
        with its own name, items and total, in its own language."""
        self._activate_chinese()
        self.partner_b.lang = "zh_CN"
        partners = self.partner_b + self.partner_a
        pages = pdf_text(self._wizard(partners)._render_pdf(partners)).split("\f")[:-1]
        self.assertEqual(len(pages), 2)
        page_b, page_a = pages
        self.assertIn(self.partner_b.name, page_b)
        self.assertIn("450.00", page_b)
        self.assertIn(self.inv_b1.name, page_b)
        self.assertNotIn("1,750.00", page_b)
        self.assertNotIn("Statement of Outstanding Items", page_b)
        self.assertIn(self.partner_a.name, page_a)
        self.assertIn("1,750.00", page_a)
        self.assertIn(self.inv_a1.name, page_a)
        self.assertNotIn(self.partner_b.name, page_a)
        self.assertIn("Statement of Outstanding Items", page_a)
        # with Debian's wkhtmltopdf the layout header is not printed: the body names the company
        self.assertIn(self.company.name, page_a)
        self.assertIn(self.company.name, page_b)

    def test_batch_cut_into_several_calls_keeps_the_pages_in_order(self):
        """A batch larger than a call (by documents, then by HTML) goes through several
        wkhtmltopdf calls running side by side: one PDF, each page its customer's, in the
        order asked, each in its own language."""
        self._activate_chinese()
        self.partner_b.lang = "zh_CN"
        partner_c = self.env["res.partner"].create({"name": "Partner C Nothing Due"})
        partners = self.partner_b + self.partner_a + partner_c
        wizard = self._wizard(partners)
        for limits in ({"DOCUMENTS_PER_CALL": 1}, {"HTML_PER_CALL": 1}, {"DOCUMENTS_PER_CALL": 2}):
            with patch.multiple(ir_actions_report, **limits):
                pages = pdf_text(wizard._render_pdf(partners)).split("\f")[:-1]
            self.assertEqual(len(pages), 3, limits)
            for page, partner in zip(pages, partners, strict=True):
                self.assertIn(partner.name, page, limits)
            self.assertIn("450.00", pages[0])
            self.assertNotIn("Statement of Outstanding Items", pages[0])
            self.assertIn("1,750.00", pages[1])
            self.assertIn("Statement of Outstanding Items", pages[1])
            self.assertNotIn("1,750.00", pages[2])

    def test_patched_qt_gets_one_body_per_document(self):
        """A patched wkhtmltopdf gets one body per document (Odoo's headers and page numbers
        per document); Debian's unpatched build one body with every document of the call."""
        partners = self.partner_a + self.partner_b
        wizard = self._wizard(partners)
        report_model = self.env["ir.actions.report"]
        report = report_model._get_report("credit_collection.action_report_customer_statement")
        data = {**wizard._get_report_data(), "report_type": "pdf"}
        languages = report_model._merged_pdf_languages(partners, None)

        def bodies(patched):
            documents = report_model._merged_pdf_documents(report, partners, data, languages)
            return report._merged_pdf_job(documents, patched=patched)[1]

        patched = bodies(True)
        self.assertEqual(len(patched), 2)
        self.assertIn("1,750.00", patched[0])
        self.assertNotIn("1,750.00", patched[1])
        [single] = bodies(False)
        self.assertEqual(single.count("Aging Summary"), 2)
        self.assertEqual(single.count("page-break-before: always"), 1)

    def test_statement_data_queries_stay_flat(self):
        """A batch of statements reads a constant number of queries, not some per customer."""

        def queries(partners, statement_type):
            wizard = self._wizard(partners, statement_type=statement_type, date_from="2024-01-01")
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            wizard._get_statements_data(partners)
            return self.env.cr.sql_log_count - before

        for statement_type in ("outstanding", "activity"):
            queries(self.partner_b, statement_type)  # warm the registry caches
            self.assertEqual(
                queries(self.partner_a + self.partner_b, statement_type),
                queries(self.partner_b, statement_type),
            )

    def test_xlsx_holds_the_statement_numbers(self):
        partners = self.partner_a + self.partner_b
        wizard = self._wizard(partners)
        book = openpyxl.load_workbook(io.BytesIO(wizard._render_xlsx(partners)))
        self.assertEqual(len(book.worksheets), 2)
        for sheet, partner in zip(book.worksheets, partners, strict=True):
            rows = list(sheet.iter_rows(min_row=5, values_only=True))
            data = wizard._get_statement_data(partner)
            self.assertAlmostEqual(rows[-1][6], data["total_due"])
            self.assertAlmostEqual(sum(row[6] for row in rows[:-1]), data["total_due"])
            self.assertEqual(sheet.freeze_panes, "A5")

    def test_email_queued_with_pdf_and_logged_in_chatter(self):
        wizard = self._wizard(self.partner_a + self.partner_b)
        wizard.action_send_email()
        for partner in self.partner_a + self.partner_b:
            message = partner.message_ids[0]
            self.assertEqual(len(message.attachment_ids), 1)
            self.assertEqual(message.attachment_ids.mimetype, "application/pdf")
            self.assertIn(partner.name, message.subject)
            mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
            self.assertEqual(mail.state, "outgoing")

    def test_collector_who_cannot_edit_customers_sends_statements(self):
        """Sending posts in the customer's chatter, which Odoo ties to editing the customer:
        a collector with invoicing rights, who may not edit customers, still sends, and
        stays the author of the message that carries the PDF."""
        collector = self._new_accountant("statement_collector")
        self.assertFalse(self.partner_a.with_user(collector).has_access("write"))
        self._wizard(self.partner_a).with_user(collector).action_send_email()
        message = self.partner_a.message_ids[0]
        self.assertEqual(message.author_id, collector.partner_id)
        self.assertEqual(message.attachment_ids.res_model, "res.partner")
        self.assertEqual(message.attachment_ids.res_id, self.partner_a.id)

    def _activate_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection", "web", "account"], ["zh_CN"], overwrite=True
        )

    def test_statement_and_email_in_the_customers_language(self):
        self._activate_chinese()
        self.partner_b.lang = "zh_CN"
        wizard = self._wizard(self.partner_a + self.partner_b, show_balance_confirmation=True)
        report = self.env["ir.actions.report"].with_context(lang="zh_CN")
        html, _type = report._render_qweb_html(
            "credit_collection.action_report_customer_statement",
            self.partner_b.ids,
            data=wizard._get_report_data(),
        )
        html = html.decode()
        for term in ("未结项目对账单", "未到期", "应收合计", "对账确认"):
            self.assertIn(term, html)
        wizard.action_send_email()
        self.assertIn("对账单", self.partner_b.message_ids[0].subject)
        self.assertIn("statement of account", self.partner_a.message_ids[0].subject)
        self.assertTrue(self.partner_b.message_ids[0].attachment_ids)
