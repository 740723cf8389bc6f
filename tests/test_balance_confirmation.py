from datetime import timedelta
from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .balance_confirmation_common import CSRF, BalanceConfirmationCommon
from .common import post_customer_invoice


@tagged("post_install", "-at_install")
class TestBalanceConfirmationRequest(BalanceConfirmationCommon):
    """The back office asks: one request per customer, the balance from the ledger, an
    email with the portal link; only collectors and credit managers may ask."""

    def test_one_request_per_customer_with_the_ledger_balance(self):
        requests = self._request(self.customer + self.beta)
        acme = requests.filtered(lambda r: r.partner_id == self.customer)
        beta = requests.filtered(lambda r: r.partner_id == self.beta)
        eur_invoice = self.invoices[0]  # the first company's, in EUR
        query = self.env["credit.receivable.query"]
        self.assertRecordValues(
            requests.sorted(lambda r: r.partner_id.name),
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date": self.as_of,
                    "state": "sent",
                    "sent_by_id": self.collector.id,
                    "balance": eur_invoice.amount_residual_signed,
                },
                {
                    "partner_id": self.beta.id,
                    "company_id": self.company.id,
                    "date": self.as_of,
                    "state": "sent",
                    "sent_by_id": self.collector.id,
                    "balance": 300.0,
                },
            ],
        )
        self.assertAlmostEqual(
            acme.balance,
            query._get_receivable_balance(self.as_of, self.company.ids, self.customer.ids),
        )
        # the customer invoiced in EUR sees what it owes in EUR too: 1,000 less 100 paid
        [(currency, amount_currency, amount)] = acme._get_currency_balances()
        self.assertEqual((currency, amount_currency), (self.eur, 900.0))
        self.assertAlmostEqual(amount, acme.balance)
        self.assertTrue(acme._has_foreign_currency())
        self.assertFalse(beta._has_foreign_currency())
        self.assertIn("900.00", acme.currency_balance_text)

    def _count_queries_of_requests(self, customers):
        confirmations = self.env["credit.balance.confirmation"].with_user(self.collector)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        confirmations.with_company(self.company)._create_requests(
            customers, self.company, self.as_of
        )
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_making_requests_takes_as_many_queries_for_two_customers_as_for_seven(self):
        others = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "email": f"c{n}@example.com"} for n in range(5)]
        )
        for customer in others:
            post_customer_invoice(self.env, customer, 100.0, self.DUE, company=self.company)
        self._count_queries_of_requests(self.customer + others[0])  # warms the caches up
        two = self._count_queries_of_requests(self.customer + self.beta)
        seven = self._count_queries_of_requests(self.customer + self.beta + others)
        self.assertEqual(two, seven)

    def test_the_email_carries_the_portal_link_with_its_token(self):
        request = self._request(self.beta)
        mail = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.beta, mail.recipient_ids)
        self.assertIn(f"/my/balance_confirmation/{request.id}?access_token=", mail.body_html)
        self.assertIn(request.access_token, mail.body_html)
        self.assertIn("please confirm your balance", mail.subject)
        self.assertEqual(mail.author_id, self.collector.partner_id)

    def test_a_chinese_customer_gets_the_request_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.beta.lang = "zh_CN"
        request = self._request(self.beta)
        mail = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertIn("请确认截至", mail.subject)
        self.assertIn("确认余额或提出异议", mail.body_html)
        self.assertIn(request.access_token, mail.body_html)

    def test_a_customer_without_email_is_refused_before_anything_is_sent(self):
        self.beta.email = False
        with self.assertRaisesRegex(UserError, "Add an email address to Beta Industries"):
            self._request(self.customer + self.beta)
        self.assertFalse(self.env["credit.balance.confirmation"].search([]))

    def test_billing_clerks_and_salespeople_cannot_ask(self):
        for role in ("billing", "salesperson"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._request(self.beta, user=self.users[role])
        self.assertFalse(self.env["credit.balance.confirmation"].search([]))

    def test_a_credit_manager_can_ask(self):
        request = self._request(self.beta, user=self.users["manager"])
        self.assertEqual(request.state, "sent")

    def test_nobody_forges_a_state_a_balance_or_an_answer(self):
        request = self._request(self.beta)
        forgeries = [
            {"state": "confirmed"},
            {"balance": 1.0},
            {"answer_ip": "10.0.0.1"},
            {"amount_believed": 5.0},
            {"answer_partner_id": self.beta.id},
            {"partner_id": self.customer.id},
            {"reminder_count": 9},
        ]
        for user in (self.collector, self.users["manager"]):
            for vals in forgeries:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    request.with_user(user).write(vals)
        for vals in forgeries[:2]:
            with self.subTest(create=vals), self.assertRaises(AccessError):
                self.env["credit.balance.confirmation"].with_user(self.collector).create(
                    {"partner_id": self.beta.id, "date": self.as_of, **vals}
                )
        with self.assertRaises(AccessError):
            request.with_user(self.portal_beta).write({"state": "confirmed"})
        self.assertRecordValues(request, [{"state": "sent", "balance": 300.0}])

    def test_portal_users_read_only_their_customer_requests(self):
        requests = self._request(self.customer + self.beta)
        confirmations = self.env["credit.balance.confirmation"]
        self.assertEqual(
            confirmations.with_user(self.portal_acme).search([]).partner_id, self.customer
        )
        self.assertEqual(confirmations.with_user(self.portal_beta).search([]).partner_id, self.beta)
        beta = requests.filtered(lambda r: r.partner_id == self.beta)
        with self.assertRaises(AccessError):
            beta.with_user(self.portal_acme).read(["balance"])

    def test_cancel_withdraws_an_unanswered_request_only(self):
        request = self._request(self.beta)
        request.with_user(self.collector).action_cancel()
        self.assertEqual(request.state, "cancelled")
        with self.assertRaisesRegex(UserError, "withdrawn"):
            request._portal_answer(
                "confirmed", partner=self.beta, user=self.portal_beta, ip="127.0.0.1"
            )
        self.assertEqual(request.state, "cancelled")

    def test_the_reminder_interval_is_a_sensible_number_of_days(self):
        with self.assertRaises(ValidationError):
            self.company.balance_confirmation_reminder_days = 0


@tagged("post_install", "-at_install")
class TestBalanceConfirmationReminders(BalanceConfirmationCommon):
    """Unanswered requests are reminded after the company's interval, once per interval,
    however often the cron runs."""

    def _mails(self, request):
        """Emails of the request to the customer (its sender, a follower, gets copies)."""
        return self.env["mail.mail"].search_count(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("recipient_ids", "in", request.partner_id.ids),
            ]
        )

    def _cron(self, day):
        """The daily cron on ``day``, as superuser like the scheduled action; its batch
        commits are left to the test's transaction."""
        cron = type(self.env["ir.cron"])
        with freeze_time(day), patch.object(cron, "_commit_progress", lambda *a, **k: 1.0):
            self.env["credit.balance.confirmation"].sudo()._cron_send_reminders()

    def test_the_cron_reminds_once_per_interval(self):
        sent = fields.Date.to_date("2026-04-01")
        with freeze_time(sent):
            request = self._request(self.beta)
            answered = self._request(self.customer)
        answered._portal_answer(
            "confirmed", partner=self.customer, user=self.portal_acme, ip="127.0.0.1"
        )
        interval = self.company.balance_confirmation_reminder_days  # 7 by default
        self._cron(sent + timedelta(days=interval - 1))
        self.assertEqual((request.reminder_count, self._mails(request)), (0, 1))
        for _run in range(2):  # the cron runs twice that day: one reminder
            self._cron(sent + timedelta(days=interval))
        self.assertEqual((request.reminder_count, self._mails(request)), (1, 2))
        self.assertEqual(request.last_reminder_date, sent + timedelta(days=interval))
        self._cron(sent + timedelta(days=2 * interval - 1))
        self.assertEqual(request.reminder_count, 1)
        self._cron(sent + timedelta(days=2 * interval))
        self.assertEqual((request.reminder_count, self._mails(request)), (2, 3))
        reminder = self.env["mail.mail"].search(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("recipient_ids", "in", self.beta.ids),
            ],
            order="id desc",
            limit=1,
        )
        self.assertTrue(reminder.subject.startswith("Reminder: "))
        self.assertEqual(answered.reminder_count, 0, "an answered request is not reminded")

    def test_send_reminder_from_the_report_refuses_answered_requests(self):
        requests = self._request(self.customer + self.beta)
        acme = requests.filtered(lambda r: r.partner_id == self.customer)
        acme._portal_answer("confirmed", partner=self.customer, user=self.portal_acme, ip="::1")
        with self.assertRaisesRegex(UserError, "Only unanswered requests get reminders"):
            requests.with_user(self.collector).action_send_reminder()
        beta = requests - acme
        beta.with_user(self.collector).action_send_reminder()
        self.assertEqual(beta.reminder_count, 1)


