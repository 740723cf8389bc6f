"""Forgeries on the credit side: what a logged-in user can send over JSON-RPC with what the
form hides, per role. Each call is refused and nothing is written."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command, fields
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditControlCommon, new_role_user

relaxed = settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])


@tagged("post_install", "-at_install")
class TestHostileCredit(CreditControlCommon):
    """Limit 1,000, open invoice 600; each user holds only their role's groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_limit(cls.customer, 1000.0)
        cls._invoice(600.0)
        # the salesperson of the brief: own documents only, nothing else
        cls.seller = new_role_user(
            cls.env, "salesperson", "hostile_seller", cls.company, name="Sam Seller"
        )
        cls.collector = new_role_user(
            cls.env, "collector", "hostile_collector", cls.company, name="Cora Collector"
        )
        cls.other_manager = new_role_user(
            cls.env, "manager", "hostile_manager_2", cls.company, name="Max Manager"
        )
        cls.order = cls._order(price=500.0, user_id=cls.seller.id)

    def _requests(self):
        return self.env["credit.approval.request"].search([("order_id", "=", self.order.id)])

    # approval requests ------------------------------------------------------------------

    def test_salesperson_cannot_create_an_approved_request(self):
        forged = {
            "order_id": self.order.id,
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "order_amount_total": 1e9,
            "requester_id": self.seller.id,
            "reason": "trust me",
            "state": "approved",
        }
        with self.assertRaises(AccessError):
            self.env["credit.approval.request"].with_user(self.seller).create(forged)
        # a credit manager has the create right, not the right to create a decision
        with self.assertRaises(AccessError):
            self.env["credit.approval.request"].with_user(self.credit_manager).create(forged)
        self.assertFalse(self._requests())
        with self.assertRaisesRegex(UserError, "credit limit"):
            self.order.with_user(self.seller).action_confirm()
        self.assertEqual(self.order.state, "draft")

    def test_pending_request_cannot_be_approved_by_a_write(self):
        request = self._request(self.seller, "Pays on Friday")
        for user in (self.seller, self.collector, self.credit_manager):
            with self.assertRaises(AccessError):
                request.with_user(user).write(
                    {"state": "approved", "approver_id": self.other_manager.id}
                )
        self.assertEqual(request.state, "pending")

    def test_blank_reason_is_refused(self):
        # the whole call is rolled back, as an RPC call would be
        with self.assertRaisesRegex(ValidationError, "Say why"), self.env.cr.savepoint():
            self._request(self.seller, "   \n ")
        self.assertFalse(self._requests())

    def test_reason_is_plain_text_in_the_managers_note(self):
        request = self._request(
            self.seller, '<a href="https://evil.example">click</a><img src=x onerror=alert(1)>'
        )
        note = str(request.activity_ids[:1].note)
        self.assertNotIn("<img", note)
        self.assertNotIn(">click</a>", note, "no link hidden behind a text")
        self.assertIn("&lt;a href=", note)
        self.assertIn("&lt;img", note)

    def test_summary_in_each_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.other_manager.lang = "zh_CN"
        self.credit_manager.lang = "en_US"
        request = self._request(self.seller, "Pays on Friday")
        summaries = {a.user_id: a.summary for a in request.activity_ids}
        self.assertIn("批准或拒绝", summaries[self.other_manager])
        self.assertIn("Approve or refuse", summaries[self.credit_manager])

    def _request(self, user, reason):
        wizard = (
            self.env["credit.approval.request.wizard"]
            .with_user(user)
            .create({"order_id": self.order.id, "reason": reason})
        )
        wizard.action_request()
        return self._requests()

    def test_confirming_twice_gets_odoos_message(self):
        order = self._order(price=300.0, user_id=self.seller.id).with_user(self.seller)
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "not in a state requiring confirmation"):
            order.action_confirm()

    # reviews ----------------------------------------------------------------------------

    def _draft_review(self):
        return (
            self.env["credit.review"]
            .with_user(self.collector)
            .create({"partner_id": self.customer.id, "company_id": self.company.id})
        )

    def test_collector_cannot_approve_a_review_by_writing_it(self):
        review = self._draft_review()
        grade = self.env["credit.grade"].search([], limit=1)
        forged = [
            {"state": "approved", "approved_by_id": self.credit_manager.id},
            {"approval_date": fields.Datetime.now()},
            {"grade_id": grade.id},
            {"score": 99.0},
            {"previous_score": 1.0},
        ]
        for vals in forged:
            with self.assertRaises(AccessError):
                review.with_user(self.collector).write(vals)
        with self.assertRaises(AccessError):
            self.env["credit.review"].with_user(self.collector).create(
                {"partner_id": self.customer.id, "state": "approved", "grade_id": grade.id}
            )
        self.assertEqual(review.state, "draft")
        self.assertFalse(review.approved_by_id)

    def test_review_lines_are_the_scorings_only(self):
        review = self._draft_review()
        self.assertTrue(review.line_ids, "the scoring wrote the factors")
        line = review.line_ids[0].with_user(self.collector)
        points = line.points
        with self.assertRaises(AccessError):
            line.write({"points": 100.0, "contribution": 100.0})
        with self.assertRaises(AccessError):
            line.unlink()
        with self.assertRaises(AccessError):
            self.env["credit.review.line"].with_user(self.collector).create(
                {"review_id": review.id, "points": 100, "contribution": 100}
            )
        self.assertEqual(line.points, points)
        self.assertIn(review.display_name, line.display_name)

    def test_partner_evaluation_fields_are_the_reviews(self):
        grade = self.env["credit.grade"].search([], limit=1)
        for user in (self.seller, self.collector, self.credit_manager):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"credit_grade_id": grade.id})
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"credit_score": 100.0})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.credit_manager).create(
                {"name": "New Co", "credit_next_review_date": "2099-01-01"}
            )
        self.assertFalse(self.customer.credit_grade_id)

    # limits -----------------------------------------------------------------------------

    def test_negative_limits_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.with_company(self.company).sudo().credit_limit = -1000.0
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.credit_default_limit = -1000.0

    def test_limit_increase_ending_in_the_past(self):
        increases = self.env["credit.limit.increase"].with_user(self.credit_manager)
        with self.assertRaisesRegex(ValidationError, "in the past"), self.env.cr.savepoint():
            increases.create(
                {
                    "partner_id": self.customer.id,
                    "amount": 500.0,
                    "date_end": fields.Date.today() - timedelta(days=1),
                }
            )
        self.assertFalse(increases.search([("partner_id", "=", self.customer.id)]))

    @relaxed
    @given(
        amount=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        days=st.integers(min_value=-400, max_value=400),
    )
    def test_limit_increase_any_input(self, amount, days):
        date_end = fields.Date.today() + timedelta(days=days)
        vals = {"partner_id": self.customer.id, "amount": amount, "date_end": date_end}
        with self.env.cr.savepoint():
            try:
                increase = self.env["credit.limit.increase"].with_user(self.credit_manager)
                increase = increase.create(vals)
                increase.flush_recordset()
            except ValidationError as error:
                self.assertTrue(round(amount, 2) <= 0 or days < 0, error)
                return
            self.assertGreater(increase.amount, 0)
            self.assertGreaterEqual(increase.date_end, fields.Date.today())

    # scorecards -------------------------------------------------------------------------

    def test_factor_weight_written_alone_rechecks_its_scorecard(self):
        scorecard = self.env.ref("credit_collection.credit_scorecard_default")
        factors = scorecard.factor_ids.with_user(self.credit_manager)
        with self.assertRaisesRegex(ValidationError, "sum to 100"), self.env.cr.savepoint():
            factors[0].weight += 10
        with self.assertRaisesRegex(ValidationError, "sum to 100"), self.env.cr.savepoint():
            factors[-1].unlink()
        with self.assertRaisesRegex(ValidationError, "sum to 100"), self.env.cr.savepoint():
            factors.create({"scorecard_id": scorecard.id, "indicator": "net_margin", "weight": 0.5})
        self.env.invalidate_all()
        self.assertEqual(scorecard.total_weight, 100, "nothing was written")
        # the form saves all weights at once: moving 5 points between two factors is fine
        scorecard.with_user(self.credit_manager).write(
            {
                "factor_ids": [
                    Command.update(factors[0].id, {"weight": factors[0].weight + 5}),
                    Command.update(factors[1].id, {"weight": factors[1].weight - 5}),
                ]
            }
        )
        self.assertEqual(scorecard.total_weight, 100)

    # guarantees -------------------------------------------------------------------------

    def _guarantee_vals(self, **values):
        return {
            "name": "BG-1",
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "amount": 5000.0,
            **values,
        }

    def test_guarantees_count_once_a_manager_validated_them(self):
        self.company.credit_deduct_guarantees = True
        guarantees = self.env["credit.guarantee"]
        with self.assertRaises(AccessError):
            guarantees.with_user(self.seller).create(self._guarantee_vals())
        with self.assertRaises(AccessError):
            guarantees.with_user(self.collector).create(self._guarantee_vals(state="validated"))
        draft = guarantees.with_user(self.collector).create(self._guarantee_vals())
        self.assertEqual(
            self.customer._get_credit_exposure(self.company)[self.customer.id]["guarantees"], 0.0
        )
        with self.assertRaises(AccessError):
            draft.action_validate()
        with self.assertRaises(AccessError):
            draft.write({"state": "validated", "validated_by_id": self.credit_manager.id})
        draft.with_user(self.credit_manager).action_validate()
        self.assertEqual(draft.validated_by_id, self.credit_manager)
        exposure = self.customer._get_credit_exposure(self.company)[self.customer.id]
        self.assertEqual(exposure["guarantees"], 5000.0)
        with self.assertRaises(AccessError):
            draft.with_user(self.collector).write({"amount": 9e9})
        self.assertEqual(draft.amount, 5000.0)
        self.assertIn("BG-1", draft.display_name)

    @relaxed
    @given(amount=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
    def test_guarantee_any_amount(self, amount):
        with self.env.cr.savepoint():
            try:
                guarantee = self.env["credit.guarantee"].with_user(self.collector)
                guarantee = guarantee.create(self._guarantee_vals(amount=amount))
                guarantee.flush_recordset()
            except ValidationError:
                self.assertLessEqual(round(amount, 2), 0)
                return
            self.assertGreater(guarantee.amount, 0)


@tagged("post_install", "-at_install")
class TestCollectionSummaryForSalespeople(CreditControlCommon):
    """A Sales/User: Own Documents salesperson sees where the collection of their own
    customers stands, and nothing of the others'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_role_user(cls.env, "salesperson", "summary_seller", cls.company)
        cls.other_seller = new_role_user(
            cls.env, "salesperson", "summary_other_seller", cls.company
        )
        cls.customer.user_id = cls.seller
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Someone Else's Ltd.", "is_company": True, "user_id": cls.other_seller.id}
        )
        level = cls.env.ref("credit_collection.collection_level_call")
        cls.cases = (
            cls.env["collection.case"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": cls.company.id,
                        "state": "in_progress",
                        "level_id": level.id,
                        "amount_due": 900.0,
                        "amount_overdue": 700.0,
                        "days_overdue": 45,
                    }
                    for partner in (cls.customer, cls.stranger)
                ]
            )
        )
        cls.env["collection.log"].sudo().create(
            [{"case_id": case.id, "date": "2026-01-05 10:00:00"} for case in cls.cases]
        )

    def test_own_customer_summary_and_nothing_of_the_others(self):
        own = self.customer.with_user(self.seller).with_company(self.company)
        self.assertRecordValues(
            own,
            [
                {
                    "collection_summary_state": "In Progress",
                    "collection_summary_overdue": 700.0,
                    "collection_summary_days": 45,
                    "collection_summary_level": "Phone call",
                    "collection_summary_last_contact": fields.Datetime.to_datetime(
                        "2026-01-05 10:00:00"
                    ),
                }
            ],
        )
        order = self._order(user_id=self.seller.id).with_user(self.seller)
        self.assertEqual(order.collection_summary_overdue, 700.0)
        other = self.stranger.with_user(self.seller).with_company(self.company)
        self.assertFalse(other.collection_summary_state)
        self.assertEqual(other.collection_summary_overdue, 0.0)
        # a collector sees every customer's
        collector = mail_new_test_user(
            self.env,
            login="summary_collector",
            groups="base.group_user,credit_collection.group_credit_collector",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertEqual(
            self.stranger.with_user(collector).with_company(self.company).collection_summary_days,
            45,
        )
