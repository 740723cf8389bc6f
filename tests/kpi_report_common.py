from odoo import fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import new_role_user, post_customer_invoice, register_payment

MARCH = (fields.Date.to_date("2024-03-01"), fields.Date.to_date("2024-03-31"))


class KpiReportWorldCommon(AccountTestInvoicingCommon):
    """March 2024 (N = 31 days) of two companies, worked out by hand.

    Company 1 (USD), invoices due on the date given, booked by the administrator:
    - Acme (collector Chen Jing): INV1 1,000 of 10 Feb due 11 Mar, paid 700 on 20 Mar;
      INV2 2,000 of 5 Mar due 4 Apr (not due at the end of March).
    - Beta (grade B, no collector): INV3 800 EUR (rate 2: 400 USD) of 1 Mar due 1 Mar,
      unpaid; INV4 500 of 10 Mar due 10 Mar, paid on 25 Mar (15 days).
    Company 2 (CNY): INV5 7,000 CNY to Acme of 5 Mar due 15 Mar, unpaid.

    Company 1 in March: S = 2,000 + 400 + 500 = 2,900; AR(29 Feb) = 1,000 (INV1);
    AR(31 Mar) = 300 + 2,000 + 400 = 2,700, current 2,000, overdue 700; cash = 700 + 500
    = 1,200 (and 1,000 + 2,900 - 1,200 = 2,700).
    DSO = 2,700 / 2,900 x 31 = 28.862; best = 2,000 / 2,900 x 31 = 21.379; ADD = 7.483;
    countback = 31 x 2,700 / 2,900 = 28.862; CEI = 1,200 / 1,900 = 63.158 %;
    overdue rate = 700 / 2,700 = 25.9 %; collection rate = 1,200 / 3,900 = 30.8 %;
    payment cycle: INV4 alone, 15 days.
    Acme: S 2,000, AR 1,000 -> 2,300 (current 2,000), cash 700: DSO 35.65, best 31,
    ADD 4.65, countback 31 (March's 2,000 do not cover 2,300), CEI 700 / 1,000 = 70 %,
    overdue 300 / 2,300, collected 700 / 3,000, no invoice fully paid.
    Beta: S 900, AR 0 -> 400 (all overdue), cash 500: DSO 400 / 900 x 31 = 13.778,
    best 0, CEI 500 / 900 = 55.6 %, overdue 100 %, collected 500 / 900, cycle 15 days.
    February (the previous period): S = 1,000, AR(29 Feb) = 1,000 all current:
    DSO = 1,000 / 1,000 x 29 = 29.0.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")  # 2 EUR for 1 USD in 2024
        cny = cls.setup_other_currency("CNY", rates=[("1900-01-01", 7.0)])
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company(
            name="Shanghai KPI Report Ltd.", currency_id=cny.id
        )["company"]
        cls.companies = cls.company + cls.company_2
        cls.env.user.company_ids |= cls.companies
        cls.acme, cls.beta = cls.env["res.partner"].create(
            [
                {"name": "Acme Report Co.", "is_company": True},
                {"name": "Beta Report Co.", "is_company": True},
            ]
        )
        cls.chen = cls.env["res.users"].create({"name": "Chen Jing", "login": "kpi_chen"})
        cls.acme.with_company(cls.company).collection_user_id = cls.chen
        cls.grade_b = cls.env.ref("credit_collection.credit_grade_b")
        cls.beta.with_company(cls.company).sudo().credit_grade_id = cls.grade_b
        cls.inv1 = cls._kpi_invoice(cls.acme, "2024-02-10", 1000.0, due="2024-03-11")
        cls.inv2 = cls._kpi_invoice(cls.acme, "2024-03-05", 2000.0, due="2024-04-04")
        cls.inv3 = cls._kpi_invoice(cls.beta, "2024-03-01", 800.0, currency=cls.eur)
        cls.inv4 = cls._kpi_invoice(cls.beta, "2024-03-10", 500.0)
        cls._kpi_pay(cls.inv1, 700.0, "2024-03-20")
        cls._kpi_pay(cls.inv4, 500.0, "2024-03-25")
        cls.inv5 = cls._kpi_invoice(
            cls.acme, "2024-03-05", 7000.0, due="2024-03-15", company=cls.company_2
        )

    @classmethod
    def _kpi_invoice(cls, partner, invoice_date, amount, *, due=None, currency=None, company=None):
        return post_customer_invoice(
            cls.env,
            partner,
            amount,
            invoice_date,
            due=due,
            currency=currency,
            company=company or cls.company,
        )

    @classmethod
    def _kpi_pay(cls, invoice, amount, date):
        return register_payment(cls.env, invoice, date, amount)

    def _kpi_wizard(self, user=None, **values):
        env = self.env(user=user) if user else self.env
        return (
            env["credit.kpi.wizard"]
            .with_context(allowed_company_ids=(user or env.user).company_ids.ids)
            .create(
                {
                    "period": "custom",
                    "date_from": MARCH[0],
                    "date_to": MARCH[1],
                    "group_by": "partner_id",
                    **values,
                }
            )
        )

    @classmethod
    def _role_user(cls, role, login, companies=None):
        return new_role_user(cls.env, role, login, companies or cls.companies)
