"""Rewards for good payers (优质客户奖励): proposed by the monthly run, decided by a credit
manager, applied through a credit review."""

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .segment_common import TODAY, SegmentWorldCommon


@tagged("post_install", "-at_install")
class TestCreditReward(SegmentWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_60 = cls.env.ref("credit_collection.account_payment_term_60days")
        cls.term_discount = cls.env.ref("account.account_payment_term_30days_early_discount")
        # punctual: paid every invoice on time; its invoice due 150 days ago is the one due
        # in the last 6 months; nothing open: 0 % of 10,000 used
        cls._limit(cls.punctual, 10000.0)
        # steady pays 20 days late: no reward whatever its limit
        cls._limit(cls.steady, 10000.0)
        # quarrel pays on time, but 500 open of 800: 62.5 % used, over the 50 %
        cls._limit(cls.quarrel, 800.0)
        cls.Proposal = cls.env["credit.reward.proposal"]

    @classmethod
    def _limit(cls, partner, limit, company=None):
        partner.with_company(company or cls.company).sudo().credit_limit = limit

    def _proposals(self, partner=None, company=None):
        domain = [("company_id", "=", (company or self.company).id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.Proposal.search(domain)

    def test_run_proposes_longer_terms_to_a_good_payer(self):
        self._run()
        self.assertRecordValues(
            self._proposals(),
            [
                {
                    "partner_id": self.punctual.id,
                    "kind": "longer_terms",
                    "payment_term_id": self.term_60.id,
                    "current_payment_term_id": False,
                    "months_on_time": 6,
                    "invoices_on_time": 1,
                    "exposure": 0.0,
                    "credit_limit": 10000.0,
                    "exposure_use": 0.0,
                    "state": "draft",
                }
            ],
        )

    def test_exposure_use_below_the_share(self):
        """500 open of a 1,200 limit: 41.67 % used, under 50 %: proposed."""
        self._limit(self.quarrel, 1200.0)
        self._run()
        proposal = self._proposals(self.quarrel)
        self.assertEqual(proposal.exposure, 500.0)
        self.assertAlmostEqual(proposal.exposure_use, 500.0 / 1200.0 * 100.0)
        # with the company's share at 40 %, it is not
        proposal.sudo().unlink()
        self.company.credit_reward_exposure_share = 40.0
        self.company.customer_segment_run_date = False
        self._run()
        self.assertFalse(self._proposals(self.quarrel))

    def test_discount_for_a_customer_already_on_longer_terms(self):
        self.punctual.with_company(self.company).property_payment_term_id = self.term_60
        self._run()
        self.assertRecordValues(
            self._proposals(self.punctual),
            [
                {
                    "kind": "discount",
                    "payment_term_id": self.term_discount.id,
                    "current_payment_term_id": self.term_60.id,
                }
            ],
        )
        self.assertTrue(self.term_discount.early_discount)
        # already on discount terms: nothing more to propose
        self._proposals(self.punctual).sudo().unlink()
        self.punctual.with_company(self.company).property_payment_term_id = self.term_discount
        self.company.customer_segment_run_date = False
        self._run()
        self.assertFalse(self._proposals(self.punctual))

    def test_one_open_proposal_per_customer(self):
        self._run()
        self._run(TODAY + relativedelta(months=1, day=1))
        self.assertEqual(len(self._proposals(self.punctual)), 1)

    def test_each_company_rewards_on_its_own_ledger(self):
        """The punctual customer is new in the second company (one invoice of 10 days)."""
        self._limit(self.punctual, 100000.0, self.company_2)
        self._run()
        self.assertTrue(self._proposals(self.punctual))
        self.assertFalse(self._proposals(self.punctual, self.company_2))

    def test_manager_approves_and_the_review_applies_the_terms(self):
        self._run()
        manager = self.users["manager"]
        proposal = self._proposals(self.punctual).with_user(manager)
        action = proposal.action_approve()
        review = proposal.review_id
        self.assertEqual(action["res_id"], review.id)
        self.assertRecordValues(proposal, [{"state": "approved", "decided_by_id": manager.id}])
        self.assertRecordValues(
            review,
            [
                {
                    "partner_id": self.punctual.id,
                    "company_id": self.company.id,
                    "state": "to_approve",
                    "proposed_payment_term_id": self.term_60.id,
                    "current_limit": 10000.0,
                    "proposed_limit": 10000.0,
                }
            ],
        )
        review.with_user(manager).action_approve()
        self.assertEqual(proposal.state, "applied")
        partner = self.punctual.with_company(self.company).sudo()
        self.assertEqual(partner.property_payment_term_id, self.term_60)
        self.assertEqual(partner.credit_limit, 10000.0)

    def test_refused_review_refuses_the_proposal(self):
        self._run()
        proposal = self._proposals(self.punctual).with_user(self.users["manager"])
        proposal.action_approve()
        proposal.review_id.action_refuse()
        self.assertEqual(proposal.state, "refused")
        self.assertFalse(self.punctual.with_company(self.company).property_payment_term_id)

    def test_refusal_needs_a_reason(self):
        self._run()
        proposal = self._proposals(self.punctual).with_user(self.users["manager"])
        with self.assertRaises(UserError):
            proposal.action_refuse()
        proposal.refuse_reason = "Large order expected: keep 30 days"
        proposal.action_refuse()
        self.assertRecordValues(proposal, [{"state": "refused", "review_id": False}])
        with self.assertRaises(UserError):
            proposal.action_approve()

    def test_roles_and_forgeries(self):
        self._run()
        proposal = self._proposals(self.punctual)
        collector = self.users["collector"]
        # the collector reads the proposal but cannot approve it, nor write its state
        self.assertEqual(proposal.with_user(collector).state, "draft")
        with self.assertRaises(AccessError):
            proposal.with_user(collector).action_approve()
        with self.assertRaises(AccessError):
            proposal.with_user(collector).write({"state": "approved"})
        # the manager decides through the buttons only
        manager = self.users["manager"]
        for vals in (
            {"state": "applied"},
            {"payment_term_id": self.term_discount.id},
            {"review_id": self.env["credit.review"].search([], limit=1).id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                proposal.with_user(manager).write(vals)
        with self.assertRaises(AccessError):
            self.Proposal.with_user(manager).create(
                {
                    "partner_id": self.steady.id,
                    "company_id": self.company.id,
                    "kind": "longer_terms",
                    "payment_term_id": self.term_60.id,
                }
            )
        # salespeople and billing clerks do not see proposals at all
        for role in ("salesperson", "billing"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                proposal.with_user(self.users[role]).read(["state"])
        self.assertEqual(proposal.state, "draft")

    def test_settings_say_what_to_fix(self):
        for vals in (
            {"credit_reward_months": 0},
            {"credit_reward_exposure_share": 0.0},
            {"credit_reward_exposure_share": 120.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)
