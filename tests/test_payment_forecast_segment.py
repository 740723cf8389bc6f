"""A customer with no history of its own is expected like the customers of its type
(客户类型) pay, once the type has enough settled invoices; else like the whole company."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.addons.credit_collection.tools import payment_prediction as pp
from odoo.tests import tagged

from .collection_common import CollectionCommon
from .common import post_customer_invoice, register_payment


@tagged("post_install", "-at_install")
class TestPaymentForecastSegment(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slow = cls.env.ref("credit_collection.customer_segment_slow_but_sure")
        cls.reliable = cls.env.ref("credit_collection.customer_segment_reliable")
        # the company's other customers pay in 20 days: 40 invoices of Acme
        cls._history(cls.acme, 20, 40)
        # the slow-but-sure customers pay in 50 days: as many invoices as the type needs
        cls.slow_payers = cls.globex | cls._customer("Slow Payer Ltd.")
        for partner in cls.slow_payers:
            partner.sudo().with_company(cls.company).customer_segment_id = cls.slow
        cls._history(cls.slow_payers, 50, pp.MIN_GROUP_SETTLED)
        # a new customer of each type, and one without
        cls.newcomer = cls._customer("Newcomer Slow Co.")
        cls.newcomer.sudo().with_company(cls.company).customer_segment_id = cls.slow
        cls.reliable_newcomer = cls._customer("Newcomer Reliable Co.")
        cls.reliable_newcomer.sudo().with_company(cls.company).customer_segment_id = cls.reliable
        cls.open = {
            partner: post_customer_invoice(
                cls.env, partner, 500.0, cls.DUE - timedelta(days=5), due=cls.DUE + timedelta(25)
            )
            for partner in (cls.newcomer, cls.reliable_newcomer, cls.initech)
        }

    @classmethod
    def _history(cls, partners, days, count):
        for number in range(count):
            invoice_date = cls.DUE - timedelta(days=300 - 5 * number)
            partner = partners[number % len(partners)]
            invoice = post_customer_invoice(cls.env, partner, 100.0, invoice_date)
            register_payment(cls.env, invoice, invoice_date + timedelta(days=days))

    def _expected(self, partner):
        invoice = self.open[partner]
        return (invoice.payment_forecast_date - invoice.invoice_date).days

    def test_a_customer_with_no_history_gets_its_segment_s_distribution(self):
        self.env["account.move"]._forecast_payments(self.company, today=self.DUE, commit=False)
        # the type's 30 invoices paid in 50 days, not the company's median (20 days)
        self.assertEqual(self._expected(self.newcomer), 50)
        self.assertEqual(self.open[self.newcomer].payment_forecast_basis, "ledger")
        # a type with too few settled invoices, or no type: the whole ledger (40 x 20, 30 x 50)
        self.assertEqual(self._expected(self.reliable_newcomer), 20)
        self.assertEqual(self._expected(self.initech), 20)
        # the figures stored for the scoring at payment carry the type's
        groups = dict(self.company.sudo().payment_forecast_ledger["groups"])
        self.assertEqual(list(groups), [self.slow.id])
        self.assertEqual(groups[self.slow.id]["median"], 50)

    def test_the_scoring_at_payment_uses_the_segment_too(self):
        self.env["account.move"]._forecast_payments(self.company, today=self.DUE, commit=False)
        second = post_customer_invoice(
            self.env, self.newcomer, 80.0, self.DUE - timedelta(days=3), due=self.DUE
        )
        third = post_customer_invoice(
            self.env, self.newcomer, 90.0, self.DUE - timedelta(days=2), due=self.DUE
        )
        with freeze_time(self.DUE + timedelta(days=1)):
            register_payment(self.env, second, self.DUE + timedelta(days=1))
        # paid today: not yet part of its history, the type still speaks for it
        self.assertEqual((third.payment_forecast_date - third.invoice_date).days, 50)
        self.assertEqual(self._expected(self.newcomer), 50)
