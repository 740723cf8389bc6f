from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sale.tests.common import SaleCommon

# What each role of the credit process holds, and nothing else: a test user of a role gets
# exactly these groups (and what they imply), never Billing "to make it pass".
ROLE_GROUPS = {
    "salesperson": ("sales_team.group_sale_salesman",),
    "billing": ("account.group_account_invoice",),
    "accountant": ("account.group_account_user",),
    "collector": ("credit_collection.group_credit_collector",),
    "manager": ("credit_collection.group_credit_manager",),
}


def post_customer_invoice(
    env,
    partner,
    amount,
    invoice_date,
    *,
    due=None,
    move_type="out_invoice",
    currency=None,
    company=None,
    taxes=None,
):
    """A posted customer invoice (or credit note) of one line of ``amount``, due on ``due``
    (default: its date), in ``currency`` (default: the company's), with ``taxes`` (none)."""
    company = company or env.company
    move = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": move_type,
                "company_id": company.id,
                "partner_id": partner.id,
                "currency_id": (currency or company.currency_id).id,
                "invoice_date": invoice_date,
                "invoice_date_due": due or invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(taxes.ids if taxes else [])],
                        }
                    )
                ],
            }
        )
    )
    move.action_post()
    return move


def register_payment(env, invoices, payment_date, amount=None, currency=None):
    """Pay ``invoices`` through Odoo's payment wizard (all that is due unless ``amount``)."""
    values = {"payment_date": payment_date}
    if amount is not None:
        values["amount"] = amount
    if currency:
        values["currency_id"] = currency.id
    return (
        env["account.payment.register"]
        .with_company(invoices.company_id[:1])
        .with_context(active_model="account.move", active_ids=invoices.ids)
        .create(values)
        ._create_payments()
    )


def new_role_user(env, role, login, companies=None, **values):
    """A user of ``role`` (a key of ROLE_GROUPS) working for ``companies`` (the first is
    their current one; default: the environment's company), with exactly the role's groups."""
    companies = companies or env.company
    return mail_new_test_user(
        env,
        login=login,
        groups=",".join(("base.group_user", *ROLE_GROUPS[role])),
        company_id=companies[0].id,
        company_ids=[Command.set(companies.ids)],
        **values,
    )


class CreditCollectionCommon(SaleCommon):
    """A customer company with a contact, and one user per role of the credit process."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Acme Trading Co.",
                "is_company": True,
                "email": "ap@acme.example.com",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Li Wei",
                "parent_id": cls.customer.id,
                "email": "li.wei@acme.example.com",
            }
        )
        cls.salesman = mail_new_test_user(
            cls.env,
            login="cc_salesman",
            name="Sally Sales",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman_all_leads",
        )
        cls.collector = mail_new_test_user(
            cls.env,
            login="cc_collector",
            name="Colin Collector",
            groups="base.group_user,base.group_partner_manager,credit_collection.group_credit_collector",
        )
        cls.credit_manager = mail_new_test_user(
            cls.env,
            login="cc_manager",
            name="Mona Manager",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "credit_collection.group_credit_manager",
        )

    @classmethod
    def _order_for(cls, partner, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [cls._order_line()],
                **values,
            }
        )

    @classmethod
    def _order_line(cls, price=100.0, qty=1.0):
        return (0, 0, {"product_id": cls.product.id, "product_uom_qty": qty, "price_unit": price})


class CreditControlCommon(AccountTestInvoicingCommon):
    """A company with accounting, a customer with a contact, a tax-free product and one
    user per role, for the credit checks on real orders, invoices and payments."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("credit_collection.group_credit_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Trading Co.", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Wei", "parent_id": cls.customer.id}
        )
        cls.item = cls.env["product.product"].create(
            {"name": "Steel coil", "list_price": 100.0, "taxes_id": [], "invoice_policy": "order"}
        )
        company_groups = {
            "company_id": cls.company.id,
            "company_ids": [Command.set(cls.company.ids)],
        }
        cls.salesman = mail_new_test_user(
            cls.env,
            login="cc_salesman",
            name="Sally Sales",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            **company_groups,
        )
        cls.credit_manager = mail_new_test_user(
            cls.env,
            login="cc_manager",
            name="Mona Manager",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "credit_collection.group_credit_manager",
            **company_groups,
        )
        cls.company.credit_check_mode = "block"

    @classmethod
    def _set_limit(cls, partner, limit, company=None):
        partner.with_company(company or cls.company).sudo().credit_limit = limit

    @classmethod
    def _order(cls, partner=None, price=100.0, qty=1.0, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.item.id, "product_uom_qty": qty, "price_unit": price}
                    )
                ],
                **values,
            }
        )

    @classmethod
    def _invoice(cls, amount, partner=None, post=True, invoice_date=None, move_type="out_invoice"):
        """A customer invoice of ``amount`` without taxes, due on its date."""
        invoice_date = invoice_date or fields.Date.today()
        invoice = cls.init_invoice(
            move_type,
            partner=partner or cls.customer,
            invoice_date=invoice_date,
            amounts=[amount],
            taxes=[],
            company=cls.company,
        )
        invoice.invoice_date_due = invoice_date
        if post:
            invoice.action_post()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount):
        return cls._register_payment(invoice, amount=amount)


