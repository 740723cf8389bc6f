"""Who gets the collection work, in which language, what the records are called, and
what a user types staying text wherever it is shown."""

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from odoo import Command
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .collection_world_common import CollectionWorldCommon

MARKUP = st.sampled_from(
    ["<a href=x>pay here</a>", "<img src=x onerror=y>", "<script>alert(1)</script>", "a & b"]
)
TYPED = st.builds(
    lambda before, markup, after: f"{before}{markup}{after}",
    st.text(alphabet="abc 付款", max_size=5),
    MARKUP,
    st.text(alphabet="xyz 承诺", max_size=5),
)


@tagged("post_install", "-at_install")
class TestCollectionTrust(CollectionWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.acme, 4000.0)
        cls._run(cls._days(1))
        cls.case = cls.env["collection.case"].search([("partner_id", "=", cls.acme.id)])

    def _assignees(self):
        return self.env["mail.activity"].search([("res_model", "=", "collection.case")]).user_id

    # ------------------------------------------------------------
    # who gets the work
    # ------------------------------------------------------------

    def test_nobody_configured_no_work_for_odoobot_nor_portal(self):
        portal = mail_new_test_user(self.env, login="w_portal", groups="base.group_portal")
        self.acme.user_id = portal
        self._run(self._days(31))  # the call level: an activity
        self._run(self._days(91))  # legal: an activity for the manager and an escalation
        assignees = self._assignees()
        self.assertTrue(assignees)
        self.assertNotIn(self.env.ref("base.user_root"), assignees)
        self.assertFalse(assignees.filtered("share"))
        self.assertEqual(assignees, self.company._get_credit_managers()[:1])

    def test_the_work_goes_down_the_chain(self):
        case = self.case
        first_manager = self.company._get_credit_managers()[:1]
        self.assertEqual(case._get_responsible_user(), first_manager)
        manager = self._user("w_coll_manager", "credit_collection.group_credit_manager")
        self.company.collection_manager_id = manager
        self.assertEqual(case._get_responsible_user(), manager)
        self.acme.user_id = self.salesman
        self.assertEqual(case._get_responsible_user(), self.salesman)
        self.company.collection_user_id = self.collector_2  # not of this company: skipped
        self.assertEqual(case._get_responsible_user(), self.salesman)
        self.company.collection_user_id = self.collector
        self.assertEqual(case._get_responsible_user(), self.collector)
        other = self._user("w_other_collector", "credit_collection.group_credit_collector")
        self.acme.with_company(self.company).collection_user_id = other
        self.assertEqual(case._get_responsible_user(), other)
        other.active = False
        self.assertEqual(case._get_responsible_user(), self.collector)
        self.assertEqual(case._get_responsible_user(first=manager), manager)

    def test_settings_warn_while_nobody_gets_the_work(self):
        config = self.env["res.config.settings"].create({})
        self.assertTrue(config.collection_nobody_assigned)
        self.company.collection_manager_id = self.manager
        self.assertFalse(self.env["res.config.settings"].create({}).collection_nobody_assigned)

    def test_promise_horizon_is_a_sane_number_of_days(self):
        for days in (0, -1, 100000):
            with self.subTest(days=days), self.assertRaises(ValidationError):
                self.company.collection_promise_max_days = days
        self.company.collection_promise_max_days = 10
        with freeze_time(self._days(1)), self.assertRaises(ValidationError):
            self.env["collection.promise"].with_user(self.collector).create(
                {"case_id": self.case.id, "amount": 10.0, "date_promised": self._days(12)}
            )

    def test_collector_without_billing_cannot_credit(self):
        dispute = self.env["collection.dispute"].create(
            {"case_id": self.case.id, "move_id": self.invoice.id, "amount": 100.0}
        )
        with self.assertRaises(AccessError):
            dispute.with_user(self.collector).action_resolve_credit_note()
        self.assertFalse(dispute.credit_note_id)

    # ------------------------------------------------------------
    # in the reader's language
    # ------------------------------------------------------------

    def test_cron_texts_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.collector.lang = "zh_CN"
        self.company.collection_user_id = self.collector
        self.case.user_id = self.collector
        with freeze_time(self._days(1)):
            self.env["collection.promise"].with_user(self.collector).create(
                {"case_id": self.case.id, "amount": 100.0, "date_promised": self._days(20)}
            )
        self._run(self._days(31))
        summaries = self.case.activity_ids.mapped("summary")
        self.assertTrue(any(s.startswith("付款承诺未履行") for s in summaries), summaries)
        self.assertTrue(any(s.startswith("电话催收") for s in summaries), summaries)
        self._pay_all()
        self.assertEqual(self.case.state, "closed")
        self._invoice(self.acme, 100.0, due=self._days(40))
        self._run(self._days(41))
        bodies = [str(body) for body in self.case.message_ids.mapped("body")]
        self.assertTrue(any("案件已重新打开" in body for body in bodies), bodies[:3])

    def _pay_all(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({"payment_date": self._days(35)})._create_payments()

    # ------------------------------------------------------------
    # names
    # ------------------------------------------------------------

    def test_every_collection_record_has_a_name(self):
        with freeze_time(self._days(1)):
            promise = self.env["collection.promise"].create(
                {"case_id": self.case.id, "amount": 100.0, "date_promised": self._days(20)}
            )
        owed = self.invoice.amount_residual_signed
        plan = self.env["collection.payment.plan"].create(
            {
                "case_id": self.case.id,
                "date_start": self._days(1),
                "installment_ids": [Command.create({"date": self._days(5), "amount": owed})],
            }
        )
        dispute = self.env["collection.dispute"].create(
            {"case_id": self.case.id, "move_id": self.invoice.id, "amount": 10.0}
        )
        log = self.env["collection.log"].create({"case_id": self.case.id})
        records = [self.case, promise, plan, plan.installment_ids, dispute, log]
        records += [self.case.notice_ids[:1], self.case.level_id]
        for record in records:
            with self.subTest(model=record._name):
                self.assertTrue(record.display_name)
                self.assertNotEqual(record.display_name, f"{record._name},{record.id}")
        self.assertIn(self.invoice.name, dispute.display_name)

    # ------------------------------------------------------------
    # what a user types stays text
    # ------------------------------------------------------------

    @settings(
        max_examples=5,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(words=TYPED, contact=TYPED, description=TYPED)
    def test_typed_text_is_escaped_everywhere(self, words, contact, description):
        with self.env.cr.savepoint(flush=False) as savepoint:
            self._check_escaped(words, contact, description)
            savepoint.rollback()

    def _check_escaped(self, words, contact, description):
        as_collector = self.case.with_user(self.collector)
        before = self.case.message_ids
        self.env["collection.log"].with_user(self.collector).create(
            {"case_id": self.case.id, "customer_words": words, "contact_name": contact}
        )
        self.env["collection.dispute"].with_user(self.collector).create(
            {
                "case_id": self.case.id,
                "move_id": self.invoice.id,
                "amount": 10.0,
                "description": description,
            }
        )
        call = as_collector.sudo().activity_schedule(
            "mail.mail_activity_data_call", user_id=self.collector.id
        )
        call.with_user(self.collector).action_feedback(feedback=words)
        log = self.case.log_ids.sorted("id")[-1]
        self.assertEqual(log.customer_words, words, "the ledger keeps the words as typed")
        self.case.invalidate_recordset(["message_ids"])
        bodies = "".join(str(m.body) for m in self.case.message_ids - before)
        for typed in (words, contact, description):
            self.assertIn(str(escape(typed)), bodies)
            for tag in ("<a ", "<img", "<script"):
                self.assertNotIn(tag, bodies)

    @settings(max_examples=60, deadline=None)
    @given(text=st.one_of(st.text(max_size=3000), st.from_regex(r"[0-9, ;+-]{0,40}")))
    def test_bucket_limits_valid_or_a_short_user_error(self, text):
        wizard = self.env["credit.aging.wizard"].new({"bucket_limits": text})
        try:
            limits = wizard._get_limits()
        except UserError as error:
            self.assertLess(len(str(error)), 300)
        else:
            self.assertEqual(list(limits), sorted(set(limits)))
            self.assertLessEqual(limits[-1], 36500)