@tagged("post_install", "-at_install")
class TestBalanceConfirmationPortal(BalanceConfirmationCommon, HttpCase):
    """The customer answers on the portal: once, recorded with who, when and from where;
    nobody reaches another customer's request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        requests = cls._request(cls.customer + cls.beta)
        cls.acme_request = requests.filtered(lambda r: r.partner_id == cls.customer)
        cls.beta_request = requests - cls.acme_request
        cls.case = (
            cls.env["collection.case"]
            .sudo()
            .create({"partner_id": cls.customer.id, "company_id": cls.company.id})
        )

    def _page(self, request, token=None):
        url = f"/my/balance_confirmation/{request.id}"
        if token:
            url += f"?access_token={token}"
        return self.url_open(url, allow_redirects=False)

    def _answer(self, request, token=None, csrf_from=None, **values):
        """POST an answer with the CSRF token of a page the session may open (by default
        Acme's request, which the tests log in for)."""
        page = self.url_open((csrf_from or self.acme_request).get_portal_url())
        data = {"csrf_token": CSRF.search(page.text).group(1), **values}
        if token:
            data["access_token"] = token
        response = self.url_open(f"/my/balance_confirmation/{request.id}/answer", data=data)
        self.env.invalidate_all()
        return response

    def _recorded(self, request):
        self.env.invalidate_all()
        return (
            request.state,
            request.answer_date,
            request.amount_believed,
            len(request.message_ids),
            self.env["collection.log"].search_count([("case_id", "=", self.case.id)]),
        )

    def test_each_portal_user_lists_only_its_own_requests(self):
        self.authenticate("portal_acme", "portal_acme")
        page = self.url_open("/my/balance_confirmations")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.acme_request.access_url, page.text)
        self.assertNotIn(self.beta_request.access_url, page.text)
        home = self.url_open("/my")
        self.assertIn("/my/balance_confirmations", home.text)
        self.authenticate("portal_beta", "portal_beta")
        page = self.url_open("/my/balance_confirmations")
        self.assertIn(self.beta_request.access_url, page.text)
        self.assertNotIn(self.acme_request.access_url, page.text)

    def test_the_page_shows_the_balance_and_the_open_items(self):
        self.authenticate("portal_acme", "portal_acme")
        page = self._page(self.acme_request)
        self.assertEqual(page.status_code, 200)
        invoice = self.invoices[0]
        self.assertIn(invoice.name, page.text)
        self.assertIn("900.00", page.text, "the EUR balance")
        self.assertIn("o_balance_confirmation_confirm", page.text)

    def test_a_chinese_portal_user_answers_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.portal_acme.lang = "zh_CN"
        self.authenticate("portal_acme", "portal_acme")
        page = self.url_open(self.acme_request.get_portal_url())  # via /zh_CN/...
        self.assertIn("对余额提出异议", page.text)
        response = self._answer(self.acme_request, answer="contested", amount="", comment="x")
        self.assertIn("请输入您认为截至该日应付的余额", response.text)

    @mute_logger("odoo.http")
    def test_forged_ids_and_other_customers_tokens_are_refused(self):
        self.authenticate("portal_acme", "portal_acme")
        before = self._recorded(self.beta_request)
        # someone else's request: by id, with one's own token, with a made-up token
        for token in (None, self.acme_request.access_token, "0" * 36):
            with self.subTest(token=token):
                page = self._page(self.beta_request, token)
                self.assertEqual(page.status_code, 303)
                self.assertTrue(page.headers["Location"].endswith("/my"))
                answer = self._answer(self.beta_request, token or "x", answer="confirmed")
                self.assertEqual(answer.status_code, 404)
        missing = self._page(self.beta_request.browse(10**8))
        self.assertEqual(missing.status_code, 303)
        self.assertEqual(self._recorded(self.beta_request), before)
        self.assertFalse(self.beta_request.answer_partner_id)

    def test_the_email_link_works_without_logging_in(self):
        page = self._page(self.beta_request, self.beta_request.access_token)
        self.assertEqual(page.status_code, 200)
        self._answer(
            self.beta_request,
            self.beta_request.access_token,
            csrf_from=self.beta_request,
            answer="confirmed",
        )
        self.assertRecordValues(
            self.beta_request,
            [{"state": "confirmed", "answer_partner_id": self.beta.id, "answer_user_id": False}],
        )

    def test_confirm_records_date_person_ip_chatter_and_ledger(self):
        self.authenticate("portal_acme", "portal_acme")
        before = fields.Datetime.now()
        response = self._answer(self.acme_request, answer="confirmed")
        self.assertIn("your answer has been recorded", response.text)
        request = self.acme_request
        self.assertRecordValues(
            request,
            [
                {
                    "state": "confirmed",
                    "answer_partner_id": self.portal_acme.partner_id.id,
                    "answer_user_id": self.portal_acme.id,
                    "answer_ip": "127.0.0.1",
                }
            ],
        )
        self.assertGreaterEqual(request.answer_date, before.replace(microsecond=0))
        note = self.customer.message_ids.filtered(lambda m: "confirmed the balance" in m.body)
        self.assertEqual(note.author_id, self.portal_acme.partner_id)
        self.assertIn("127.0.0.1", note.body)
        log = self.env["collection.log"].search([("case_id", "=", self.case.id)])
        self.assertRecordValues(
            log,
            [
                {
                    "channel": "portal",
                    "result": "balance_confirmed",
                    "contact_name": "Li Wei",
                    "user_id": self.collector.id,
                }
            ],
        )
        self.assertEqual(self.case.state, "in_progress")
        self.assertFalse(request.activity_ids, "a confirmed balance asks nothing of anyone")

    def test_contest_records_amount_comment_and_opens_a_todo_for_the_sender(self):
        self.authenticate("portal_acme", "portal_acme")
        self._answer(
            self.acme_request,
            answer="contested",
            amount="100.50",
            comment="Our payment of 12 March is missing.",
        )
        request = self.acme_request
        self.assertRecordValues(
            request,
            [
                {
                    "state": "contested",
                    "amount_believed": 100.5,
                    "answer_comment": "Our payment of 12 March is missing.",
                    "difference": 100.5 - request.balance,
                    "answer_ip": "127.0.0.1",
                }
            ],
        )
        # nobody configured: the collector who sent the request reconciles it
        activity = request.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertIn("Our payment of 12 March is missing.", activity.note)
        log = self.env["collection.log"].search([("case_id", "=", self.case.id)])
        self.assertEqual(log.result, "balance_contested")

    def test_the_customer_collector_gets_the_todo_when_there_is_one(self):
        accountant = self.users["manager"]
        self.company.collection_user_id = accountant
        self.acme_request._portal_answer(
            "contested",
            partner=self.portal_acme.partner_id,
            user=self.portal_acme,
            ip="127.0.0.1",
            amount="10",
            comment="Credit note missing",
        )
        self.assertEqual(self.acme_request.activity_ids.user_id, accountant)

    def test_a_second_answer_is_refused_and_nothing_is_recorded(self):
        self.authenticate("portal_acme", "portal_acme")
        self._answer(self.acme_request, answer="confirmed")
        before = self._recorded(self.acme_request)
        response = self._answer(self.acme_request, answer="contested", amount="1", comment="No")
        self.assertIn("already answered", response.text)
        self.assertEqual(self._recorded(self.acme_request), before)
        again = self._answer(self.acme_request, answer="confirmed")
        self.assertIn("already answered", again.text)
        self.assertEqual(self._recorded(self.acme_request), before)

    def test_bad_contest_input_is_refused_with_a_clear_message(self):
        self.authenticate("portal_acme", "portal_acme")
        balance = str(self.acme_request.balance)
        cases = [
            ({"amount": "", "comment": "Wrong"}, "Enter the balance you believe"),
            ({"amount": "abc", "comment": "Wrong"}, "abc is not an amount"),
            ({"amount": "nan", "comment": "Wrong"}, "nan is not an amount"),
            ({"amount": "1e20", "comment": "Wrong"}, "is not an amount"),
            ({"amount": "5", "comment": "  "}, "Tell us what differs"),
            ({"amount": balance, "comment": "Same"}, "confirm the balance instead"),
        ]
        before = self._recorded(self.acme_request)
        for values, message in cases:
            with self.subTest(values=values):
                response = self._answer(self.acme_request, answer="contested", **values)
                self.assertIn(message, response.text)
                self.assertEqual(self._recorded(self.acme_request), before)
        self.assertFalse(self.acme_request.activity_ids)