class TwoCompanyWorldCommon(AccountTestInvoicingCommon):
    """The world a company lives in: two companies in two currencies (USD and CNY) that
    both sell to the same customer, invoiced in a third (EUR) and in their own; overdue
    invoices partly paid, a quotation per company, and one user per role working for both
    companies with exactly that role's groups. Nothing of the addon is configured."""

    DUE = fields.Date.to_date("2026-03-02")

    @classmethod
    def get_default_groups(cls):
        """The test's own environment (the administrator who sets the world up)."""
        return (
            super().get_default_groups()
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("credit_collection.group_credit_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cny = cls.setup_other_currency("CNY", rates=[("1900-01-01", 7.0)])
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company(name="Shanghai Trading Ltd.", currency_id=cny.id)[
            "company"
        ]
        cls.companies = cls.company + cls.company_2
        cls.env.user.company_ids |= cls.companies
        cls.users = {
            role: new_role_user(cls.env, role, f"world_{role}", cls.companies, name=role.title())
            for role in ROLE_GROUPS
        }
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Trading Co.", "is_company": True, "email": "ap@acme.example.com"}
        )
        cls.customer.user_id = cls.users["salesperson"]
        cls.invoices = cls._world_invoice(cls.company, cls.eur) + cls._world_invoice(
            cls.company_2, cny
        )
        for invoice in cls.invoices:
            cls.env["account.payment.register"].with_company(invoice.company_id).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": 100.0, "payment_date": cls.DUE})._create_payments()
        cls.orders = cls.env["sale.order"]
        for company in cls.companies:
            cls.orders |= (
                cls.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "company_id": company.id,
                        "user_id": cls.users["salesperson"].id,
                        "order_line": [
                            Command.create(
                                {"product_id": cls.product_a.id, "price_unit": 250.0, "tax_ids": []}
                            )
                        ],
                    }
                )
            )

    @classmethod
    def _world_invoice(cls, company, currency):
        """An invoice of 1,000 in ``currency`` due on DUE, booked by the salesperson."""
        invoice = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": cls.customer.id,
                    "currency_id": currency.id,
                    "invoice_user_id": cls.users["salesperson"].id,
                    "invoice_date": cls.DUE - timedelta(days=30),
                    "invoice_date_due": cls.DUE,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Goods", "quantity": 1, "price_unit": 1000.0, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _world_collections(cls):
        """A collection case per company from the dunning run, with a dispute, a payment plan
        and a credit review of the customer in each company."""
        for company in cls.companies:
            with freeze_time(cls.DUE + timedelta(days=20)):
                cls.env["collection.case"].with_company(company)._run_dunning(commit=False)
        cls.cases = cls.env["collection.case"].search([("partner_id", "=", cls.customer.id)])
        for case in cls.cases:
            invoice = cls.invoices.filtered(lambda inv, c=case: inv.company_id == c.company_id)
            cls.env["collection.dispute"].with_company(case.company_id).create(
                {"case_id": case.id, "move_id": invoice.id, "amount": 50.0, "reason": "quality"}
            )
            cls.env["collection.payment.plan"].with_company(case.company_id).create(
                {
                    "case_id": case.id,
                    "date_start": cls.DUE,
                    "move_ids": [Command.set(invoice.ids)],
                    # the instalments add up to what the invoice leaves to pay
                    "installment_ids": [
                        Command.create(
                            {
                                "date": cls.DUE + timedelta(days=40),
                                "amount": invoice.amount_residual_signed,
                            }
                        )
                    ],
                }
            )
        for company in cls.companies:
            cls.env["credit.review"].with_company(company).create(
                {"partner_id": cls.customer.id, "company_id": company.id}
            )
