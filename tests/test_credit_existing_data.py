"""A company that sold on credit before the addon: what its people entered stays until a
credit manager approves a change."""

from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .test_credit_review import CreditEvaluationCommon


def _is_worker(cron):
    """The batch workers last: they run what the daily jobs planned."""
    return cron.code == "model._cron_run_batches()"


@tagged("post_install", "-at_install")
class TestExistingDataIsKept(CreditEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_start_grade_id = cls.grades["C"]
        cls.term_45 = cls.env.ref("account.account_payment_term_45days")
        cls.customers = cls.env["res.partner"]
        for name, paid_after_due in (("Old Friend Ltd.", -5), ("Slow Friend Ltd.", 40)):
            customer = cls._customer(name)
            for days_ago in (300, 200, 120):
                cls._invoice_and_pay(customer, days_ago, paid_after_due)
            order = (
                cls.env["sale.order"]
                .sudo()
                .create(
                    {
                        "partner_id": customer.id,
                        "company_id": cls.company.id,
                        "order_line": [Command.create({"product_id": cls.product_a.id})],
                    }
                )
            )
            order.action_confirm()
            cls.customers |= customer
        cls.customers |= cls._customer("No History Ltd.")
        # their own file, typed in by the accountants
        cls.customers.with_company(cls.company).sudo().write(
            {"credit_limit": 123_456.0, "property_payment_term_id": cls.term_45.id}
        )

    def _run_every_cron(self):
        """Every scheduled action of the addon, as the scheduler runs it (commits aside)."""
        crons = self.env["ir.model.data"].search(
            [("module", "=", "credit_collection"), ("model", "=", "ir.cron")]
        )
        with (
            patch.object(
                type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: float("inf")
            ),
            # the batch workers commit each batch as Odoo retries a request (``retrying``)
            patch.object(self.env.cr, "commit", self.env.cr.flush),
        ):
            # the batch workers run the batches the daily jobs planned (the scheduler
            # runs them once the planners woke them)
            for cron in self.env["ir.cron"].browse(crons.mapped("res_id")).sorted(_is_worker):
                cron_env = self.env(user=cron.user_id, context={"lastcall": False})
                cron.ir_actions_server_id.with_env(cron_env).run()
        self.env.invalidate_all()

    def _files(self):
        return [
            {
                "credit_limit": customer.credit_limit,
                "property_payment_term_id": customer.property_payment_term_id.id,
                "credit_hold": customer.credit_hold,
                "credit_grade_id": customer.credit_grade_id.id,
            }
            for customer in self.customers.with_company(self.company).sudo()
        ]

    def test_crons_change_nothing_then_bulk_approval_applies_the_proposals(self):
        before = self._files()
        self.assertEqual(before[0]["credit_limit"], 123_456.0)
        self._run_every_cron()
        self.assertEqual(self._files(), before, "limits, terms, holds and grades untouched")
        reviews = self.env["credit.review"].search([("partner_id", "in", self.customers.ids)])
        self.assertEqual(len(reviews), 2, "no history, no review")
        self.assertEqual(set(reviews.mapped("state")), {"to_approve"})
        self.assertEqual(set(reviews.mapped("current_limit")), {123_456.0})
        self.assertEqual(reviews.current_payment_term_id, self.term_45)
        # a second run the same day opens nothing and changes nothing
        self._run_every_cron()
        self.assertEqual(
            self.env["credit.review"].search_count([("partner_id", "in", self.customers.ids)]), 2
        )
        self.assertEqual(self._files(), before)

        reviews.with_user(self.credit_manager).action_approve()
        for review in reviews:
            customer = review.partner_id.with_company(self.company).sudo()
            self.assertEqual(customer.credit_grade_id, review.grade_id)
            expected_limit = review.proposed_limit or 123_456.0
            self.assertEqual(customer.credit_limit, expected_limit, "0 proposed: limit kept")
            self.assertEqual(
                customer.property_payment_term_id,
                review.proposed_payment_term_id or self.term_45,
            )
            messages = customer.message_ids.filtered("tracking_value_ids")
            self.assertEqual(len(messages), 1, "one chatter message per customer")

    def test_a_review_without_grade_never_writes_no_limit(self):
        self.company.credit_start_grade_id = False
        newcomer = self.customers.filtered(lambda c: c.name == "No History Ltd.")
        newcomer.with_company(self.company).sudo().credit_limit = 5000.0
        review = self._review(newcomer)
        self.assertFalse(review.grade_id)
        self.assertEqual(review.proposed_limit, 0.0)
        self.assertEqual(review.current_limit, 5000.0)
        review.with_user(self.credit_manager).action_approve()
        self.assertEqual(newcomer.with_company(self.company).sudo().credit_limit, 5000.0)

    def test_automatic_approval_keeps_limits_unless_the_company_says_so(self):
        self._run_every_cron()
        first = self.env["credit.review"].search([("partner_id", "in", self.customers.ids)])
        first.with_user(self.credit_manager).action_approve()
        self.company.credit_auto_approve_downgrades = True
        for apply_proposals in (False, True):
            self.company.credit_auto_apply_proposals = apply_proposals
            customers = first.partner_id.with_company(self.company).sudo()
            customers.write({"credit_limit": 777.0, "credit_next_review_date": self.today})
            reviews = self.env["credit.review"]._reevaluate_customers(self.company, customers)
            self.assertEqual(set(reviews.mapped("state")), {"approved"})
            for review in reviews.filtered("proposed_limit"):
                limit = review.partner_id.with_company(self.company).sudo().credit_limit
                self.assertEqual(limit, review.proposed_limit if apply_proposals else 777.0)
