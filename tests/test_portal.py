from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.http import Request
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import post_customer_invoice
from .portal_common import PortalWorldCommon


@tagged("post_install", "-at_install")
class TestPortalIsolation(PortalWorldCommon, HttpCase):
    """Two portal users of two customers: each sees and touches its own account only."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_each_customer_sees_only_its_statement(self):
        self.authenticate("portal_a", "portal_a")
        page = self._get("/my/statement")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.inv_a.name, page.text)
        self.assertIn(self.inv_a_not_due.name, page.text)
        self.assertNotIn(self.inv_b.name, page.text)
        self.assertNotIn("Globex", page.text)
        self.authenticate("portal_b", "portal_b")
        page = self._get("/my/statement")
        self.assertIn(self.inv_b.name, page.text)
        self.assertNotIn(self.inv_a.name, page.text)
        # the second company's statement, which only Globex has an account with
        page = self._get(f"/my/statement?company_id={self.company_2.id}")
        self.assertIn(self.inv_b_2.name, page.text)
        self.assertNotIn(self.inv_b.name, page.text)

    def test_a_rejected_dispute_says_why_on_the_statement(self):
        dispute = (
            self._portal(self.portal_b)._portal_submit_dispute(self.inv_b.id, "price", 100.0).sudo()
        )
        dispute.rejection_reason = "The goods were delivered as ordered."
        dispute.action_reject()
        self.authenticate("portal_b", "portal_b")
        self.assertIn("The goods were delivered as ordered.", self._get("/my/statement").text)
        self.authenticate("portal_a", "portal_a")
        self.assertNotIn("delivered as ordered", self._get("/my/statement").text)

    def test_activity_statement_runs_a_balance(self):
        self.authenticate("portal_a", "portal_a")
        start = self._in_days(-90)
        page = self._get(f"/my/statement?date_from={start}&date_to={self.today}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Opening Balance", page.text)
        self.assertIn("Closing Balance", page.text)
        self.assertIn(self.inv_a.name, page.text)
        page = self._get(f"/my/statement?date_from={self.today}&date_to={start}")
        self.assertIn("after its end", page.text, "a reversed period is explained, not a crash")

    def test_forged_ids_and_other_customers_tokens_are_refused(self):
        token_b = self.inv_b._portal_ensure_token()
        self.authenticate("portal_a", "portal_a")
        for url in (
            f"/my/statement/promise/{self.inv_b.id}",
            f"/my/statement/promise/{self.inv_b.id}?access_token={token_b}",
            f"/my/statement/dispute/{self.inv_b.id}?access_token={token_b}",
            "/my/statement/promise/999999999",
            f"/my/statement?company_id={self.company_2.id}",
            f"/my/statement/download/pdf?company_id={self.company_2.id}",
        ):
            with self.subTest(url=url):
                self.assertIn(self._get(url).status_code, (403, 404))
        # a forged POST, with a valid form token, records nothing
        response = self.url_open(
            f"/my/statement/promise/{self.inv_b.id}",
            data={
                "csrf_token": self._csrf(),
                "date_promised": str(self._in_days(5)),
                "amount": "100",
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (403, 404))
        self.assertFalse(self.env["collection.promise"].search([]))

    def test_portal_user_cannot_create_or_forge_records_directly(self):
        """As over JSON-RPC: no create, no write, no read of another customer's records."""
        dispute = self._portal(self.portal_b)._portal_submit_dispute(
            self.inv_b.id, "quality", 100.0, "Broken crates"
        )
        case = dispute.sudo().case_id
        with self.assertRaises(AccessError):
            self.env["collection.promise"].with_user(self.portal_a).create(
                {"case_id": case.id, "amount": 10.0, "date_promised": self._in_days(3)}
            )
        with self.assertRaises(AccessError):
            dispute.with_user(self.portal_b).write({"state": "rejected"})
        self.assertFalse(self.env["collection.dispute"].with_user(self.portal_a).search([]))
        self.assertEqual(
            self.env["collection.dispute"].with_user(self.portal_b).search([]), dispute
        )
        with self.assertRaises(AccessError):
            self._portal(self.portal_a)._portal_submit_promise(
                self.inv_b.id, self._in_days(5), 100.0
            )
        with self.assertRaises(AccessError):
            self._portal(self.portal_a)._portal_submit_dispute(self.inv_b.id, "price", 10.0)
        self.assertEqual(self.env["collection.dispute"].search_count([]), 1)
        self.assertFalse(self.env["collection.promise"].search([]))

    def test_statement_downloads(self):
        self.authenticate("portal_a", "portal_a")
        pdf = self._get("/my/statement/download/pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", pdf.headers["Content-Disposition"])
        xlsx = self._get("/my/statement/download/xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"), "an xlsx file is a zip")
        self.assertEqual(self._get("/my/statement/download/exe").status_code, 404)

    def test_next_instalment_of_a_payment_plan_is_paid_on_odoos_invoice_page(self):
        case = self.env["collection.case"]._get_or_open_cases(self.globex, self.company)[
            self.globex
        ]
        self.env["collection.payment.plan"].create(
            {
                "case_id": case.id,
                "move_ids": [Command.set(self.inv_b.ids)],
                "installment_ids": [
                    Command.create({"date": self._in_days(10), "amount": 200.0}),
                    Command.create({"date": self._in_days(40), "amount": 300.0}),
                ],
            }
        )
        installments = self._portal(self.portal_b)._portal_next_installments(self.company)
        self.assertEqual(len(installments), 1)
        self.assertEqual(installments[0]["date"], self._in_days(10))
        self.assertAlmostEqual(installments[0]["amount"], 200.0)
        self.assertFalse(self._portal(self.portal_a)._portal_next_installments(self.company))
        self.authenticate("portal_b", "portal_b")
        self.assertIn("o_credit_portal_pay_installment", self._get("/my/statement").text)
        # Odoo's invoice page takes the signed amount; a tampered one goes back to /my
        page = self._get(installments[0]["url"])
        self.assertEqual(page.status_code, 200)
        tampered = installments[0]["url"].replace("amount=200.0", "amount=1.0")
        self.assertEqual(self._get(tampered).status_code, 303)

    def test_credit_information_only_when_the_company_shows_it(self):
        self.acme.with_company(self.company).credit_limit = 5000.0
        self.authenticate("portal_a", "portal_a")
        self.assertNotIn("o_credit_portal_info", self._get("/my/home").text)
        self.company.portal_show_credit_info = True
        home = self._get("/my/home").text
        self.assertIn("o_credit_portal_info", home)
        self.assertIn("Available Credit", home)
        info = self._portal(self.portal_a)._portal_credit_info(self.company)
        # 1,000 EUR at 0.5 a dollar = 2,000 USD overdue; 300 USD not due
        self.assertAlmostEqual(info["limit"], 5000.0)
        self.assertAlmostEqual(info["overdue"], 2000.0)
        self.assertAlmostEqual(info["available"], 5000.0 - 2300.0)

    def _csrf(self):
        return Request.csrf_token(self)


