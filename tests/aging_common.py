from odoo import fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import new_role_user


class AgingWorldCommon(AccountTestInvoicingCommon):
    """A fixed receivable world seen as of 2024-03-31 (aged by due date).

    partner_a: invoice A1 1000 due 2024-01-01 (90 days) paid 300 before and 200 after the
    date -> 700 in 61-90; invoice A2 500 due 2024-03-01 (30 days) less a 100 credit note ->
    400 in 1-30; an unreconciled payment of 150 on 2024-03-15 -> -150 in 1-30; invoice A3
    800 due 2024-04-19 -> 800 not due; a payment of 50 after the date does not count.
    partner_b: invoice B1 600 EUR (rate 2, 300 USD) of 2023-10-01 paid 200 EUR -> 400 EUR =
    200 in over 180; invoice B2 250 due 2024-02-29 (31 days) -> 31-60.
    """

    AS_OF = fields.Date.to_date("2024-03-31")
    EXPECTED = {
        "Not due": 800.0,
        "1-30": 250.0,
        "31-60": 250.0,
        "61-90": 700.0,
        "91-180": 0.0,
        "Over 180": 200.0,
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.company = cls.company_data["company"]
        # invoices due on their invoice date unless told otherwise: no payment terms
        (cls.partner_a + cls.partner_b).write({"property_payment_term_id": False, "lang": "en_US"})
        cls.inv_a1 = cls._invoice(cls.partner_a, "2024-01-01", 1000.0)
        cls.inv_a2 = cls._invoice(cls.partner_a, "2024-03-01", 500.0)
        cls.inv_a3 = cls._invoice(cls.partner_a, "2024-03-20", 800.0, due="2024-04-19")
        cls.refund_a = cls._invoice(cls.partner_a, "2024-03-10", 100.0, move_type="out_refund")
        (cls.inv_a2 + cls.refund_a).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        cls._register_payment(cls.inv_a1, 300.0, "2024-02-01")
        cls._register_payment(cls.inv_a1, 200.0, "2024-04-15")
        cls.init_payment(150.0, post=True, date="2024-03-15", partner=cls.partner_a)
        cls.init_payment(50.0, post=True, date="2024-04-05", partner=cls.partner_a)
        cls.inv_b1 = cls._invoice(cls.partner_b, "2023-10-01", 600.0, currency=cls.eur)
        cls._register_payment(cls.inv_b1, 200.0, "2024-02-01", currency=cls.eur)
        cls.inv_b2 = cls._invoice(cls.partner_b, "2024-02-29", 250.0)

    def _new_accountant(self, login):
        """A collector of the world's company who works receivables: the collector's group
        alone (it reads invoices and payments), no right to edit customers or invoices."""
        return new_role_user(self.env, "collector", login, self.company)

    @classmethod
    def _invoice(
        cls, partner, invoice_date, amount, *, due=None, move_type="out_invoice", currency=None
    ):
        move = cls.init_invoice(
            move_type,
            partner=partner,
            invoice_date=fields.Date.to_date(invoice_date),
            amounts=[amount],
            currency=currency,
        )
        move.invoice_date_due = fields.Date.to_date(due or invoice_date)
        move.action_post()
        return move

    @classmethod
    def _register_payment(cls, invoice, amount, date, currency=None):
        values = {"amount": amount, "payment_date": date}
        if currency:
            values["currency_id"] = currency.id
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(values)
            ._create_payments()
        )

    def _ledger_receivable_balance(self, as_of, partners=None):
        """Receivable balance at a date summed from journal items, independent of the aging."""
        domain = [
            ("parent_state", "=", "posted"),
            ("date", "<=", as_of),
            ("company_id", "=", self.company.id),
            ("account_id.account_type", "=", "asset_receivable"),
        ]
        if partners:
            domain.append(("partner_id", "in", partners.ids))
        [(balance,)] = self.env["account.move.line"]._read_group(domain, aggregates=["balance:sum"])
        return balance

    def _aging_wizard(self, **values):
        return self.env["credit.aging.wizard"].create(
            {
                "as_of_date": self.AS_OF,
                "company_ids": [fields.Command.set(self.company.ids)],
                "company_id": self.company.id,
                "partner_ids": [fields.Command.set((self.partner_a + self.partner_b).ids)],
                **values,
            }
        )

    def _analysis_lines(self, wizard):
        """The rows of the on-screen analysis, read as the web client reads them: with the
        context of the wizard's action (nothing is written to open it)."""
        action = wizard.action_open_analysis()
        self.assertNotIn("domain", action)
        return self.env["credit.aging.line"].with_context(**action["context"]).search([])
