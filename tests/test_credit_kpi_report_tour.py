from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import HttpCase, tagged

from .common import new_role_user


@tagged("post_install", "-at_install")
class TestCreditKpiReportTour(AccountTestInvoicingCommon, HttpCase):
    def test_collector_analyses_last_month_by_customer_and_exports(self):
        """In the browser: Reporting > Receivables KPIs, last month by customer: a customer
        invoiced 1,000 on the 10th of last month and paid 400 on the 20th owes 600 at its
        end; the Excel export is made from the list."""
        company = self.company_data["company"]
        first = fields.Date.context_today(self.env["res.partner"]).replace(day=1)
        last_month = first - timedelta(days=1)
        customer = self.env["res.partner"].create({"name": "Tour KPI Customer", "is_company": True})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": last_month.replace(day=10),
                "invoice_date_due": last_month.replace(day=10),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goods", "quantity": 1, "price_unit": 1000.0, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 400.0, "payment_date": last_month.replace(day=20)})._create_payments()
        collector = new_role_user(self.env, "collector", "kpi_tour_collector", company)
        self.start_tour("/odoo", "credit_collection_kpi_report", login=collector.login)
        wizard = self.env["credit.kpi.wizard"].search([("create_uid", "=", collector.id)])
        self.assertEqual(wizard.date_to, last_month)
        self.assertEqual(wizard.group_by, "partner_id")
        action = wizard.with_user(collector).action_open_analysis()
        lines = wizard.env["credit.kpi.line"].with_user(collector).with_context(**action["context"])
        row = lines.search([("partner_id", "=", customer.id)])
        self.assertAlmostEqual(row.ar_end, 600.0)
        export = self.env["ir.attachment"].search(
            [("res_model", "=", "credit.kpi.wizard"), ("res_id", "=", wizard.id)]
        )
        self.assertTrue(export.name.endswith(".xlsx"))
