import re
from datetime import timedelta

from odoo import Command
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import TwoCompanyWorldCommon, post_customer_invoice

# the CSRF token every page of the portal carries (web.layout's ``odoo.csrf_token``)
CSRF = re.compile(r'csrf_token: "([^"]+)"')


class BalanceConfirmationCommon(TwoCompanyWorldCommon):
    """Two customers of the first company, each with a portal user of its own: Acme
    (invoiced in EUR, partly paid, and in the second company in CNY) and Beta (invoiced in
    the company's currency). A collector asks both to confirm their balance twenty days
    after the due date. Nobody is configured: no collector, no manager, no setting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.as_of = cls.DUE + timedelta(days=20)
        cls.beta = cls.env["res.partner"].create(
            {"name": "Beta Industries", "is_company": True, "email": "ap@beta.example.com"}
        )
        cls.beta_invoice = post_customer_invoice(
            cls.env, cls.beta, 300.0, cls.DUE - timedelta(days=30), due=cls.DUE, company=cls.company
        )
        cls.portal_acme = cls._portal_user("portal_acme", "Li Wei", cls.customer)
        cls.portal_beta = cls._portal_user("portal_beta", "Wang Fang", cls.beta)
        cls.collector = cls.users["collector"]

    @classmethod
    def _portal_user(cls, login, name, customer):
        user = mail_new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="base.group_portal",
            email=f"{login}@example.com",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        user.partner_id.parent_id = customer
        return user

    @classmethod
    def _request(cls, customers, as_of=None, user=None):
        """Requests sent from the statement wizard by ``user`` (the collector)."""
        wizard = (
            cls.env["credit.statement.wizard"]
            .with_user(user or cls.collector)
            .with_company(cls.company)
            .create({"partner_ids": [Command.set(customers.ids)], "date_to": as_of or cls.as_of})
        )
        action = wizard.action_request_balance_confirmation()
        return cls.env["credit.balance.confirmation"].search(action["domain"])
