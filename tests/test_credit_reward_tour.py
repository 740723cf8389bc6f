from odoo.tests import HttpCase, tagged

from .segment_common import SegmentWorldCommon


@tagged("post_install", "-at_install")
class TestCreditRewardTour(SegmentWorldCommon, HttpCase):
    def test_manager_approves_a_reward_and_sees_the_review(self):
        """In the browser: the monthly run proposed longer terms to the punctual customer; a
        credit manager (holding only that role's group) approves the proposal from Credit
        Evaluation > Reward Proposals and lands on the review proposing the terms."""
        self.punctual.with_company(self.company).sudo().credit_limit = 10000.0
        self._run()
        proposal = self.env["credit.reward.proposal"].search(
            [("partner_id", "=", self.punctual.id)]
        )
        self.assertEqual(proposal.state, "draft")
        manager = self.users["manager"]
        self.start_tour("/odoo", "credit_reward_approve_tour", login=manager.login)
        self.assertRecordValues(proposal, [{"state": "approved", "decided_by_id": manager.id}])
        self.assertRecordValues(
            proposal.review_id,
            [
                {
                    "state": "to_approve",
                    "proposed_payment_term_id": self.env.ref(
                        "credit_collection.account_payment_term_60days"
                    ).id,
                }
            ],
        )
