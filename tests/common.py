from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sale.tests.common import SaleCommon


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
