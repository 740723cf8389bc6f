"""Credit reviews on a real ledger: scoring, grades, approval rights, bad input."""

from datetime import timedelta

from odoo import fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged


class CreditEvaluationCommon(AccountTestInvoicingCommon):
    """Users of each credit role and a helper that pays an invoice on a chosen day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.today = fields.Date.today()
        # the accountant of the common world also decides on credit
        manager_group = cls.env.ref("credit_collection.group_credit_manager")
        cls.env.user.write({"group_ids": [Command.link(manager_group.id)]})
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        users = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.collector = new_test_user(
            cls.env,
            login="cc_eval_collector",
            groups="base.group_user,base.group_partner_manager,"
            "account.group_account_invoice,credit_collection.group_credit_collector",
            **users,
        )
        cls.credit_manager = new_test_user(
            cls.env,
            login="cc_eval_manager",
            groups="base.group_user,account.group_account_invoice,"
            "credit_collection.group_credit_manager",
            **users,
        )
        cls.grades = {g.code: g for g in cls.env["credit.grade"].search([])}

    @classmethod
    def _customer(cls, name):
        return cls.env["res.partner"].create({"name": name, "is_company": True, "customer_rank": 1})

    @classmethod
    def _invoice_and_pay(cls, partner, days_ago, paid_after_due, amount=1000.0):
        """A posted 30-day invoice of ``days_ago``, paid ``paid_after_due`` days after due."""
        invoice_date = cls.today - timedelta(days=days_ago)
        invoice = cls._create_invoice_one_line(
            price_unit=amount,
            partner_id=partner,
            invoice_date=invoice_date,
            invoice_payment_term_id=cls.term_30,
            post=True,
        )
        payment_date = invoice.invoice_date_due + timedelta(days=paid_after_due)
        if payment_date <= cls.today:
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": payment_date})._create_payments()
        return invoice

    @classmethod
    def _review(cls, partner, user=None, **values):
        return (
            cls.env["credit.review"]
            .with_user(user or cls.env.user)
            .create({"partner_id": partner.id, "company_id": cls.company.id, **values})
        )


@tagged("post_install", "-at_install")
class TestCreditReview(CreditEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good_payer = cls._customer("Prompt Payer Co.")
        cls.late_payer = cls._customer("Slow Payer Co.")
        for days_ago in (240, 180, 120):
            cls._invoice_and_pay(cls.good_payer, days_ago, paid_after_due=-5)
            cls._invoice_and_pay(cls.late_payer, days_ago, paid_after_due=60)

    def test_payment_behaviour_from_reconciled_receivables(self):
        partners = self.good_payer | self.late_payer
        partners._get_payment_behaviour(self.company)  # warm the caches (user's time zone)
        self.env.flush_all()
        with self.assertQueryCount(1):
            behaviour = partners._get_payment_behaviour(self.company)
        good, late = behaviour[self.good_payer.id], behaviour[self.late_payer.id]
        self.assertEqual(good["on_time_share"], 100.0)
        self.assertEqual(late["on_time_share"], 0.0)
        self.assertEqual(good["avg_days_late"], 0.0)
        self.assertAlmostEqual(late["avg_days_late"], 60.0)
        self.assertEqual(late["max_days_overdue"], 60)
        self.assertEqual(late["invoice_count"], 3)
        self.assertEqual(good["first_invoice_date"], self.today - timedelta(days=240))
        self.assertAlmostEqual(good["open_balance"], 0.0)

    def test_dso_of_a_young_customer_covers_its_own_period(self):
        """60 days of relationship, two equal invoices, the newest open: DSO = half the revenue
        open x 60 days = 30 days (over a whole year it would read 182 days)."""
        newcomer = self._customer("Newcomer Co.")
        self._invoice_and_pay(newcomer, 60, paid_after_due=0)
        self._invoice_and_pay(newcomer, 10, paid_after_due=0)
        figures = newcomer._get_payment_behaviour(self.company)[newcomer.id]
        self.assertAlmostEqual(figures["open_balance"], figures["revenue_12m"] / 2)
        self.assertAlmostEqual(figures["dso"], 30.0)
        year_old = self.good_payer._get_payment_behaviour(self.company)[self.good_payer.id]
        self.assertAlmostEqual(year_old["dso"], 0.0)

    def test_late_payer_scores_lower_all_else_equal(self):
        same = {
            "bureau_score": 700,
            "character": "4",
            "total_assets": 1e6,
            "total_liabilities": 5e5,
        }
        good = self._review(self.good_payer, **same)
        late = self._review(self.late_payer, **same)
        self.assertTrue(good.history_known and late.history_known)
        self.assertLess(late.score, good.score)
        self.assertLess(late.grade_id.min_score, good.grade_id.min_score)
        # the score explains itself: it is the sum of the factors' contributions
        for review in good | late:
            self.assertAlmostEqual(review.score, sum(review.line_ids.mapped("contribution")))

    def test_grade_boundaries(self):
        grade = self.env["credit.grade"]._for_score
        for score, code in ((85, "A"), (84.99, "B"), (70, "B"), (55, "C"), (54.99, "D"), (0, "D")):
            self.assertEqual(grade(score, self.company).code, code, score)

    def test_approval_writes_grade_limit_and_terms(self):
        customer = self._customer("New Customer Ltd.")
        review = self._review(
            customer,
            user=self.collector,
            bureau_score=800,
            character="5",
            capacity="5",
            annual_revenue=8_000_000,
        )
        self.assertFalse(review.history_known)
        self.assertRecordValues(
            review, [{"score": 100.0, "grade_id": self.grades["A"].id, "proposed_limit": 800_000}]
        )
        review.action_submit()
        review.with_user(self.credit_manager).action_approve()
        partner = customer.with_company(self.company)
        self.assertRecordValues(
            partner,
            [
                {
                    "credit_grade_id": self.grades["A"].id,
                    "credit_score": 100.0,
                    "credit_limit": 800_000,
                    "property_payment_term_id": self.grades["A"].payment_term_id.id,
                    "credit_last_review_date": review.date,
                    "credit_next_review_date": self.grades["A"]._next_review_date(review.date),
                }
            ],
        )
        self.assertEqual(review.approved_by_id, self.credit_manager)
        with self.assertRaisesRegex(UserError, "already Approved"):
            review.with_user(self.credit_manager).action_approve()
        with self.assertRaisesRegex(UserError, "closed"):
            review.write({"bureau_score": 100})

    def test_collector_can_draft_but_not_approve(self):
        review = self._review(self.late_payer, user=self.collector)
        review.write({"bureau_score": 600})
        review.action_submit()
        self.assertEqual(review.state, "to_approve")
        with self.assertRaises(AccessError):
            review.action_approve()
        with self.assertRaises(AccessError):
            review.action_refuse()
        self.assertFalse(self.late_payer.credit_grade_id)

    def test_credit_manager_without_accounting_rights_approves(self):
        """The credit limit is an accounting field, yet deciding it is the credit manager's job."""
        manager = new_test_user(
            self.env,
            login="cc_eval_pure_manager",
            groups="base.group_user,credit_collection.group_credit_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        review = self._review(self.good_payer, user=self.collector, bureau_score=800)
        review.action_submit()
        review.with_user(manager).action_approve()
        self.assertRecordValues(
            self.good_payer.with_company(self.company),
            [{"credit_grade_id": review.grade_id.id, "credit_limit": review.proposed_limit}],
        )
        tracking = self.good_payer.message_ids.tracking_value_ids
        self.assertIn("credit_limit", tracking.field_id.mapped("name"))
        self.assertEqual(tracking.mail_message_id.author_id, manager.partner_id)

    def test_refused_review_changes_nothing(self):
        review = self._review(self.good_payer)
        review.with_user(self.credit_manager).action_refuse()
        self.assertEqual(review.state, "refused")
        self.assertFalse(self.good_payer.credit_grade_id)

    def test_negative_assets_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._review(self.good_payer, total_assets=-1)

    def test_contact_cannot_be_reviewed(self):
        contact = self.env["res.partner"].create({"name": "Li", "parent_id": self.good_payer.id})
        with self.assertRaisesRegex(ValidationError, "rather than its contact"):
            self._review(contact)


@tagged("post_install", "-at_install")
class TestScorecardValidation(CreditEvaluationCommon):
    def _band(self, value_from, value_to, points):
        return Command.create({"value_from": value_from, "value_to": value_to, "points": points})

    def _factor(self, indicator, weight, bands=None):
        bands = bands or [self._band(0, 100, 50)]
        return Command.create({"indicator": indicator, "weight": weight, "band_ids": bands})

    def test_weights_must_sum_to_100(self):
        with self.assertRaisesRegex(ValidationError, "add up to 90.0"):
            self.env["credit.scorecard"].create(
                {
                    "name": "Bad",
                    "factor_ids": [self._factor("dso", 50), self._factor("bureau_score", 40)],
                }
            )

    def test_bands_must_not_overlap_nor_leave_gaps(self):
        overlap = [self._band(0, 50, 10), self._band(40, 100, 90)]
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.env["credit.scorecard"].create(
                {"name": "Overlap", "factor_ids": [self._factor("dso", 100, overlap)]}
            )
        gap = [self._band(0, 50, 10), self._band(60, 100, 90)]
        with self.assertRaisesRegex(ValidationError, "gap"):
            self.env["credit.scorecard"].create(
                {"name": "Gap", "factor_ids": [self._factor("dso", 100, gap)]}
            )

    def test_valid_scorecard_scores(self):
        scorecard = self.env["credit.scorecard"].create(
            {
                "name": "Simple",
                "factor_ids": [
                    self._factor("dso", 60, [self._band(0, 30, 100), self._band(30, 999, 20)]),
                    self._factor("bureau_score", 40),
                ],
            }
        )
        score, lines = scorecard._score({"dso": 45, "bureau_score": 700})
        self.assertAlmostEqual(score, 20 * 0.6 + 50 * 0.4)
        self.assertEqual([line["points"] for line in lines], [20, 50])


@tagged("post_install", "-at_install")
class TestReevaluation(CreditEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good_payer = cls._customer("Prompt Payer Co.")
        cls.late_payer = cls._customer("Slow Payer Co.")
        cls.newcomer = cls._customer("Newcomer Ltd.")
        for days_ago in (240, 180, 120):
            cls._invoice_and_pay(cls.good_payer, days_ago, paid_after_due=-5)
            cls._invoice_and_pay(cls.late_payer, days_ago, paid_after_due=60)
        cls.company.credit_start_grade_id = cls.grades["C"]
        cls.customers = cls.good_payer | cls.late_payer | cls.newcomer

    def _reevaluate(self):
        return self.env["credit.review"]._reevaluate_customers(self.company, self.customers)

    def _first_run_approved(self):
        """The first evaluation waits for a credit manager, who approves the lot."""
        reviews = self._reevaluate()
        reviews.with_user(self.credit_manager).action_approve()
        return reviews

    def test_first_run_grades_every_customer(self):
        reviews = self._reevaluate()
        self.assertEqual(reviews.partner_id, self.customers)
        self.assertEqual(set(reviews.mapped("state")), {"to_approve"}, "first evaluation")
        self.assertFalse(self.customers.credit_grade_id, "nothing written before approval")
        reviews.with_user(self.credit_manager).action_approve()
        self.assertEqual(self.newcomer.credit_grade_id, self.grades["C"], "starting grade")
        self.assertGreater(self.good_payer.credit_score, self.late_payer.credit_score)
        self.assertTrue(self.good_payer.credit_next_review_date > self.today)
        # nothing is due and nothing moved: the next run opens no review
        self.assertFalse(self._reevaluate())

    def test_downgrade_waits_for_a_credit_manager(self):
        self._first_run_approved()
        # the late payer had been graded A by a generous manager
        self.late_payer.sudo().write({"credit_grade_id": self.grades["A"].id, "credit_score": 95.0})
        review = self._reevaluate()
        self.assertEqual(review.partner_id, self.late_payer)
        self.assertRecordValues(review, [{"state": "to_approve", "is_downgrade": True}])
        self.assertEqual(review.activity_ids.user_id.mapped("name"), [self.env.user.name])
        self.assertEqual(self.late_payer.credit_grade_id, self.grades["A"], "not yet approved")
        review.with_user(self.credit_manager).action_approve()
        self.assertLess(self.late_payer.credit_grade_id.min_score, 85)
        self.assertFalse(review.activity_ids)

    def test_auto_approved_downgrade(self):
        self._first_run_approved()
        self.company.credit_auto_approve_downgrades = True
        self.late_payer.sudo().write({"credit_grade_id": self.grades["A"].id, "credit_score": 95.0})
        review = self._reevaluate()
        self.assertEqual(review.state, "approved")
        self.assertNotEqual(self.late_payer.credit_grade_id, self.grades["A"])

    def test_newcomer_without_starting_grade_is_reviewed_once(self):
        self.company.credit_start_grade_id = False
        review = self._reevaluate().filtered(lambda r: r.partner_id == self.newcomer)
        self.assertRecordValues(review, [{"state": "to_approve", "grade_id": False}])
        review.with_user(self.credit_manager).action_approve()
        self.assertEqual(self.newcomer.credit_last_review_date, self.today)
        # nothing known, nothing moved: no new review every day
        self.assertFalse(self._reevaluate())

    def test_reviews_carry_over_statements_and_judgement(self):
        first = self._review(self.good_payer, bureau_score=720, character="4", total_assets=9e5)
        first.action_approve()
        self.good_payer.sudo().credit_next_review_date = self.today
        review = self._reevaluate().filtered(lambda r: r.partner_id == self.good_payer)
        self.assertRecordValues(
            review, [{"bureau_score": 720, "character": "4", "total_assets": 9e5}]
        )
        self.assertTrue(review.history_known)


@tagged("post_install", "-at_install")
class TestCreditGuarantee(CreditEvaluationCommon):
    def test_valid_amounts_per_customer(self):
        customer = self._customer("Secured Ltd.")
        guarantees = self.env["credit.guarantee"].with_user(self.collector)
        values = {"partner_id": customer.id, "company_id": self.company.id}
        guarantees.create({**values, "name": "BG-1", "amount": 50_000})
        guarantees.create(
            {**values, "name": "INS-1", "guarantee_type": "insurance", "amount": 20_000}
        )
        guarantees.create(
            {
                **values,
                "name": "BG-old",
                "amount": 99_000,
                "date_start": self.today - timedelta(days=400),
                "date_end": self.today - timedelta(days=35),
            }
        )
        amounts = self.env["credit.guarantee"]._get_valid_amounts(customer, self.company)
        self.assertEqual(amounts, {}, "a collector's guarantees wait for a credit manager")
        customer.credit_guarantee_ids.with_user(self.credit_manager).action_validate()
        amounts = self.env["credit.guarantee"]._get_valid_amounts(customer, self.company)
        self.assertEqual(amounts, {customer.id: 70_000})
        self.assertEqual(len(customer.credit_guarantee_ids), 3)

    def test_guarantee_dates_must_be_in_order(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.env["credit.guarantee"].create(
                {
                    "name": "BG-2",
                    "partner_id": self._customer("X").id,
                    "amount": 1000,
                    "date_start": self.today,
                    "date_end": self.today - timedelta(days=1),
                }
            )


@tagged("post_install", "-at_install")
class TestReevaluationIsFlat(CreditEvaluationCommon):
    """The daily re-evaluation costs the same number of queries for 4 customers as for 8.

    Each set has the same mix, on a real ledger: customers who pay on time (graded and
    approved), late payers who were graded A (a downgrade to approve, with an activity for a
    credit manager), newcomers without invoices (starting grade), half of them with a contact
    (Odoo copies the limit and payment terms to it). The run is made as the cron makes it
    (superuser, tracking on) and its chatter messages are posted as at commit.

    The ORM inserts and updates rows in pages of 100 (``INSERT_BATCH_SIZE``): both sets stay
    within one page (8 reviews of 10 factors), so a query per customer would show.
    """

    KINDS = ("on_time", "late", "new", "late_graded_a")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_start_grade_id = cls.grades["C"]
        cls.sets = [cls._customer_set(tag, size) for tag, size in (("W", 4), ("S", 4), ("L", 8))]
        cls.env.flush_all()

    @classmethod
    def _customer_set(cls, tag, size):
        customers = cls.env["res.partner"]
        for i in range(size):
            kind = cls.KINDS[i % len(cls.KINDS)]
            customer = cls._customer(f"{tag}{i} {kind}")
            if i % 2:
                cls.env["res.partner"].create({"name": f"Buyer {tag}{i}", "parent_id": customer.id})
            if kind != "new":
                for days_ago in (200, 120):
                    cls._invoice_and_pay(customer, days_ago, 60 if "late" in kind else -3)
            if kind == "late_graded_a":
                customer.sudo().write({"credit_grade_id": cls.grades["A"].id, "credit_score": 95.0})
            customers |= customer
        return customers

    def _reevaluate_as_the_cron(self, customers):
        """Queries of one batch of the cron, its flush and its chatter messages included."""
        cron_env = self.env(user=self.env.ref("base.user_root"), context={})
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        reviews = cron_env["credit.review"]._reevaluate_customers(self.company, customers)
        cron_env.flush_all()
        cron_env.cr.precommit.run()  # what the commit of the batch posts
        cron_env.flush_all()
        return reviews.with_env(self.env), self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_customers(self):
        warm_up, small, large = self.sets
        self._reevaluate_as_the_cron(warm_up)
        small_reviews, small_queries = self._reevaluate_as_the_cron(small)
        large_reviews, large_queries = self._reevaluate_as_the_cron(large)
        self.assertEqual(len(small_reviews), 4)
        self.assertEqual(len(large_reviews), 8)
        self.assertLessEqual(len(large_reviews.line_ids), 100)
        self.assertEqual(small_queries, large_queries, "queries of 4 customers vs 8 customers")

    def test_the_batch_does_all_the_work(self):
        _warm_up, _small, large = self.sets
        reviews, _queries = self._reevaluate_as_the_cron(large)
        # a first evaluation never approves itself: all wait, with an activity
        self.assertEqual(set(reviews.mapped("state")), {"to_approve"})
        self.assertEqual(reviews.activity_ids.user_id, self.env.user, "the credit manager")
        # approved from the list at once: the same batch write, one message per customer
        downgrades = reviews.filtered(lambda r: "graded_a" in r.partner_id.name)
        (reviews - downgrades).action_approve()
        self.env.flush_all()
        self.env.cr.precommit.run()
        for review in reviews - downgrades:
            customer = review.partner_id.with_company(self.company)
            self.assertRecordValues(
                customer,
                [
                    {
                        "credit_grade_id": review.grade_id.id,
                        "credit_score": review.score,
                        "credit_limit": review.proposed_limit,
                        "property_payment_term_id": review.proposed_payment_term_id.id,
                    }
                ],
            )
            # Odoo copies the commercial fields to the contacts
            for contact in customer.child_ids:
                self.assertEqual(contact.credit_limit, review.proposed_limit)
                self.assertEqual(contact.property_payment_term_id, review.proposed_payment_term_id)
            # the chatter shows what changed, once
            message = customer.message_ids.filtered("tracking_value_ids")
            self.assertEqual(len(message), 1, customer.name)
            changed = {"credit_grade_id", "property_payment_term_id"}
            if review.score:  # a newcomer has no score yet, only the starting grade
                changed.add("credit_score")
            if review.proposed_limit:  # grade D proposes no limit
                changed.add("credit_limit")
            self.assertEqual(set(message.tracking_value_ids.field_id.mapped("name")), changed)
            self.assertEqual(message.author_id, self.env.user.partner_id, "the approver")
