import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .collection_common import CollectionCommon


@tagged("post_install", "-at_install")
class TestDunningCurrencies(CollectionCommon):
    """A company in dollars duns customers it invoices in euros: the email and the letter
    list each invoice in its own currency, with a total per currency, never the dollar
    value of a euro invoice. Its documents come from the case's company, whichever company
    the user is working in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 USD = 0.9 EUR when invoiced: €1,234.56 is $1,371.73 in the books
        cls.eur = cls.setup_other_currency("EUR", rates=[(date(2026, 1, 1), 0.9)])

    @classmethod
    def _invoice_in(cls, partner, currency, amount, company=None):
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "invoice_date": date(2026, 1, 31),
                    "invoice_date_due": cls.DUE,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    @staticmethod
    def _text(html):
        """The text a reader sees: no tags, no non-breaking spaces."""
        return re.sub(r"<[^>]+>", "", html).replace("\xa0", " ")

    def _letter_html(self, case):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "credit_collection.action_report_dunning_letter", case.ids
        )
        return self._text(html.decode())

    def _money(self, currency, amount):
        return currency.format(amount).replace("\xa0", " ")

    def test_euro_invoice_is_dunned_in_euros(self):
        invoice = self._invoice_in(self.acme, self.eur, 1234.56)
        self.assertEqual(invoice.amount_residual_signed, 1371.73)
        self._run(self._days(15))
        case = self._case(self.acme)
        body = self._text(self._mails(case).body_html)
        self.assertIn(invoice.name, body)
        self.assertIn(self._money(self.eur, 1234.56), body)
        self.assertNotIn("1,371.73", body, "no dollar conversion of the euro invoice")
        self.assertIn("Total EUR", body)
        self.assertNotIn("Total USD", body)
        with freeze_time(self._days(15)):
            letter = self._letter_html(case)
        self.assertIn(self._money(self.eur, 1234.56), letter)
        self.assertNotIn("1,371.73", letter)

    def test_invoices_in_two_currencies_get_two_totals(self):
        self._invoice_in(self.acme, self.eur, 1000.0)
        self._invoice_in(self.acme, self.eur, 234.56)
        self._invoice_in(self.acme, self.company.currency_id, 500.0)
        self._run(self._days(15))
        case = self._case(self.acme)
        body = self._text(self._mails(case).body_html)
        usd = self.company.currency_id
        for text in (
            "Total EUR",
            self._money(self.eur, 1234.56),
            "Total USD",
            self._money(usd, 500.0),
        ):
            self.assertIn(text, body)
        with freeze_time(self._days(15)):
            data = case._get_letter_data()
            letter = self._letter_html(case)
        self.assertEqual(
            [(total["currency"], total["amount"]) for total in data["totals"]],
            [(self.eur, 1234.56), (usd, 500.0)],
        )
        self.assertIn(self._money(self.eur, 1234.56), letter)
        self.assertIn(self._money(usd, 500.0), letter)

    def test_email_and_letter_come_from_the_case_company(self):
        other = self.setup_other_company(name="Other Branch Ltd")["company"]
        other.email = "ar@branch.example.com"
        self.company.email = "ar@main.example.com"
        self._invoice_in(self.acme, self.eur, 1234.56, company=other)
        # the user works in the first company; the run of the other company sends
        self.assertEqual(self.env.company, self.company)
        with freeze_time(self._days(15)):
            self.env["collection.case"].with_company(other)._run_dunning(commit=False)
        case = self.env["collection.case"].search([("company_id", "=", other.id)])
        mail = self._mails(case)
        self.assertEqual(mail.email_from, other.email_formatted)
        self.assertIn("Other Branch Ltd", mail.subject)
        self.assertNotIn(self.company.name, mail.body_html)
        with freeze_time(self._days(15)):
            letter = self._letter_html(case)
        self.assertIn("Other Branch Ltd", letter)
        self.assertNotIn(self.company.name, letter)
