from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .collection_common import CollectionCommon
from .common import post_customer_invoice, register_payment

# Acme paid five earlier invoices in 20, 22, 24, 26 and 28 days
PAST_DAYS = (20, 22, 24, 26, 28)


@tagged("post_install", "-at_install")
class TestPaymentForecast(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for number, days in enumerate(PAST_DAYS):
            invoice_date = cls.DUE - timedelta(days=400 - 30 * number)
            invoice = post_customer_invoice(cls.env, cls.acme, 500.0, invoice_date)
            register_payment(cls.env, invoice, invoice_date + timedelta(days=days))
        # open: invoiced 10 days before DUE, due 30 days later
        cls.open_acme = post_customer_invoice(
            cls.env,
            cls.acme,
            1000.0,
            cls.DUE - timedelta(days=10),
            due=cls.DUE + timedelta(days=20),
        )
        cls.open_globex = post_customer_invoice(
            cls.env,
            cls.globex,
            700.0,
            cls.DUE - timedelta(days=10),
            due=cls.DUE + timedelta(days=20),
        )
        cls.Move = cls.env["account.move"]

    def _forecast(self, today):
        return self.Move._forecast_payments(self.company, today=today, commit=False)

    def test_an_invoice_is_expected_when_its_customer_usually_pays(self):
        self._forecast(self.DUE)
        invoice = self.open_acme
        # the median of 20..28 days after its date; the range around it
        self.assertEqual(invoice.payment_forecast_date, invoice.invoice_date + timedelta(days=24))
        self.assertEqual(invoice.payment_forecast_basis, "history")
        self.assertLessEqual(invoice.payment_forecast_date_early, invoice.payment_forecast_date)
        self.assertGreaterEqual(invoice.payment_forecast_date_late, invoice.payment_forecast_date)
        # a customer without history gets the company's: the same five invoices here
        globex = self.open_globex
        self.assertEqual(globex.payment_forecast_date, globex.invoice_date + timedelta(days=24))
        self.assertEqual(globex.payment_forecast_basis, "ledger")
        # paid invoices expect nothing
        paid = self.env["account.move"].search(
            [("partner_id", "=", self.acme.id), ("payment_state", "in", ("paid", "in_payment"))]
        )
        self.assertEqual(len(paid), 5)
        self.assertFalse(any(paid.mapped("payment_forecast_date")))

    def test_an_invoice_older_than_its_range_is_expected_soon(self):
        today = self.open_acme.invoice_date + timedelta(days=60)
        self._forecast(today)
        self.assertEqual(self.open_acme.payment_forecast_date, today + timedelta(days=7))
        self.assertEqual(self.open_acme.payment_forecast_date_early, today + timedelta(days=1))

    def test_a_promise_or_a_plan_gives_its_own_date(self):
        overdue = self._invoice(self.initech, amount=900.0)
        plan_invoice = self._invoice(self.globex, due=self.DUE - timedelta(days=1), amount=600.0)
        self._run(self._days(5))
        promised = self._days(12)
        with freeze_time(self._days(5)):
            self.env["collection.promise"].create(
                {"case_id": self._case(self.initech).id, "amount": 900.0, "date_promised": promised}
            )
            self.env["collection.payment.plan"].create(
                {
                    "case_id": self._case(self.globex).id,
                    "date_start": self._days(5),
                    "move_ids": [(6, 0, plan_invoice.ids)],
                    "installment_ids": [
                        (0, 0, {"date": self._days(20), "amount": 300.0}),
                        (0, 0, {"date": self._days(50), "amount": 300.0}),
                    ],
                }
            )
        self._forecast(self._days(5))
        self.assertRecordValues(
            overdue,
            [
                {
                    "payment_forecast_date": promised,
                    "payment_forecast_date_early": promised,
                    "payment_forecast_date_late": promised,
                    "payment_forecast_basis": "promise",
                }
            ],
        )
        self.assertRecordValues(
            plan_invoice,
            [
                {
                    "payment_forecast_date": self._days(20),
                    "payment_forecast_date_late": self._days(50),
                    "payment_forecast_basis": "plan",
                }
            ],
        )

    def test_a_second_run_writes_nothing_and_a_payment_clears_the_forecast(self):
        self._forecast(self.DUE)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT xmin::text::bigint FROM account_move WHERE id = %s", [self.open_acme.id]
        )
        [(version,)] = self.env.cr.fetchall()
        self._forecast(self.DUE)
        self.env.cr.execute(
            "SELECT xmin::text::bigint FROM account_move WHERE id = %s", [self.open_acme.id]
        )
        self.assertEqual(self.env.cr.fetchall(), [(version,)], "the row was not written again")
        self._pay(self.open_acme, self.DUE)
        self._forecast(self.DUE)
        self.assertFalse(self.open_acme.payment_forecast_date)

    def test_another_company_neither_feeds_nor_receives_forecasts(self):
        other = self.setup_other_company(name="Forecast Other Co")["company"]
        theirs = post_customer_invoice(
            self.env, self.acme, 300.0, self.DUE - timedelta(days=3), company=other
        )
        self._forecast(self.DUE)
        self.assertFalse(theirs.payment_forecast_date)
        self.Move._forecast_payments(other, today=self.DUE, commit=False)
        # company 2 has no settled invoice: the ledger of company 1 does not count
        self.assertEqual(theirs.payment_forecast_basis, "ledger")
        self.assertEqual(
            self.open_acme.payment_forecast_date, self.open_acme.invoice_date + timedelta(days=24)
        )

    def test_the_nightly_run_costs_the_same_whatever_the_number_of_invoices(self):
        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self._forecast(self.DUE)
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        self._forecast(self.DUE)
        few = queries()
        for day in range(20):
            post_customer_invoice(
                self.env, self.initech, 10.0 + day, self.DUE - timedelta(days=day)
            )
        self._forecast(self.DUE)
        self.assertEqual(queries(), few)
