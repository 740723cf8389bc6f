from datetime import date, timedelta

from freezegun import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import new_role_user, post_customer_invoice, register_payment


class CollectionCommon(AccountTestInvoicingCommon):
    """Customers with invoices falling due on a known date, and a collector for them."""

    DUE = date(2026, 3, 2)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env.user.group_ids |= cls.env.ref("credit_collection.group_credit_manager")
        cls.collector = new_role_user(
            cls.env, "collector", "coll_collector", cls.company, name="Colin Collector"
        )
        cls.manager = new_role_user(
            cls.env, "manager", "coll_manager", cls.company, name="Mona Manager"
        )
        cls.company.write(
            {"collection_user_id": cls.collector.id, "collection_manager_id": cls.manager.id}
        )
        cls.policy = cls.env.ref("credit_collection.collection_policy_default")
        cls.levels = {level.days: level for level in cls.policy.level_ids}
        cls.acme = cls._customer("Acme Trading Co.")
        cls.globex = cls._customer("Globex Ltd.")
        cls.initech = cls._customer("Initech Inc.")

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "email": f"ap@{name.split()[0].lower()}.example.com"}
            | values
        )

    @classmethod
    def _invoice(cls, partner, due=None, amount=1000.0, taxes=None):
        due = due or cls.DUE
        return post_customer_invoice(
            cls.env, partner, amount, due - timedelta(days=30), due=due, taxes=taxes
        )

    def _pay(self, invoices, on_date, amount=None):
        return register_payment(self.env, invoices, on_date, amount)

    def _run(self, on_date, force_report_rendering=False, **kwargs):
        """The dunning run on ``on_date``; letters are rendered by wkhtmltopdf only when
        ``force_report_rendering`` (tests otherwise get Odoo's HTML stand-in)."""
        case = self.env["collection.case"].with_company(self.company)
        if force_report_rendering:
            case = case.with_context(force_report_rendering=True)
        with freeze_time(on_date):
            case._run_dunning(commit=False, **kwargs)

    def _days(self, offset):
        return self.DUE + timedelta(days=offset)

    def _case(self, partner):
        return self.env["collection.case"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)],
            order="id desc",
            limit=1,
        )

    def _mails(self, case):
        return self.env["mail.mail"].search(
            [("model", "=", "collection.case"), ("res_id", "=", case.id)]
        )