@tagged("post_install", "-at_install")
class TestBalanceConfirmationConcurrency(TransactionCase):
    """Two answers to one request at the same time (two browser tabs, two people of the
    customer): their snapshots overlap, the second fails on the request's row and, retried
    as Odoo retries a request, finds the first answer. Committed data, cursors of its own."""

    def _worker(self):
        cr = self.registry.cursor()
        cr.execute("SET lock_timeout = '10s'")
        return api.Environment(cr, SUPERUSER_ID, {})

    def _answer(self, env, request_id, answer):
        request = env["credit.balance.confirmation"].browse(request_id)
        return request._portal_answer(
            answer,
            partner=request.partner_id,
            user=env.user,
            ip="127.0.0.1",
            amount="5",
            comment="Payment missing",
        )

    def test_two_answers_at_once_record_one(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {"name": "Concurrent Answerer", "is_company": True, "email": "c@example.com"}
            )
            request = env["credit.balance.confirmation"].create(
                {
                    "partner_id": partner.id,
                    "date": fields.Date.today(),
                    "state": "sent",
                    "sent_date": fields.Datetime.now(),
                }
            )
            partner_id, request_id = partner.id, request.id
        first, second = self._worker(), self._worker()
        try:
            for env in (first, second):  # both snapshots taken before either commits
                env.cr.execute("SELECT 1")
            self._answer(first, request_id, "confirmed")
            first.cr.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                self._answer(second, request_id, "contested")
                second.flush_all()
            second.cr.rollback()
            second.invalidate_all()
            with self.assertRaisesRegex(UserError, "already answered"):
                self._answer(second, request_id, "contested")  # Odoo's retry
            request = second["credit.balance.confirmation"].browse(request_id)
            self.assertRecordValues(request, [{"state": "confirmed", "amount_believed": 0.0}])
        finally:
            for env in (first, second):
                env.cr.rollback()
                env.cr.close()
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["credit.balance.confirmation"].browse(request_id).unlink()
                env["res.partner"].browse(partner_id).unlink()
