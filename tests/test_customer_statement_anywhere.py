import re

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .aging_common import AgingWorldCommon
from .pdf_common import pdf_text

STATEMENT_REPORT = "credit_collection.action_report_customer_statement"


@tagged("post_install", "-at_install")
class TestStatementFromAnywhere(AgingWorldCommon):
    """The statement prints without its wizard (the customer's Print menu, code, the portal
    later): outstanding items as of today, in the current company, each customer in its own
    language; the wizard's options travel in the report's ``data``."""

    def _html(self, partners, data=None, user=None):
        report = self.env["ir.actions.report"]
        if user:
            report = report.with_user(user)
        html, __ = report._render_qweb_html(STATEMENT_REPORT, partners.ids, data=data)
        return re.sub(r"<[^>]+>", "", html.decode()).replace("\xa0", " ")

    def _total_today(self, partner):
        wizard = self.env["credit.statement.wizard"].create(
            {"partner_ids": [fields.Command.set(partner.ids)]}
        )
        return wizard._get_statement_data(partner)["total_due"]

    def test_prints_from_code_with_no_options(self):
        """Before: "Print customer statements from the Customer Statements wizard."."""
        report = self.env.ref(STATEMENT_REPORT)
        action = report.report_action(self.partner_a)
        self.assertFalse(action.get("data"))
        total = self.company.currency_id.format(self._total_today(self.partner_a))
        text = self._html(self.partner_a)
        self.assertIn("Statement of Outstanding Items", text)
        self.assertIn(total.replace("\xa0", " "), text)
        self.assertIn(self.company.name, text)
        pdf, __ = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            STATEMENT_REPORT, self.partner_a.ids
        )
        self.assertIn("Statement of Outstanding Items", pdf_text(pdf))

    def test_each_customer_in_its_own_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection", "web", "account"], ["zh_CN"], overwrite=True
        )
        self.partner_b.lang = "zh_CN"
        text = self._html(self.partner_a + self.partner_b)
        self.assertIn("Statement of Outstanding Items", text)
        self.assertIn("未结项目对账单", text)

    def test_bound_to_the_customers_print_menu_of_the_statement_roles(self):
        report = self.env.ref(STATEMENT_REPORT)
        self.assertEqual(report.binding_model_id.model, "res.partner")
        self.assertEqual(report.binding_type, "report")
        collector = new_test_user(
            self.env,
            login="stmt_collector",
            groups="base.group_user,credit_collection.group_credit_collector",
        )
        salesperson = new_test_user(
            self.env,
            login="stmt_salesperson",
            groups="base.group_user,sales_team.group_sale_salesman",
        )

        def printable(user):
            bindings = self.env["ir.actions.actions"].with_user(user).get_bindings("res.partner")
            return report.id in [action["id"] for action in bindings.get("report", [])]

        self.assertTrue(printable(collector))
        self.assertFalse(printable(salesperson))
        # the report route does not look at the menu: the report refuses by itself
        with self.assertRaises(AccessError):
            self._html(self.partner_a, user=salesperson)

    def test_company_of_the_options_must_be_one_of_the_users(self):
        other = self.env["res.company"].create({"name": "Not My Company"})
        collector = new_test_user(
            self.env,
            login="stmt_collector_1",
            # read-only accounting comes with the collector group (branch roles-world)
            groups="base.group_user,account.group_account_readonly,"
            "credit_collection.group_credit_collector",
            company_id=self.company.id,
        )
        self.assertNotIn(other, collector.company_ids)
        self.assertTrue(self._html(self.partner_a, user=collector))
        with self.assertRaises(AccessError):
            self._html(self.partner_a, data={"company_id": other.id}, user=collector)

    def test_wizard_options_travel_in_the_report_data(self):
        wizard = self.env["credit.statement.wizard"].create(
            {
                "partner_ids": [fields.Command.set(self.partner_a.ids)],
                "company_id": self.company.id,
                "statement_type": "activity",
                "date_from": "2024-03-01",
                "date_to": self.AS_OF,
                "show_balance_confirmation": True,
                "show_overdue_notice": True,
                "overdue_notice": "<b>Pay now</b>",
            }
        )
        data = wizard._get_report_data()
        self.assertEqual(data["date_to"], "2024-03-31")
        text = self._html(self.partner_a, data=data)
        self.assertIn("Statement of Account Activity", text)
        self.assertIn("Balance Confirmation", text)
        self.assertIn("&lt;b&gt;Pay now&lt;/b&gt;", text, "the notice is text, not markup")
        closing = wizard._get_statement_data(self.partner_a)["closing"]
        self.assertIn(self.company.currency_id.format(closing).replace("\xa0", " "), text)

    def test_statement_email_comes_from_the_statement_company(self):
        other = self.setup_other_company(name="Statement Branch Ltd")["company"]
        other.email = "ar@branch.example.com"
        self.partner_a.email = "ap@partner-a.example.com"
        self.assertEqual(self.env.company, self.company, "the user works in the first company")
        wizard = self.env["credit.statement.wizard"].create(
            {
                "partner_ids": [fields.Command.set(self.partner_a.ids)],
                "company_id": other.id,
            }
        )
        wizard.action_send_email()
        message = self.partner_a.message_ids[0]
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertIn("Statement Branch Ltd", message.subject)
        self.assertEqual(mail.email_from, other.email_formatted)
        self.assertIn("Statement Branch Ltd", mail.reply_to)
