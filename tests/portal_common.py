from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import post_customer_invoice


class PortalWorldCommon(AccountTestInvoicingCommon):
    """Two customers, each with a contact who logs into the portal.

    Acme (contact Li Wei, portal_a) owes an overdue invoice in EUR (a third currency) and
    one not yet due, in the first company (USD); Globex (contact Wang Fang, portal_b) owes
    an overdue invoice in the first company and one in the second (CNY). Nothing of the
    addon is configured: no collector, no manager, no setting touched.
    """

    @classmethod
    def get_default_groups(cls):
        """The test's own environment (the administrator who sets the world up)."""
        return super().get_default_groups() | cls.env.ref("credit_collection.group_credit_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.eur = cls.setup_other_currency("EUR", rates=[("1900-01-01", 0.5)])
        cny = cls.setup_other_currency("CNY", rates=[("1900-01-01", 7.0)])
        cls.company_2 = cls.setup_other_company(name="Shanghai Trading Ltd.", currency_id=cny.id)[
            "company"
        ]
        cls.env.user.company_ids |= cls.company_2
        cls.today = fields.Date.today()
        cls.acme = cls.env["res.partner"].create(
            {"name": "Acme Trading Co.", "is_company": True, "lang": "en_US"}
        )
        cls.globex = cls.env["res.partner"].create(
            {"name": "Globex Ltd.", "is_company": True, "lang": "en_US"}
        )
        cls.portal_a = cls._portal_user("portal_a", "Li Wei", cls.acme)
        cls.portal_b = cls._portal_user(
            "portal_b", "Wang Fang", cls.globex, cls.company + cls.company_2
        )
        overdue = cls.today - timedelta(days=20)
        cls.inv_a = post_customer_invoice(
            cls.env, cls.acme, 1000.0, overdue - timedelta(days=30), due=overdue, currency=cls.eur
        )
        cls.inv_a_not_due = post_customer_invoice(
            cls.env, cls.acme, 300.0, cls.today, due=cls.today + timedelta(days=30)
        )
        cls.inv_b = post_customer_invoice(
            cls.env, cls.globex, 500.0, overdue - timedelta(days=30), due=overdue
        )
        cls.inv_b_2 = post_customer_invoice(
            cls.env, cls.globex, 800.0, overdue, due=overdue, company=cls.company_2
        )

    @classmethod
    def _portal_user(cls, login, name, customer, companies=None):
        companies = companies or cls.company
        user = mail_new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(companies.ids)],
        )
        user.partner_id.write({"parent_id": customer.id, "lang": "en_US"})
        return user

    def _portal(self, user):
        return self.env["collection.portal"].with_user(user)

    def _in_days(self, days):
        return self.today + timedelta(days=days)
