"""A customer's open invoices are forecast again at once when its payment is matched, from
its own history and the ledger's figures the nightly run stored: a few queries whatever
the number of its invoices, nobody else touched, promises and plans still first."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .collection_common import CollectionCommon
from .common import post_customer_invoice, register_payment

# Acme paid five earlier invoices in 20, 22, 24, 26 and 28 days
PAST_DAYS = (20, 22, 24, 26, 28)


@tagged("post_install", "-at_install")
class TestPaymentForecastOnMatching(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for number, days in enumerate(PAST_DAYS):
            invoice_date = cls.DUE - timedelta(days=400 - 30 * number)
            invoice = post_customer_invoice(cls.env, cls.acme, 500.0, invoice_date)
            register_payment(cls.env, invoice, invoice_date + timedelta(days=days))
        cls.first = cls._open(cls.acme, 300.0)
        cls.second = cls._open(cls.acme, 1000.0)
        cls.globex_open = cls._open(cls.globex, 700.0)
        cls.Move = cls.env["account.move"]
        cls.Move._forecast_payments(cls.company, today=cls.DUE, commit=False)

    @classmethod
    def _open(cls, partner, amount, days_ago=10):
        day = cls.DUE - timedelta(days=days_ago)
        return post_customer_invoice(cls.env, partner, amount, day, due=day + timedelta(days=30))

    def _version(self, move):
        self.env.flush_all()
        self.env.cr.execute("SELECT xmin::text FROM account_move WHERE id = %s", [move.id])
        return self.env.cr.fetchone()[0]

    def test_the_nightly_run_stores_the_ledger_s_figures(self):
        company = self.company.sudo()
        self.assertEqual(company.payment_forecast_ledger_date, self.DUE)
        self.assertEqual(company.payment_forecast_ledger["count"], 5)
        self.assertEqual(company.payment_forecast_ledger["median"], 24)
        self.assertEqual(len(company.payment_forecast_ledger["deviations"]), 11)

    def test_a_payment_forecasts_its_customer_again_and_nobody_else(self):
        self.assertEqual(
            self.second.payment_forecast_date, self.second.invoice_date + timedelta(24)
        )
        globex = (self._version(self.globex_open), self.globex_open.payment_forecast_date)
        # paid 8 days after its date: Acme's median of 8, 20, 22, 24, 26, 28 days is 23
        with freeze_time(self.DUE):
            register_payment(self.env, self.first, self.DUE - timedelta(days=2))
        self.assertRecordValues(
            self.first + self.second,
            [
                {"payment_forecast_date": False, "payment_forecast_basis": False},
                {
                    "payment_forecast_date": self.second.invoice_date + timedelta(days=23),
                    "payment_forecast_basis": "history",
                },
            ],
        )
        self.assertEqual(
            (self._version(self.globex_open), self.globex_open.payment_forecast_date), globex
        )
        # what the nightly run finds the next night (the ledger's figures move too)
        self.Move._forecast_payments(self.company, today=self.DUE, commit=False)
        self.assertEqual(
            self.second.payment_forecast_date, self.second.invoice_date + timedelta(days=23)
        )

    def test_undoing_a_payment_s_match_forecasts_the_invoice_again_at_once(self):
        with freeze_time(self.DUE):
            register_payment(self.env, self.first, self.DUE - timedelta(days=2))
        self.assertFalse(self.first.payment_forecast_date)
        with freeze_time(self.DUE):
            self.first.line_ids.filtered("matched_credit_ids").remove_move_reconcile()
        self.assertEqual(self.first.payment_state, "not_paid")
        # owing again, forecast from Acme's history as it was before that payment
        self.assertRecordValues(
            self.first,
            [
                {
                    "payment_forecast_date": self.first.invoice_date + timedelta(days=24),
                    "payment_forecast_basis": "history",
                }
            ],
        )

    def test_scoring_a_customer_costs_the_same_for_1_or_20_open_invoices(self):
        def queries(partner):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.Move._forecast_customers(self.company, partner.ids, today=self.DUE)
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        one = queries(self.globex)
        self.assertEqual(one, 7)
        for day in range(20):
            self._open(self.initech, 10.0 + day, days_ago=day)
        self.Move._forecast_payments(self.company, today=self.DUE, commit=False)
        self.assertEqual(queries(self.initech), one)
        # its open invoices and their customer types, its settled invoices, its promises,
        # its plans, the stored figures, one UPDATE
        self.env.invalidate_all()
        with self.assertQueryCount(7):
            self.Move._forecast_customers(self.company, self.initech.ids, today=self.DUE)
        self.assertTrue(
            all(
                self.Move.search([("partner_id", "=", self.initech.id)]).mapped(
                    "payment_forecast_date"
                )
            )
        )

    def test_a_promise_or_a_plan_still_gives_its_own_date(self):
        promised_invoice = self._invoice(self.initech, due=self.DUE - timedelta(days=10))
        paid_now = self._invoice(self.initech, due=self.DUE - timedelta(days=10), amount=50.0)
        plan_invoice = self._invoice(self.globex, due=self.DUE - timedelta(days=10), amount=600.0)
        self._run(self._days(-5))
        promised = self._days(12)
        with freeze_time(self._days(-5)):
            self.env["collection.promise"].create(
                {
                    "case_id": self._case(self.initech).id,
                    "amount": 1000.0,
                    "date_promised": promised,
                    "move_ids": [(6, 0, promised_invoice.ids)],
                }
            )
            self.env["collection.payment.plan"].create(
                {
                    "case_id": self._case(self.globex).id,
                    "date_start": self._days(-5),
                    "move_ids": [(6, 0, plan_invoice.ids)],
                    "installment_ids": [
                        (0, 0, {"date": self._days(20), "amount": 300.0}),
                        (0, 0, {"date": self._days(50), "amount": 300.0}),
                    ],
                }
            )
        self.Move._forecast_payments(self.company, today=self._days(-1), commit=False)
        with freeze_time(self.DUE):
            register_payment(self.env, paid_now, self._days(-1))
            register_payment(self.env, self.globex_open, self._days(-1))
        self.assertRecordValues(
            promised_invoice + plan_invoice,
            [
                {"payment_forecast_date": promised, "payment_forecast_basis": "promise"},
                {"payment_forecast_date": self._days(20), "payment_forecast_basis": "plan"},
            ],
        )
        self.assertFalse(paid_now.payment_forecast_date)
