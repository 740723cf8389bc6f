from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TwoCompanyWorldCommon, post_customer_invoice, register_payment

TODAY = fields.Date.to_date("2026-04-15")


@tagged("post_install", "-at_install")
class TestCreditAlert(TwoCompanyWorldCommon):
    """Early warnings in the world of two companies (USD and CNY) selling to one customer
    invoiced in EUR and CNY, nobody configured: no collector, the default rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["credit.alert.rule"]
        cls.Alert = cls.env["credit.alert"]
        cls.rule_80 = cls.env.ref("credit_collection.credit_alert_rule_exposure_80")
        cls.rule_100 = cls.env.ref("credit_collection.credit_alert_rule_exposure_100")
        cls.rule_grade = cls.env.ref("credit_collection.credit_alert_rule_grade_downgrade")
        cls.rule_dispute = cls.env.ref("credit_collection.credit_alert_rule_dispute")
        cls.rule_promise = cls.env.ref("credit_collection.credit_alert_rule_broken_promise")
        cls.rule_expiry = cls.env.ref("credit_collection.credit_alert_rule_expiry")
        # the behavioural rules have their own tests (test_credit_alert_behaviour.py)
        # (the world's payments already ran them: their alerts go too)
        cls.Rule.search([("kind", "in", cls.Rule.BEHAVIOUR_KINDS)]).active = False
        cls.Alert.sudo().search([("kind", "in", cls.Rule.BEHAVIOUR_KINDS)]).unlink()
        cls.manager = cls.users["manager"]
        cls.collector = cls.users["collector"]
        # a customer who pays as usual: invoiced every month, paid on its due date
        cls.punctual = cls.env["res.partner"].create({"name": "Punctual Ltd.", "is_company": True})
        for month in range(1, 5):
            date = fields.Date.to_date(f"2026-0{month}-01")
            invoice = post_customer_invoice(
                cls.env, cls.punctual, 500.0, date, due=date + timedelta(days=30)
            )
            register_payment(cls.env, invoice, date + timedelta(days=30))
        cls.env["res.partner"].browse(cls.punctual.id).sudo().with_company(
            cls.company
        ).credit_limit = 5000.0

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _evaluate(self, today=TODAY):
        self.Rule._cron_evaluate_alerts(commit=False, today=today)

    def _alerts(self, rule, partner=None, state=None):
        domain = [("rule_id", "=", rule.id), ("partner_id", "=", (partner or self.customer).id)]
        if state:
            domain.append(("state", "=", state))
        return self.Alert.search(domain)

    def _exposure(self, company=None):
        return self.customer.with_company(company or self.company).credit_exposure

    def _limit(self, share, company=None):
        """Give the customer a limit at which its exposure is ``share`` of it."""
        company = company or self.company
        exposure = self._exposure(company)
        self.customer.sudo().with_company(company).credit_limit = round(exposure / share, 2)

    def _manager_mails(self, alert):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "credit.alert"),
                ("res_id", "=", alert.id),
                ("subject", "=like", "Early warning (%"),
            ]
        )

    def test_summary_reads_in_the_readers_language(self):
        """The daily run evaluates in its own language (English here); a Chinese credit
        manager reads the same alert's summary, and its expiring items, in Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self._limit(0.9)
        self.Rule.with_context(lang="en_US")._cron_evaluate_alerts(commit=False, today=TODAY)
        alert = self._alerts(self.rule_80)
        self.assertIn("of the credit limit", alert.with_context(lang="en_US").summary)
        self.manager.lang = "zh_CN"
        chinese = alert.with_user(self.manager).with_context(lang="zh_CN").summary
        self.assertIn("信用额度", chinese)
        self.assertNotIn("credit limit", chinese)

    # ------------------------------------------------------------
    # exposure against the limit
    # ------------------------------------------------------------

    def test_exposure_fires_once_per_threshold_and_clears_when_paid(self):
        self._limit(0.9)
        self._evaluate()
        self._evaluate()
        alert = self._alerts(self.rule_80)
        self.assertRecordValues(
            alert,
            [
                {
                    "state": "open",
                    "company_id": self.company.id,
                    "severity": "medium",
                    "user_id": self.company._get_credit_managers()[:1].id,
                }
            ],
        )
        self.assertIn("90%", alert.summary)
        self.assertIn("Share of the limit (%): 90", alert.evidence_text)
        self.assertEqual(
            alert.evidence["limit"], self.customer.with_company(self.company).credit_limit
        )
        self.assertEqual(alert.move_ids, self.invoices[:1])
        self.assertFalse(self._alerts(self.rule_100), "90% of the limit is not above it")
        self.assertEqual(
            alert.activity_ids.user_id,
            self.manager | self.env.user,
            "nobody collects: each credit manager of the company gets one to-do, once",
        )
        self.assertEqual(len(alert.activity_ids), 2)
        self.assertFalse(self._manager_mails(alert), "the 80% rule sends no email")

        self._limit(1.05)
        self._evaluate()
        self._evaluate()
        above = self._alerts(self.rule_100)
        self.assertEqual(len(above), 1)
        self.assertEqual(above.severity, "high")
        self.assertEqual(len(self._manager_mails(above)), 1, "one email to the managers, once")
        self.assertEqual(self._alerts(self.rule_80), alert, "the 80% alert stays the same")

        # the payment clears both at once, no daily run needed
        register_payment(self.env, self.invoices[:1], TODAY)
        self.assertRecordValues(
            alert + above,
            [{"state": "closed", "close_reason": "cleared"}] * 2,
        )

    def test_a_customer_without_limit_is_not_watched(self):
        self._evaluate()
        self.assertFalse(self.Alert.search([("partner_id", "=", self.customer.id)]))

    def test_no_warning_for_a_customer_paying_as_usual(self):
        for day in (TODAY, TODAY + timedelta(days=30), fields.Date.today()):
            self._evaluate(day)
        self.assertFalse(self.Alert.search([("partner_id", "=", self.punctual.id)]))

    def test_each_company_watches_its_own_limit_in_its_currency(self):
        self._limit(1.2, self.company_2)
        self._evaluate()
        alerts = self.Alert.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(alerts.company_id, self.company_2, "company 1 sets no limit")
        self.assertEqual(alerts.rule_id, self.rule_80 | self.rule_100)
        self.assertIn("¥", self._alerts(self.rule_100).summary)

        # a rule of company 1 only never sees company 2's customers
        own = self.rule_100.copy({"company_id": self.company.id, "name": "Company 1 only"})
        self._evaluate()
        self.assertFalse(self._alerts(own))

    def test_exposure_replayed_at_a_past_date(self):
        """Replayed before the partial payments of the world, the exposure is larger."""
        self._limit(0.95)
        before = self.rule_80._evaluate(self.company, self.DUE - timedelta(days=1))
        now = self.rule_80._evaluate(self.company, TODAY)
        self.assertGreater(
            before[self.customer.id]["values"]["receivable"],
            now[self.customer.id]["values"]["receivable"],
        )

    # ------------------------------------------------------------
    # grade, dispute, promise, expiry
    # ------------------------------------------------------------

    def test_grade_downgrade_fires_within_its_days_and_clears(self):
        grade_a = self.env.ref("credit_collection.credit_grade_a")
        grade_c = self.env.ref("credit_collection.credit_grade_c")
        review = (
            self.env["credit.review"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date": TODAY - timedelta(days=3),
                    "score": 45.0,
                }
            )
        )
        review.write({"previous_grade_id": grade_a.id, "grade_id": grade_c.id, "state": "approved"})
        self.assertTrue(review.is_downgrade)
        self._evaluate()
        self._evaluate()
        alert = self._alerts(self.rule_grade)
        self.assertEqual(len(alert), 1)
        self.assertIn(grade_c.name, alert.summary)
        self.assertEqual(len(self._manager_mails(alert)), 1)
        self._evaluate(TODAY + timedelta(days=40))
        self.assertRecordValues(alert, [{"state": "closed", "close_reason": "cleared"}])
        self.assertFalse(
            self.Alert.search(
                [("partner_id", "=", self.customer.id), ("company_id", "=", self.company_2.id)]
            )
        )

    def _cases(self):
        for company in self.companies:
            with freeze_time(self.DUE + timedelta(days=20)):
                self.env["collection.case"].with_company(company)._run_dunning(commit=False)
        return self.env["collection.case"].search([("partner_id", "=", self.customer.id)])

    def test_a_dispute_above_the_amount_raises_its_alert_at_once(self):
        self.rule_dispute.threshold = 300.0
        case = self._cases().filtered(lambda c: c.company_id == self.company)
        invoice = self.invoices[:1]
        Dispute = self.env["collection.dispute"].with_company(self.company)
        Dispute.create({"case_id": case.id, "move_id": invoice.id, "amount": 50.0})
        self.assertFalse(self._alerts(self.rule_dispute), "50 EUR is below 300 USD")
        dispute = Dispute.create({"case_id": case.id, "move_id": invoice.id, "amount": 800.0})
        alert = self._alerts(self.rule_dispute)
        self.assertEqual(len(alert), 1, "raised at once, without the daily run")
        self.assertEqual(alert.move_ids, invoice)
        self._evaluate(fields.Date.today())
        self.assertEqual(self._alerts(self.rule_dispute), alert)
        self.assertEqual(len(alert.activity_ids), 2)
        dispute.action_reject()
        self._evaluate(fields.Date.today())
        self.assertRecordValues(alert, [{"state": "closed", "close_reason": "cleared"}])

    def test_a_broken_promise_raises_its_alert_at_once(self):
        case = self._cases().filtered(lambda c: c.company_id == self.company)
        start = self.DUE + timedelta(days=21)
        with freeze_time(start):
            self.env["collection.promise"].create(
                {"case_id": case.id, "amount": 200.0, "date_promised": start + timedelta(days=5)}
            )
        with freeze_time(start + timedelta(days=7)):
            self.env["collection.promise"]._check_due_promises(
                self.company, start + timedelta(days=7)
            )
        alert = self._alerts(self.rule_promise)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.date_opened, start + timedelta(days=7))
        self._evaluate(start + timedelta(days=8))
        self.assertEqual(self._alerts(self.rule_promise), alert)
        self._evaluate(start + timedelta(days=50))
        self.assertEqual(alert.close_reason, "cleared")

    def test_limit_increase_guarantee_and_review_ending(self):
        today = fields.Date.today()
        self.env["credit.limit.increase"].sudo().create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "amount": 1000.0,
                "date_end": today + timedelta(days=10),
            }
        )
        insurance = (
            self.env["credit.guarantee"]
            .sudo()
            .create(
                {
                    "name": "POL-7",
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "guarantee_type": "insurance",
                    "amount": 2000.0,
                    "date_start": today - timedelta(days=100),
                    "date_end": today + timedelta(days=20),
                }
            )
        )
        insurance.action_validate()
        self._evaluate(today)
        self._evaluate(today)
        alert = self._alerts(self.rule_expiry)
        self.assertEqual(len(alert), 1)
        self.assertIn("POL-7", alert.summary)
        self.assertIn("temporary limit increase", alert.summary)
        self.assertEqual(alert.evidence["first_date"], str(today + timedelta(days=10)))
        self._evaluate(today + timedelta(days=21))
        self.assertEqual(alert.close_reason, "cleared")

    def test_next_credit_review_due_in_its_company_only(self):
        today = fields.Date.today()
        self.customer.sudo().with_company(self.company_2).credit_next_review_date = (
            today + timedelta(days=15)
        )
        self._evaluate(today)
        alert = self._alerts(self.rule_expiry)
        self.assertRecordValues(alert, [{"company_id": self.company_2.id, "state": "open"}])
        self.assertIn("next credit review due", alert.summary)

    # ------------------------------------------------------------
    # actions and rights
    # ------------------------------------------------------------

    def test_review_and_hold_actions_run_once(self):
        self.rule_100.write({"action_review": True, "action_hold": True})
        self.customer.sudo().with_company(self.company).collection_user_id = self.collector
        self._limit(1.1)
        self._evaluate()
        self._evaluate()
        alert = self._alerts(self.rule_100)
        self.assertEqual(alert.user_id, self.collector, "the customer's collector owns it")
        self.assertEqual(alert.activity_ids.user_id, self.collector)
        self.assertEqual(alert.review_id.state, "to_approve")
        reviews = self.env["credit.review"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(reviews, alert.review_id, "one review, not one per run")
        customer = self.customer.with_company(self.company)
        self.assertRecordValues(customer, [{"credit_hold": True, "credit_hold_origin": "alert"}])
        self.assertFalse(self.customer.with_company(self.company_2).credit_hold)
        notice = customer.message_ids.filtered(lambda m: "early warning" in (m.body or ""))
        self.assertEqual(len(notice), 1)
        self.assertTrue(self.users["salesperson"].partner_id <= notice.partner_ids)
        self.assertTrue(self.collector.partner_id <= notice.partner_ids)

    def test_owner_closes_and_it_does_not_reopen_while_the_condition_holds(self):
        self.customer.sudo().with_company(self.company).collection_user_id = self.collector
        self._limit(0.9)
        self._evaluate()
        alert = self._alerts(self.rule_80)
        alert.with_user(self.collector).action_request_review()
        self.assertRecordValues(
            alert.review_id, [{"state": "to_approve", "company_id": self.company.id}]
        )
        alert.with_user(self.collector).action_close()
        self.assertRecordValues(alert, [{"state": "closed", "close_reason": "manual"}])
        self._evaluate()
        self.assertEqual(self._alerts(self.rule_80), alert, "closed by hand: seen, not reopened")
        self._limit(0.5)
        self._evaluate()
        self._limit(0.9)
        self._evaluate()
        self.assertEqual(len(self._alerts(self.rule_80, state="open")), 1, "back again: a new one")

    def test_collectors_cannot_forge_alerts_and_salespeople_cannot_read_them(self):
        self._limit(0.9)
        self._evaluate()
        alert = self._alerts(self.rule_80).with_user(self.collector)
        for vals in (
            {"state": "closed"},
            {"close_reason": "manual"},
            {"partner_id": self.punctual.id},
        ):
            with self.assertRaises(AccessError):
                alert.write(vals)
        with self.assertRaises(AccessError):
            self.Alert.with_user(self.collector).create(
                {
                    "rule_id": self.rule_80.id,
                    "partner_id": self.punctual.id,
                    "company_id": self.company.id,
                    "severity": "low",
                }
            )
        with self.assertRaises(AccessError, msg="a collector closes their own alerts only"):
            alert.action_close()
        with self.assertRaises(AccessError, msg="only a credit manager puts on hold"):
            alert.action_credit_hold()
        with self.assertRaises(AccessError):
            self.Alert.with_user(self.users["salesperson"]).search([]).read(["summary"])
        with self.assertRaises(AccessError):
            self.rule_80.with_user(self.collector).write({"threshold": 10.0})
        alert.with_user(self.manager).action_credit_hold()
        self.assertTrue(self.customer.with_company(self.company).credit_hold)
        self.assertEqual(self.customer.with_company(self.company).credit_hold_origin, "manual")

    def test_the_event_path_stays_flat(self):
        """Re-evaluating after a payment costs the same for one customer as for three."""
        self._limit(0.9)
        others = self.env["res.partner"].create(
            [{"name": f"Other {n}", "is_company": True} for n in range(2)]
        )
        for other in others:
            post_customer_invoice(self.env, other, 100.0, TODAY)
            other.sudo().with_company(self.company).credit_limit = 110.0
        # the alerts open on a first evaluation; what is measured is the one after
        self.Rule._evaluate_event("payment", self.company, self.customer | others)
        self.assertEqual(len(self.Alert.search([("rule_id", "=", self.rule_80.id)])), 3)
        self.env.invalidate_all()
        with self.assertQueryCount(17):
            self.Rule._evaluate_event("payment", self.company, self.customer)
        self.env.invalidate_all()
        with self.assertQueryCount(17):
            self.Rule._evaluate_event("payment", self.company, self.customer | others)
