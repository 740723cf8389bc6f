from odoo.tests import HttpCase, tagged

from .test_credit_review import CreditEvaluationCommon


@tagged("post_install", "-at_install")
class TestCreditReviewTour(CreditEvaluationCommon, HttpCase):
    """In the browser: a collector reviews a customer who pays on time, a credit manager
    approves, the customer's credit file shows the grade."""

    def test_credit_review_tour(self):
        customer = self._customer("Review Tour Customer")
        for days_ago in (200, 140, 80):
            self._invoice_and_pay(customer, days_ago, paid_after_due=-2)
        self.start_tour(
            f"/odoo/action-credit_collection.action_credit_customers/{customer.id}",
            "credit_review_submit_tour",
            login=self.collector.login,
        )
        review = customer.credit_review_ids
        self.assertRecordValues(
            review,
            [
                {
                    "state": "to_approve",
                    "reviewer_id": self.collector.id,
                    "bureau_score": 820,
                    "character": "5",
                    "history_known": True,
                    "on_time_share": 100.0,
                    "grade_id": self.grades["A"].id,
                }
            ],
        )
        self.assertEqual(review.activity_ids.user_id, self.env.user, "a credit manager's to-do")

        self.start_tour(
            f"/odoo/action-credit_collection.action_credit_review_to_approve/{review.id}",
            "credit_review_approve_tour",
            login=self.credit_manager.login,
        )
        self.assertRecordValues(
            review, [{"state": "approved", "approved_by_id": self.credit_manager.id}]
        )
        self.assertRecordValues(
            customer.with_company(self.company),
            [
                {
                    "credit_grade_id": self.grades["A"].id,
                    "credit_score": review.score,
                    "credit_limit": review.proposed_limit,
                    "property_payment_term_id": self.grades["A"].payment_term_id.id,
                }
            ],
        )
