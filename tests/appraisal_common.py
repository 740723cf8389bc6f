from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields

from .common import TwoCompanyWorldCommon, new_role_user, post_customer_invoice, register_payment

MARCH = ("2024-03-01", "2024-03-31")


class AppraisalWorldCommon(TwoCompanyWorldCommon):
    """March 2024 of two collectors, worked out by hand (README, *Collector appraisal*).

    Company 1 (USD), nobody configured (no default collector, no collection manager):
    - Chen owns Acme and Zeta, Wang owns Beta, Gamma has no collector; Zhao is a collector
      with a target and nothing else.
    - Acme: A1 1,000 of 1 Feb due 2 Mar, paid 600 on 10 Mar and 400 on 5 Apr;
      A2 500 EUR (250 USD at 2 EUR a dollar) of 5 Mar due 4 Apr, paid 200 EUR (100 USD) on
      20 Mar. Zeta: Z1 100 of 10 Jan, paid 20 Feb (its case closes that day).
    - Beta: B1 2,000 of 15 Jan due 14 Feb, paid 500 on 20 Feb and 1,000 on 15 Mar;
      B2 800 of 10 Mar due that day, unpaid.
    - Gamma: G1 300 of 1 Mar due that day, paid 25 Mar (its case, without collector,
      closes that day).
    - Promises, by who made them: Wang P4 500 on 25 Feb for 1 Mar (broken), P3 1,000 on
      2 Mar for 8 Mar (broken); Chen P1 600 on 5 Mar for 12 Mar (kept: 600 paid 10 Mar),
      P2 300 on 21 Mar for 25 Mar (broken), P5 200 on 28 Mar for 5 Apr (still open).
    - Contacts: Chen 28 Feb, 5, 21, 27, 28 Mar, 2 Apr; Wang 25 Feb, 2, 3, 15 Mar.
      Follow-up window 3 days (the default): P2 (window 26-28 Mar) was followed up on 27
      Mar, P4 (2-4 Mar) on 3 Mar, P3 (9-11 Mar) was not.
    - A credit manager closes Beta's case on 30 Mar.
    - Targets: Chen March 1,000 and April 2,000; Wang March 1,000; Zhao March 500.

    Company 2 (CNY): Liu owns Acme there. C1 7,000 CNY of 5 Mar due that day, paid 3,500
    on 18 Mar; Liu's March target 5,000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._appraisal_people()
        cls._appraisal_invoices()
        cls._appraisal_cases()
        cls._appraisal_february()
        cls._appraisal_march()
        cls._appraisal_april()
        cls.env["collection.target"].create(
            [
                cls._target_vals(cls.chen, "2024-03-01", 1000.0),
                cls._target_vals(cls.chen, "2024-04-01", 2000.0),
                cls._target_vals(cls.wang, "2024-03-01", 1000.0),
                cls._target_vals(cls.zhao, "2024-03-01", 500.0),
                cls._target_vals(cls.liu, "2024-03-01", 5000.0, cls.company_2),
            ]
        )

    @classmethod
    def _appraisal_people(cls):
        company, company_2 = cls.company, cls.company_2
        cls.manager = cls.users["manager"]
        cls.chen = new_role_user(cls.env, "collector", "appraisal_chen", company, name="Chen Jing")
        cls.wang = new_role_user(cls.env, "collector", "appraisal_wang", company, name="Wang Fang")
        cls.zhao = new_role_user(cls.env, "collector", "appraisal_zhao", company, name="Zhao Lei")
        cls.liu = new_role_user(cls.env, "collector", "appraisal_liu", company_2, name="Liu Yang")
        names = ("Acme Appraisal", "Beta Appraisal", "Gamma Appraisal", "Zeta Appraisal")
        cls.acme, cls.beta, cls.gamma, cls.zeta = cls.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in names]
        )
        for partner, collector in (
            (cls.acme, cls.chen),
            (cls.zeta, cls.chen),
            (cls.beta, cls.wang),
        ):
            partner.with_company(company).collection_user_id = collector
        cls.acme.with_company(company_2).collection_user_id = cls.liu

    @classmethod
    def _appraisal_invoices(cls):
        invoice = cls._appraisal_invoice
        cls.a1 = invoice(cls.acme, "2024-02-01", 1000.0, due="2024-03-02")
        cls.a2 = invoice(cls.acme, "2024-03-05", 500.0, due="2024-04-04", currency=cls.eur)
        cls.z1 = invoice(cls.zeta, "2024-01-10", 100.0)
        cls.b1 = invoice(cls.beta, "2024-01-15", 2000.0, due="2024-02-14")
        cls.b2 = invoice(cls.beta, "2024-03-10", 800.0)
        cls.g1 = invoice(cls.gamma, "2024-03-01", 300.0)
        cls.c1 = invoice(cls.acme, "2024-03-05", 7000.0, company=cls.company_2)

    @classmethod
    def _appraisal_cases(cls):
        case, company = cls.env["collection.case"], cls.company
        cls.case_acme = case.create(
            {"partner_id": cls.acme.id, "company_id": company.id, "user_id": cls.chen.id}
        )
        cls.case_zeta = case.create(
            {"partner_id": cls.zeta.id, "company_id": company.id, "user_id": cls.chen.id}
        )
        cls.case_beta = case.create(
            {"partner_id": cls.beta.id, "company_id": company.id, "user_id": cls.wang.id}
        )
        cls.case_gamma = case.create({"partner_id": cls.gamma.id, "company_id": company.id})

    @classmethod
    def _appraisal_february(cls):
        cls._appraisal_pay(cls.z1, 100.0, "2024-02-20")
        cls._appraisal_pay(cls.b1, 500.0, "2024-02-20")
        cls._log(cls.wang, cls.case_beta, "2024-02-25")
        cls.p4 = cls._promise(cls.wang, cls.case_beta, "2024-02-25", 500.0, "2024-03-01")
        cls._log(cls.chen, cls.case_acme, "2024-02-28")

    @classmethod
    def _appraisal_march(cls):
        cls._log(cls.wang, cls.case_beta, "2024-03-02")
        cls.p3 = cls._promise(cls.wang, cls.case_beta, "2024-03-02", 1000.0, "2024-03-08")
        cls._log(cls.wang, cls.case_beta, "2024-03-03")
        cls._log(cls.chen, cls.case_acme, "2024-03-05")
        cls.p1 = cls._promise(cls.chen, cls.case_acme, "2024-03-05", 600.0, "2024-03-12")
        cls._appraisal_pay(cls.a1, 600.0, "2024-03-10")
        cls._appraisal_pay(cls.b1, 1000.0, "2024-03-15")
        cls._log(cls.wang, cls.case_beta, "2024-03-15")
        cls._appraisal_pay(cls.c1, 3500.0, "2024-03-18")
        cls._appraisal_pay(cls.a2, 200.0, "2024-03-20", currency=cls.eur)
        cls._log(cls.chen, cls.case_acme, "2024-03-21")
        cls.p2 = cls._promise(cls.chen, cls.case_acme, "2024-03-21", 300.0, "2024-03-25")
        cls._appraisal_pay(cls.g1, 300.0, "2024-03-25")
        cls._log(cls.chen, cls.case_acme, "2024-03-27")
        cls._log(cls.chen, cls.case_acme, "2024-03-28")
        cls.p5 = cls._promise(cls.chen, cls.case_acme, "2024-03-28", 200.0, "2024-04-05")
        with cls._on("2024-03-29"):
            cls.env["collection.promise"]._check_due_promises(cls.company, fields.Date.today())
        with cls._on("2024-03-30"):
            cls.case_beta.with_user(cls.manager).action_close()

    @classmethod
    def _appraisal_april(cls):
        cls._log(cls.chen, cls.case_acme, "2024-04-02")
        cls._appraisal_pay(cls.a1, 400.0, "2024-04-05")

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @classmethod
    @contextmanager
    def _on(cls, day):
        """Noon UTC of ``day``, for Python and for the records' creation dates."""
        moment = datetime.combine(fields.Date.to_date(day), datetime.min.time()).replace(hour=12)
        with freeze_time(moment), patch.object(cls.env.cr, "now", lambda: moment):
            yield

    @classmethod
    def _appraisal_invoice(
        cls, partner, invoice_date, amount, *, due=None, currency=None, company=None
    ):
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
    def _appraisal_pay(cls, invoice, amount, day, currency=None):
        with cls._on(day):
            register_payment(cls.env, invoice, day, amount, currency)

    @classmethod
    def _log(cls, user, case, day):
        with cls._on(day):
            return (
                cls.env["collection.log"]
                .with_user(user)
                .create({"case_id": case.id, "channel": "phone", "result": "reached"})
            )

    @classmethod
    def _promise(cls, user, case, day, amount, date_promised):
        with cls._on(day):
            return (
                cls.env["collection.promise"]
                .with_user(user)
                .create({"case_id": case.id, "amount": amount, "date_promised": date_promised})
            )

    @classmethod
    def _target_vals(cls, user, month, amount, company=None):
        return {
            "user_id": user.id,
            "company_id": (company or cls.company).id,
            "date_from": month,
            "amount": amount,
        }
