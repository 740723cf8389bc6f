"""A world with one customer per type (客户类型), figures worked by hand.

Two companies (USD and CNY, from ``TwoCompanyWorldCommon``); invoices in the company's
currency or in EUR (2 EUR = 1 USD from 2017 on), each due ``due_days`` after its date and
paid ``paid_after_due`` days after it fell due (``None``: still open). Dates are relative
to today, so the run is always made "today" (``TODAY``).
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields

from .common import TwoCompanyWorldCommon, post_customer_invoice, register_payment

TODAY = fields.Date.today()
# the last closed month end and the one three months before it: the overdue trend
LAST_MONTH_END = TODAY + relativedelta(day=1, days=-1)
BEFORE_MONTH_END = LAST_MONTH_END + relativedelta(months=-3, day=31)


class SegmentWorldCommon(TwoCompanyWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        shared = cls.env["credit.customer.segment"].search([("company_id", "=", False)])
        cls.segments = {segment.code: segment for segment in shared}
        usd, eur = cls.company.currency_id, cls.eur
        # reliable: 3 invoices of 1,000 over ten months, each paid 2 days before it was due
        cls.punctual = cls._segment_customer(
            "Punctual Co", [(300, 1000, -2), (240, 1000, -2), (180, 1000, -2)]
        )
        # slow but sure: 3 invoices paid 20 days late: 0 % on time, 20 days late on average
        cls.steady = cls._segment_customer(
            "Steady Co", [(300, 1000, 20), (240, 1000, 20), (180, 1000, 20)]
        )
        # disputing: pays on time, but an open dispute on an invoice not yet due
        cls.quarrel = cls._segment_customer(
            "Quarrel Co", [(300, 1000, -2), (240, 1000, -2), (180, 1000, -2)]
        )
        # disputed, and not due before the first of next month whatever today is (a test
        # types the customers again then)
        open_invoice = post_customer_invoice(
            cls.env, cls.quarrel, 500, TODAY - timedelta(days=10), due=TODAY + timedelta(days=60)
        )
        case = (
            cls.env["collection.case"]
            .sudo()
            .create({"partner_id": cls.quarrel.id, "company_id": cls.company.id})
        )
        cls.dispute = cls.env["collection.dispute"].create(
            {"case_id": case.id, "move_id": open_invoice.id, "amount": 100.0, "reason": "quality"}
        )
        # at risk: an invoice of 1,000 due 120 days ago still open (worst 120 days > 90)
        cls.defaulter = cls._segment_customer(
            "Defaulter Co", [(300, 1000, -2), (240, 1000, -2), (150, 1000, None)]
        )
        # new: one invoice of 20 days ago, not yet due
        cls.newcomer = cls._segment_customer("Newcomer Co", [(20, 1000, None)])
        cls.slipping = cls._slipping_customer(usd, eur)
        # the punctual customer is new to the second company: one invoice of 10 days ago
        cls._segment_invoice(cls.punctual, cls.company_2, cls.company_2.currency_id, 10, 800)
        for month_end in (BEFORE_MONTH_END, LAST_MONTH_END):
            cls.env["credit.receivable.snapshot"]._take_snapshot(cls.company, month_end)

    @classmethod
    def _slipping_customer(cls, usd, eur):
        """Deteriorating: 4,000 USD paid on time ten months ago; 1,000 EUR (500 USD) due 10
        days before the month end three months ago, paid 30 days late; 2,000 EUR (1,000 USD)
        due 20 days before the last month end, still open. Overdue: 500 USD at the earlier
        month end, 1,000 USD at the last (2 x, more than 1.5 x). Worst days overdue today:
        20 + the days since the last month end (at most 51), average days late (500 x 30 +
        1,000 x that) / 5,500 at most 12: neither at risk."""
        partner = cls._segment_customer("Slipping Co", [(300, 4000, -2)])
        for due, amount, paid_after_due in (
            (BEFORE_MONTH_END - timedelta(days=10), 1000, 30),
            (LAST_MONTH_END - timedelta(days=20), 2000, None),
        ):
            days_ago = (TODAY - due).days + 30
            cls._segment_invoice(
                partner, cls.company, eur, days_ago, amount, paid_after_due=paid_after_due
            )
        return partner

    @classmethod
    def _segment_customer(cls, name, invoices, company=None):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        for days_ago, amount, paid_after_due in invoices:
            cls._segment_invoice(
                partner,
                company or cls.company,
                (company or cls.company).currency_id,
                days_ago,
                amount,
                paid_after_due=paid_after_due,
            )
        return partner

    @classmethod
    def _segment_invoice(cls, partner, company, currency, days_ago, amount, *, paid_after_due=None):
        """An invoice dated ``days_ago`` days ago, due 30 days later, paid ``paid_after_due``
        days after it fell due (``None``: open)."""
        invoice_date = TODAY - timedelta(days=days_ago)
        due = invoice_date + timedelta(days=30)
        invoice = post_customer_invoice(
            cls.env, partner, amount, invoice_date, due=due, currency=currency, company=company
        )
        if paid_after_due is not None:
            register_payment(cls.env, invoice, due + timedelta(days=paid_after_due))
        return invoice

    def _run(self, today=TODAY):
        self.env["credit.customer.segment"].sudo()._cron_assign_segments(commit=False, today=today)

    def _segment_of(self, partner, company=None):
        return partner.with_company(company or self.company).customer_segment_id
