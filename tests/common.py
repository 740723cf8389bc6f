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