@tagged("post_install", "-at_install")
class TestPortalSubmissions(PortalWorldCommon):
    """Promises and disputes from the portal: the company's rules, checked server-side."""

    def test_promise_lands_in_the_case_like_a_collectors(self):
        promise = self._portal(self.portal_a)._portal_submit_promise(
            self.inv_a.id, self._in_days(10), 400.0
        )
        promise = promise.sudo()
        case = promise.case_id
        self.assertRecordValues(
            promise,
            [
                {
                    "partner_id": self.acme.id,
                    "state": "open",
                    "date_promised": self._in_days(10),
                    # 400 EUR of an invoice whose 1,000 EUR are 2,000 USD
                    "amount": 800.0,
                    "move_ids": self.inv_a.ids,
                    "create_uid": self.portal_a.id,
                }
            ],
        )
        self.assertEqual(case.state, "promised")
        log = self.env["collection.log"].search([("case_id", "=", case.id)])
        self.assertRecordValues(log, [{"result": "promise", "contact_name": "Li Wei"}])
        # nobody configured: the work goes where the dunning run's goes, never to OdooBot
        self.assertNotIn(self.env.ref("base.user_root"), case.activity_ids.user_id)
        said = case.activity_ids.mapped("summary") + case.message_ids.mapped("body")
        self.assertTrue(any("promised on the portal" in (text or "") for text in said))

    def test_promise_on_the_statement_covers_every_overdue_invoice(self):
        second = post_customer_invoice(
            self.env, self.globex, 250.0, self._in_days(-60), due=self._in_days(-5)
        )
        portal = self._portal(self.portal_b)
        with self.assertRaisesRegex(UserError, "more than what is open"):
            portal._portal_submit_statement_promise(self.company.id, self._in_days(7), 750.01)
        with self.assertRaises(AccessError):
            self._portal(self.portal_a)._portal_submit_statement_promise(
                self.company_2.id, self._in_days(7), 10.0
            )
        promise = portal._portal_submit_statement_promise(
            self.company.id, self._in_days(7), 750.0
        ).sudo()
        self.assertRecordValues(
            promise, [{"amount": 750.0, "partner_id": self.globex.id, "state": "open"}]
        )
        self.assertEqual(promise.move_ids, self.inv_b + second, "not the second company's")
        self.assertEqual(promise.case_id.state, "promised")

    def test_statement_reads_the_same_queries_whatever_the_number_of_invoices(self):
        portal = self._portal(self.portal_a)

        def read_statement():
            self.env.flush_all()  # what posting the invoices left to write is not the read's
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = portal._portal_statement_data(portal._portal_statement(self.company, self.today))
            links = [(line["move"].id, line["move"].move_type) for line in data["lines"]]
            return self.env.cr.sql_log_count - before, len(links)

        read_statement()  # warms Odoo's caches (the bucket limits, the user's companies)
        few, lines = read_statement()
        for days in range(1, 6):
            post_customer_invoice(
                self.env, self.acme, 100.0 * days, self._in_days(-40), due=self._in_days(-days)
            )
        many, more_lines = read_statement()
        self.assertEqual(more_lines, lines + 5)
        self.assertEqual(many, few, "no query per invoice")

    def test_bad_promises_are_refused_and_nothing_recorded(self):
        self.company.portal_promise_min_percent = 50.0
        portal = self._portal(self.portal_a)
        cases = [
            (self.inv_a.id, self._in_days(-1), 100.0, "from today on"),
            (self.inv_a.id, self._in_days(91), 100.0, "at most 90 days ahead"),
            (self.inv_a.id, self._in_days(5), 1000.01, "more than what is open"),
            (self.inv_a.id, self._in_days(5), 499.0, "at least 50"),
            (self.inv_a.id, self._in_days(5), 0.0, "greater than zero"),
            (self.inv_a_not_due.id, self._in_days(5), 100.0, "not overdue"),
            (self.inv_a.id, "not a date", 100.0, "from today on"),
        ]
        for invoice_id, date, amount, message in cases:
            with (
                self.subTest(date=date, amount=amount),
                self.assertRaisesRegex(UserError, message),
            ):
                portal._portal_submit_promise(invoice_id, date, amount)
        self.assertFalse(self.env["collection.promise"].search([]))
        self.assertFalse(self.env["collection.case"].search([("partner_id", "=", self.acme.id)]))

    def test_dispute_above_the_open_amount_is_refused(self):
        portal = self._portal(self.portal_b)
        with self.assertRaisesRegex(UserError, "more than what is open"):
            portal._portal_submit_dispute(self.inv_b.id, "quality", 500.01)
        with self.assertRaisesRegex(UserError, "reason"):
            portal._portal_submit_dispute(self.inv_b.id, "forged", 10.0)
        self.assertFalse(self.env["collection.dispute"].search([]))

    def test_refusals_speak_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.portal_b.lang = "zh_CN"
        with self.assertRaisesRegex(UserError, "未结金额"):
            self._portal(self.portal_b).with_context(lang="zh_CN")._portal_submit_dispute(
                self.inv_b.id, "quality", 9999.0
            )

    def test_dispute_with_attachment_stops_the_dunning_of_the_invoice(self):
        dispute = self._portal(self.portal_b)._portal_submit_dispute(
            self.inv_b.id, "delivery", 500.0, "Never arrived", ("pod.txt", b"proof")
        )
        dispute = dispute.sudo()
        self.assertRecordValues(
            dispute,
            [{"state": "open", "amount": 500.0, "reason": "delivery", "move_id": self.inv_b.id}],
        )
        self.assertEqual(dispute.case_id.state, "dispute")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "collection.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachment.raw, b"proof")
        self.assertFalse(self._dunnable(self.inv_b), "a disputed invoice leaves the dunning")
        self.assertTrue(self._dunnable(self.inv_a))

    def test_submissions_per_hour_are_limited(self):
        self.company.portal_submissions_per_hour = 2
        portal = self._portal(self.portal_b)
        portal._portal_submit_dispute(self.inv_b.id, "price", 10.0)
        portal._portal_submit_dispute(self.inv_b.id, "price", 20.0)
        with self.assertRaisesRegex(UserError, "last hour"):
            portal._portal_submit_dispute(self.inv_b.id, "price", 30.0)
        self.assertEqual(self.env["collection.dispute"].search_count([]), 2)

    def test_the_customer_sees_the_resolution(self):
        dispute = (
            self._portal(self.portal_b)._portal_submit_dispute(self.inv_b.id, "price", 100.0).sudo()
        )
        dispute.rejection_reason = "The goods were delivered as ordered."
        dispute.action_reject()
        promises, disputes = self._portal(self.portal_b)._portal_promises_disputes()
        self.assertRecordValues(
            disputes,
            [{"state": "rejected", "rejection_reason": "The goods were delivered as ordered."}],
        )
        self.assertFalse(promises)

    def _dunnable(self, invoice):
        case = self.env["collection.case"]
        rows = self.env.execute_query(
            SQL(
                "SELECT m.id FROM account_move m WHERE m.id = %s AND %s",
                invoice.id,
                case._dunnable_invoice_sql(self.today),
            )
        )
        return bool(rows)
