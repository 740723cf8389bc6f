"""Property tests of the amounts and dates a collector types: whatever is sent (through the
form or over JSON-RPC), it is accepted and consistent, or refused with a validation message;
never a database error, never a record that breaks the rule."""

from datetime import timedelta

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .collection_world_common import CollectionWorldCommon


class Accepted(Exception):
    """Raised to roll an accepted example back once checked."""


examples = settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
amounts = st.floats(min_value=-1e10, max_value=1e10, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=-400, max_value=400)


@tagged("post_install", "-at_install")
class TestCollectionProperties(CollectionWorldCommon):
    """One open case of Acme in company 1: a GBP invoice of 4,000 due on DUE, worked by a
    collector with only the Collector group; today is DUE + 1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.acme, 4000.0)
        cls._run(cls._days(1))
        cls.case = cls.env["collection.case"].search([("partner_id", "=", cls.acme.id)])
        cls.today = cls._days(1)

    def _create(self, model, vals, check):
        """Create as the collector, then ``check(record)``; refused means a validation
        message. Either way the savepoint is rolled back: examples do not pile up."""
        try:
            with self.env.cr.savepoint(), freeze_time(self.today):
                record = self.env[model].with_user(self.collector).create(vals)
                # stored totals and their constraints, as at the end of a request
                self.env.flush_all()
                check(record)
                raise Accepted
        except Accepted:
            return True
        except (UserError, ValidationError) as error:
            self.assertTrue(str(error).strip(), "a refusal says what to fix")
            return False

    @examples
    @given(amount=amounts)
    def test_dispute_amount(self, amount):
        open_amount = self.invoice.amount_residual  # in the invoice's currency (GBP)

        def check(dispute):
            self.assertEqual(dispute.currency_id, self.gbp)
            self.assertGreater(dispute.amount, 0)
            self.assertLessEqual(dispute.amount, open_amount)

        accepted = self._create(
            "collection.dispute",
            {"case_id": self.case.id, "move_id": self.invoice.id, "amount": amount},
            check,
        )
        self.assertEqual(accepted, 0 < self.gbp.round(amount) <= open_amount, amount)

    @examples
    @given(amount=amounts, offset=days, start_offset=days)
    def test_promise_amount_and_dates(self, amount, offset, start_offset):
        owed = self.case.amount_due
        horizon = self.company.collection_promise_max_days
        promised = self.today + timedelta(days=offset)
        start = self.today + timedelta(days=start_offset)
        currency = self.company.currency_id

        def check(promise):
            self.assertGreater(currency.round(promise.amount), 0)
            self.assertLessEqual(currency.compare_amounts(promise.amount, owed), 0)
            self.assertGreaterEqual(promise.date_promised, self.today)
            self.assertGreaterEqual(promise.date_promised, promise.date_start)
            self.assertLessEqual(promise.date_promised, self.today + timedelta(days=horizon))

        self._create(
            "collection.promise",
            {
                "case_id": self.case.id,
                "amount": amount,
                "date_promised": promised,
                "date_start": start,
            },
            check,
        )

    @examples
    @given(parts=st.lists(st.tuples(amounts, days), max_size=4))
    def test_plan_installments(self, parts):
        currency = self.company.currency_id

        def check(plan):
            self.assertTrue(plan.installment_ids)
            self.assertTrue(all(currency.round(i.amount) > 0 for i in plan.installment_ids))
            self.assertTrue(all(i.date >= plan.date_start for i in plan.installment_ids))
            self.assertFalse(currency.compare_amounts(plan.amount_total, plan.amount_covered))

        self._create(
            "collection.payment.plan",
            {
                "case_id": self.case.id,
                "date_start": self.today,
                "move_ids": [Command.set(self.invoice.ids)],
                "installment_ids": [
                    Command.create({"amount": amount, "date": self.today + timedelta(days=offset)})
                    for amount, offset in parts
                ],
            },
            check,
        )

    def test_a_plan_that_adds_up_is_accepted(self):
        """The property above is not vacuous: the plan agreed on what is owed goes through."""
        owed = self.invoice.amount_residual_signed
        half = self.company.currency_id.round(owed / 2)
        accepted = self._create(
            "collection.payment.plan",
            {
                "case_id": self.case.id,
                "date_start": self.today,
                "move_ids": [Command.set(self.invoice.ids)],
                "installment_ids": [
                    Command.create({"amount": half, "date": self.today + timedelta(days=15)}),
                    Command.create(
                        {"amount": owed - half, "date": self.today + timedelta(days=45)}
                    ),
                ],
            },
            lambda plan: self.assertEqual(len(plan.installment_ids), 2),
        )
        self.assertTrue(accepted)
