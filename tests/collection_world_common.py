from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class CollectionWorldCommon(AccountTestInvoicingCommon):
    """The world a company lives in: two companies in two currencies (USD, EUR), customers
    invoiced in a third (GBP), users holding only their role's groups, and nobody configured
    (no default collector, no collection manager, no setting touched)."""

    DUE = date(2026, 3, 2)

    @classmethod
    def get_default_groups(cls):
        # the accountant setting the world up also administers credit
        return super().get_default_groups() | cls.env.ref("credit_collection.group_credit_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.eur = cls.setup_other_currency("EUR")
        cls.gbp = cls.setup_other_currency("GBP")
        cls.company_data_2 = cls.setup_other_company(name="Company Two", currency_id=cls.eur.id)
        cls.company_2 = cls.company_data_2["company"]
        cls.collector = cls._user("w_collector", "credit_collection.group_credit_collector")
        cls.collector_2 = cls._user(
            "w_collector_2", "credit_collection.group_credit_collector", cls.company_2
        )
        cls.manager = cls._user("w_manager", "credit_collection.group_credit_manager")
        cls.salesman = cls._user("w_salesman", "sales_team.group_sale_salesman")
        cls.billing = cls._user("w_billing", "account.group_account_invoice")
        cls.acme = cls.env["res.partner"].create(
            {"name": "Acme Trading Co.", "is_company": True, "email": "ap@acme.example.com"}
        )
        cls.globex = cls.env["res.partner"].create(
            {"name": "Globex Ltd.", "is_company": True, "email": "ap@globex.example.com"}
        )

    @classmethod
    def _user(cls, login, group, company=None):
        company = company or cls.company
        return mail_new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            groups=f"base.group_user,{group}",
        )

    @classmethod
    def _invoice(cls, partner, amount=4000.0, company=None, currency=None, due=None):
        """A posted customer invoice in GBP (a third currency), without taxes."""
        company = company or cls.company
        due = due or cls.DUE
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": (currency or cls.gbp).id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
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

    @classmethod
    def _days(cls, offset):
        return cls.DUE + timedelta(days=offset)

    @classmethod
    def _run(cls, on_date, company=None):
        """The dunning run as the cron runs it: as OdooBot, in English."""
        cases = cls.env["collection.case"].with_user(cls.env.ref("base.user_root"))
        with freeze_time(on_date):
            cases.with_company(company or cls.company)._run_dunning(commit=False)

    def _case(self, partner, company=None):
        return self.env["collection.case"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", (company or self.company).id)],
            order="id desc",
            limit=1,
        )
