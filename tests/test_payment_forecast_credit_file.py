from datetime import timedelta

from odoo.tests import tagged

from .collection_common import CollectionCommon
from .common import new_role_user, post_customer_invoice, register_payment


@tagged("post_install", "-at_install")
class TestPaymentForecastCreditFile(CollectionCommon):
    """The credit file shows when the customer's next payment is expected and how much of
    what it owes is expected within a month, to every role that opens it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Acme paid three earlier invoices in 20 days
        for number in range(3):
            invoice_date = cls.DUE - timedelta(days=300 - 30 * number)
            invoice = post_customer_invoice(cls.env, cls.acme, 100.0, invoice_date)
            register_payment(cls.env, invoice, invoice_date + timedelta(days=20))
        # one open invoice expected in 10 days, one in about 60
        cls.soon = post_customer_invoice(cls.env, cls.acme, 400.0, cls.DUE - timedelta(days=10))
        cls.later = post_customer_invoice(cls.env, cls.acme, 900.0, cls.DUE + timedelta(days=40))

    def test_the_credit_file_shows_the_next_expected_payment(self):
        self.env["account.move"]._forecast_payments(self.company, today=self.DUE, commit=False)
        self.assertEqual(self.soon.payment_forecast_date, self.soon.invoice_date + timedelta(20))
        self.assertEqual(self.later.payment_forecast_date, self.later.invoice_date + timedelta(20))
        salesperson = new_role_user(self.env, "salesperson", "forecast_credit_file_sales")
        for user in (salesperson, self.collector, self.manager):
            with self.subTest(user=user.login):
                acme = self.acme.with_user(user)
                acme.invalidate_recordset()
                self.assertEqual(acme.credit_next_payment_date, self.soon.payment_forecast_date)
        # within 30 days of today (the test runs after DUE: both invoices are then "soon")
        acme = self.acme.with_user(salesperson)
        acme.invalidate_recordset()
        self.assertEqual(acme.credit_expected_30d, 1300.0)
        # a contact's credit file is its company's
        contact = self.env["res.partner"].create({"name": "Acme buyer", "parent_id": self.acme.id})
        self.assertEqual(contact.credit_next_payment_date, self.soon.payment_forecast_date)

    def test_nothing_expected_without_a_forecast(self):
        self.assertFalse(self.acme.credit_next_payment_date)
        self.assertEqual(self.acme.credit_expected_30d, 0.0)
