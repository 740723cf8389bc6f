from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.credit_collection.models.collection_dunning import CollectionCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .collection_common import CollectionCommon
from .common import post_customer_invoice
from .pdf_common import pdf_pages, pdf_text


@tagged("post_install", "-at_install")
class TestCollectionDunning(CollectionCommon):
    def test_level_reached_at_each_boundary_day(self):
        invoice = self._invoice(self.acme)
        expected = [
            (-4, False),
            (-3, -3),
            (0, -3),
            (1, 1),
            (14, 1),
            (15, 15),
            (29, 15),
            (30, 30),
            (59, 30),
            (60, 60),
            (89, 60),
            (90, 90),
        ]
        for offset, level_days in expected:
            self._run(self._days(offset))
            invoice.invalidate_recordset(["collection_level_id"])
            self.assertEqual(
                invoice.collection_level_id,
                self.levels[level_days]
                if level_days is not False
                else self.env["collection.policy.level"],
                f"day {offset}",
            )
        notices = self.env["collection.notice"].search([("move_id", "=", invoice.id)])
        self.assertEqual(sorted(notices.level_id.mapped("days")), [-3, 1, 15, 30, 60, 90])
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        case = self._case(self.acme)
        self.assertEqual(case.state, "legal")
        self.assertEqual(case.user_id, self.collector)
        self.assertTrue(self.acme.credit_hold, "the visit level puts the customer on hold")
        activity_types = case.activity_ids.activity_type_id
        self.assertIn(self.env.ref("mail.mail_activity_data_call"), activity_types)
        self.assertIn(
            self.env.ref("credit_collection.mail_activity_type_collection_visit"), activity_types
        )

    def test_first_run_sends_only_the_highest_level_reached(self):
        invoice = self._invoice(self.acme)
        self._run(self._days(35))
        notices = self.env["collection.notice"].search([("move_id", "=", invoice.id)])
        self.assertEqual(notices.level_id, self.levels[30])

    def test_one_grouped_email_per_customer_and_level(self):
        first = self._invoice(self.acme, amount=1000.0)
        second = self._invoice(self.acme, amount=2500.0)
        other = self._invoice(self.globex, amount=700.0)
        self._run(self._days(1))
        acme_mails = self._mails(self._case(self.acme))
        self.assertEqual(len(acme_mails), 1)
        self.assertIn(first.name, acme_mails.body_html)
        self.assertIn(second.name, acme_mails.body_html)
        self.assertNotIn(other.name, acme_mails.body_html)
        self.assertEqual(acme_mails.recipient_ids, self.acme)
        globex_mails = self._mails(self._case(self.globex))
        self.assertEqual(len(globex_mails), 1)
        self.assertIn(other.name, globex_mails.body_html)

    def test_running_twice_the_same_day_sends_once(self):
        self._invoice(self.acme)
        self._invoice(self.globex)
        self._run(self._days(1))
        self._run(self._days(1))
        for partner in (self.acme, self.globex):
            self.assertEqual(len(self._mails(self._case(partner))), 1)
        self.assertEqual(
            self.env["collection.notice"].search_count(
                [("partner_id", "in", (self.acme + self.globex).ids)]
            ),
            2,
        )

    def test_crash_halfway_then_rerun_sends_exactly_once(self):
        customers = self.acme + self.globex + self.initech
        for customer in customers:
            self._invoice(customer)
        original = CollectionCase._send_notice_group
        calls = []

        def crash_on_second_customer(case, level, notices):
            calls.append(case.partner_id)
            original(case, level, notices)
            if len(calls) == 2:
                raise RuntimeError("worker killed")

        # not self.assertRaises: it would roll back the batch that was "committed"
        with patch.object(CollectionCase, "_send_notice_group", crash_on_second_customer):
            try:
                self._run(self._days(1), batch_size=1)
            except RuntimeError:
                pass
            else:
                self.fail("the simulated crash did not happen")
        sent = {partner: len(self._mails(self._case(partner))) for partner in customers}
        self.assertEqual(sorted(sent.values()), [0, 0, 1], "only the committed batch was sent")
        queued = self.env["collection.notice"].search([("state", "=", "queued")])
        self.assertEqual(len(queued), 2, "the notices of the crashed batches are kept")

        self._run(self._days(1), batch_size=1)
        for partner in customers:
            self.assertEqual(len(self._mails(self._case(partner))), 1, partner.name)
        self.assertFalse(self.env["collection.notice"].search([("state", "=", "queued")]))

    def test_minimum_amount_is_per_customer_total(self):
        self.levels[1].min_amount = 1500.0
        self._invoice(self.acme, amount=1000.0)
        self._invoice(self.acme, amount=1000.0)
        self._invoice(self.globex, amount=1000.0)
        self._run(self._days(1))
        self.assertEqual(len(self._mails(self._case(self.acme))), 1)
        self.assertFalse(self._case(self.globex))

    def test_a_customer_whose_credit_covers_its_invoices_is_not_dunned(self):
        """An unapplied credit note as large as the overdue invoice: the customer owes
        nothing net, so no notice, no case (before, it was dunned, then its case closed by
        the same run's refresh)."""
        self._invoice(self.acme)
        post_customer_invoice(self.env, self.acme, 1000.0, self._days(-10), move_type="out_refund")
        self._invoice(self.globex)
        self._run(self._days(20))
        notices = self.env["collection.notice"].search([])
        self.assertEqual(notices.partner_id, self.globex)
        self.assertFalse(self._case(self.acme))

    def test_customer_policy_overrides_company_default(self):
        quick = self.env["collection.policy"].create(
            {
                "name": "Quick",
                "level_ids": [(0, 0, {"name": "Call at once", "days": 1, "channel": "phone"})],
            }
        )
        self.acme.collection_policy_id = quick
        invoice = self._invoice(self.acme)
        self._run(self._days(20))
        self.assertEqual(invoice.collection_level_id, quick.level_ids)
        self.assertEqual(self.globex._get_collection_policy()[self.globex.id], self.policy)

    def test_follow_up_date_in_the_future_skips_the_invoice(self):
        invoice = self._invoice(self.acme)
        invoice.collection_follow_up_date = self._days(10)
        self._run(self._days(5))
        self.assertFalse(invoice.collection_level_id)
        self._run(self._days(10))
        invoice.invalidate_recordset(["collection_level_id"])
        self.assertEqual(invoice.collection_level_id, self.levels[1])

    def test_deciding_costs_the_same_queries_for_more_invoices(self):
        """The query count grows with customers at most, never with invoices."""
        self._invoice(self.acme, due=self._days(-40))
        self._record_and_count()  # warm the caches
        counts = [self._record_and_count()]
        for __ in range(10):
            self._invoice(self.acme, due=self._days(-40))
        counts.append(self._record_and_count())
        self.assertEqual(counts[0], counts[1])

    def test_sending_costs_the_same_queries_for_more_invoices(self):
        """One email per customer and level: the cost does not grow with its invoices."""
        self._invoice(self.initech)
        self._invoice(self.acme)
        for __ in range(6):
            self._invoice(self.globex)
        cases = self.env["collection.case"]
        with freeze_time(self._days(1)):
            cases._record_notices(self.company, self._days(1))
            counts = {}
            for partner in (self.initech, self.acme, self.globex):  # initech warms the caches
                notices = self.env["collection.notice"].search([("partner_id", "=", partner.id)])
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                cases._send_notice_batch(self.company, notices)
                self.env.flush_all()
                counts[partner] = self.env.cr.sql_log_count - before
        self.assertEqual(len(self._mails(self._case(self.globex))), 1)
        self.assertEqual(counts[self.globex], counts[self.acme])

    def _record_and_count(self):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self.env["collection.case"]._record_notices(self.company, self._days(1))
        return self.env.cr.sql_log_count - before

    def test_email_and_letter_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.acme.lang = "zh_CN"
        invoice = self._invoice(self.acme)
        self._invoice(self.globex)
        self._run(self._days(1))
        chinese_mail = self._mails(self._case(self.acme))
        self.assertIn("根据我方记录，以下发票已逾期", chinese_mail.body_html)
        self.assertIn(invoice.name, chinese_mail.body_html)
        self.assertIn("逾期发票", chinese_mail.subject)
        self.assertIn("are past due", self._mails(self._case(self.globex)).body_html)
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "credit_collection.action_report_dunning_letter", self._case(self.acme).ids
        )
        self.assertIn("催款函", html.decode())
        self.assertIn(invoice.name, html.decode())

    def test_run_prints_the_letters_as_one_pdf_per_collector(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["credit_collection"], ["zh_CN"])
        self.globex.lang = "zh_CN"
        other = mail_new_test_user(
            self.env,
            login="coll_other",
            name="Olga Other",
            company_id=self.company.id,
            groups="base.group_user,credit_collection.group_credit_collector",
        )
        self.initech.collection_user_id = other
        acme_invoice = self._invoice(self.acme)
        globex_invoice = self._invoice(self.globex)
        self._invoice(self.initech)
        self._invoice(self.acme, due=self._days(10))  # still at the reminder level on day 15
        self._run(self._days(14), force_report_rendering=True)
        self.assertFalse(self.env["collection.letter.batch"].search([]), "no letter level yet")

        self._run(self._days(15), force_report_rendering=True)
        batches = self.env["collection.letter.batch"].search([])
        self.assertRecordValues(
            batches.sorted("user_id"),
            [
                {"user_id": self.collector.id, "letter_count": 2, "state": "to_send"},
                {"user_id": other.id, "letter_count": 1, "state": "to_send"},
            ],
        )
        mine = batches.filtered(lambda b: b.user_id == self.collector)
        self.assertEqual(mine.case_ids.partner_id, self.acme + self.globex)
        self.assertEqual(mine.attachment_id.mimetype, "application/pdf")
        self.assertEqual(pdf_pages(mine.attachment_id.raw), 2, "one letter per customer")
        english, chinese = pdf_text(mine.attachment_id.raw).split("\f")[:2]  # by name
        self.assertIn("Dunning Letter", english)
        self.assertIn(acme_invoice.name, english)
        self.assertIn("催款函", chinese, "Globex's letter is in Globex's language")
        self.assertIn(globex_invoice.name, chinese)
        self.assertIn(mine.attachment_id, mine.message_ids.attachment_ids)
        self.assertEqual(mine.activity_ids.user_id, self.collector)

        self._run(self._days(15), force_report_rendering=True)
        self._run(self._days(16), force_report_rendering=True)
        self.assertEqual(
            self.env["collection.letter.batch"].search([]), batches, "no letter is printed twice"
        )
        mine.with_user(self.collector).action_mark_sent()
        self.assertEqual(mine.state, "sent")
        self.assertFalse(mine.activity_ids)

    def test_letter_lists_what_the_aging_shows(self):
        invoice = self._invoice(self.acme, amount=1000.0)
        self._pay(invoice, self._days(5), amount=300.0)
        self._run(self._days(15))
        case = self._case(self.acme)
        lines = case._get_letter_lines()
        self.assertEqual([(line["move"], line["amount"]) for line in lines], [(invoice, 700.0)])
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "credit_collection.action_report_dunning_letter", case.ids
        )
        self.assertIn("700.00", html.decode())

    def test_run_of_one_company_leaves_the_other_alone(self):
        other = self.setup_other_company()["company"]
        foreign = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.globex.id,
                    "invoice_date": self._days(-30),
                    "invoice_date_due": self.DUE,
                    "invoice_line_ids": [
                        (0, 0, {"name": "Goods", "quantity": 1, "price_unit": 500.0})
                    ],
                }
            )
        )
        foreign.action_post()
        self._invoice(self.acme)
        self._run(self._days(1))
        self.assertTrue(self._case(self.acme))
        self.assertFalse(
            self.env["collection.notice"].search([("move_id", "=", foreign.id)]),
            "the other company's invoices wait for its own run",
        )
