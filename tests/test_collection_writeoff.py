from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestCollectionWriteoff(AccountTestInvoicingCommon):
    """A company in dollars writes off bad debts of customers it invoices in dollars and in
    euros. The credit manager holds no accounting right, the collector only his group, and
    nothing is configured: no collector, no manager, no write-off account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.today = fields.Date.today()
        cls.eur = cls.setup_other_currency(
            "EUR",
            rates=[
                (cls.today - timedelta(days=400), 0.9),  # invoiced at 1 EUR = 1.1111 USD
                (cls.today - timedelta(days=5), 0.8),  # written off at 1 EUR = 1.25 USD
            ],
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="wo_manager",
            name="Mona Manager",
            company_id=cls.company.id,
            # read-only accounting comes with the collector group (branch roles-world)
            groups="base.group_user,account.group_account_readonly,"
            "credit_collection.group_credit_manager",
        )
        cls.collector = mail_new_test_user(
            cls.env,
            login="wo_collector",
            name="Colin Collector",
            company_id=cls.company.id,
            groups="base.group_user,account.group_account_readonly,"
            "credit_collection.group_credit_collector",
        )
        cls.bad_debts = cls.env["account.account"].create(
            {
                "name": "Bad Debts",
                "code": "686100",
                "account_type": "expense",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.acme = cls.env["res.partner"].create({"name": "Acme Trading Co.", "is_company": True})

    def _invoice(self, partner, days_overdue, amount, currency=None):
        due = self.today - timedelta(days=days_overdue)
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "currency_id": (currency or self.company.currency_id).id,
                "invoice_date": min(due, self.today) - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _case(self, partner):
        # opened by the dunning run, as superuser
        case = (
            self.env["collection.case"]
            .sudo()
            .create({"partner_id": partner.id, "company_id": self.company.id})
        )
        case._refresh_amounts()
        return case.with_user(self.manager)

    def _wizard(self, case, user=None, **values):
        return (
            self.env["collection.writeoff.wizard"]
            .with_user(user or self.manager)
            .create(
                {"case_id": case.id, "reason": "bankruptcy", "account_id": self.bad_debts.id}
                | values
            )
        )

    def test_default_selection_is_the_overdue_invoices_and_shows_their_amount(self):
        old = self._invoice(self.acme, 90, 800.0)
        recent = self._invoice(self.acme, 10, 450.0)
        not_due = self._invoice(self.acme, -20, 300.0)
        case = self._case(self.acme)
        wizard = self._wizard(case)
        self.assertEqual(wizard.invoice_ids, old + recent, "never the invoice not yet due")
        self.assertEqual(wizard.available_invoice_ids, old + recent + not_due)
        self.assertRecordValues(wizard, [{"amount_open": 1250.0, "amount": 1250.0}])
        wizard.action_confirm()
        self.assertEqual((old + recent).mapped("payment_state"), ["paid", "paid"])
        self.assertEqual(not_due.payment_state, "not_paid")
        # the invoice not yet due is still owed: the case stays open with what is left
        self.assertRecordValues(case, [{"state": "open", "amount_due": 300.0}])
        self.assertRecordValues(
            case.writeoff_ids,
            [
                {
                    "amount": 1250.0,
                    "reason": "bankruptcy",
                    "user_id": self.manager.id,
                    "invoice_ids": (old + recent).ids,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertRecordValues(
            case.writeoff_ids.move_id.line_ids.filtered("debit"),
            [{"account_id": self.bad_debts.id, "debit": 1250.0}],
        )

    def test_the_amount_follows_the_choice_and_a_partial_amount_takes_the_oldest_first(self):
        old = self._invoice(self.acme, 90, 800.0)
        recent = self._invoice(self.acme, 10, 450.0)
        case = self._case(self.acme)
        wizard = self._wizard(case, invoice_ids=[Command.set(recent.ids)])
        self.assertRecordValues(wizard, [{"amount_open": 450.0, "amount": 450.0}])
        wizard.invoice_ids = old + recent
        self.assertEqual(wizard.amount_open, 1250.0)
        wizard.amount = 1000.0
        wizard.action_confirm()
        self.assertRecordValues(
            old + recent,
            [
                {"payment_state": "paid", "amount_residual": 0.0},
                {"payment_state": "partial", "amount_residual": 250.0},
            ],
        )
        self.assertRecordValues(case, [{"state": "open", "amount_due": 250.0}])
        self.assertEqual(case.writeoff_ids.amount, 1000.0)

    def test_the_dialog_shows_what_it_will_post(self):
        """The dialog showed 0.00 (the case's stale amount) and posted 2,000."""
        old = self._invoice(self.acme, 90, 800.0)
        recent = self._invoice(self.acme, 10, 450.0)
        case = self._case(self.acme)
        wizard_model = self.env["collection.writeoff.wizard"].with_context(default_case_id=case.id)
        with Form(wizard_model.with_user(self.manager)) as dialog:
            self.assertEqual(dialog.amount_open, 1250.0)
            self.assertEqual(dialog.amount, 1250.0)
            dialog.invoice_ids.remove(id=old.id)
            self.assertEqual(dialog.amount_open, 450.0)
            self.assertEqual(dialog.amount, 450.0)
            dialog.reason = "small_balance"
            dialog.account_id = self.bad_debts
        dialog.record.action_confirm()
        self.assertEqual(case.writeoff_ids.amount, 450.0)
        self.assertEqual((old + recent).mapped("payment_state"), ["not_paid", "paid"])

    def test_more_than_the_chosen_invoices_owe_is_refused_and_nothing_posted(self):
        invoice = self._invoice(self.acme, 90, 800.0)
        other = self._invoice(self.env["res.partner"].create({"name": "Globex"}), 90, 500.0)
        case = self._case(self.acme)
        moves_before = self.env["account.move"].search_count([])
        for values in (
            {"amount": 800.01},
            {"amount": 0.0},
            {"invoice_ids": [Command.set((invoice + other).ids)]},  # forged: not the case's
            {"invoice_ids": [Command.clear()]},
        ):
            wizard = self._wizard(case, **values)
            with self.assertRaises(UserError):
                wizard.action_confirm()
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertFalse(case.writeoff_ids)
        self.assertEqual((invoice + other).mapped("payment_state"), ["not_paid", "not_paid"])

    def test_foreign_invoice_written_off_in_its_currency_with_the_exchange_difference(self):
        """€1,234.56 invoiced at 1.1111 ($1,371.73) and written off at 1.25 ($1,543.20): the
        invoice ends paid and Odoo books the $171.47 difference."""
        invoice = self._invoice(self.acme, 90, 1234.56, currency=self.eur)
        self.assertEqual(invoice.amount_residual_signed, 1371.73)
        case = self._case(self.acme)
        wizard = self._wizard(case)
        self.assertRecordValues(wizard, [{"amount_open": 1543.2, "amount": 1543.2}])
        wizard.action_confirm()
        self.assertRecordValues(invoice, [{"payment_state": "paid", "amount_residual": 0.0}])
        receivable = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        exchange = receivable.full_reconcile_id.partial_reconcile_ids.exchange_move_id
        self.assertEqual(len(exchange), 1, "Odoo booked the exchange difference")
        self.assertAlmostEqual(sum(exchange.line_ids.mapped("debit")), 171.47)
        writeoff = case.writeoff_ids
        self.assertRecordValues(
            writeoff.move_id.line_ids.sorted("balance"),
            [
                {"currency_id": self.eur.id, "amount_currency": -1234.56, "balance": -1543.2},
                {
                    "currency_id": self.company.currency_id.id,
                    "amount_currency": 1543.2,
                    "balance": 1543.2,
                },
            ],
        )
        self.assertRecordValues(case, [{"state": "written_off", "amount_due": 0.0}])
        self.assertEqual(writeoff.amount, 1543.2)

    def test_writing_off_everything_closes_the_case_and_cancels_its_promises_and_plans(self):
        invoice = self._invoice(self.acme, 60, 2000.0)
        case = self._case(self.acme)
        # recorded by the collector on his case
        promise = (
            self.env["collection.promise"]
            .with_user(self.collector)
            .create(
                {
                    "case_id": case.id,
                    "amount": 500.0,
                    "date_promised": self.today + timedelta(days=7),
                    "move_ids": [Command.set(invoice.ids)],
                }
            )
        )
        plan = (
            self.env["collection.payment.plan"]
            .with_user(self.collector)
            .create(
                {
                    "case_id": case.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "installment_ids": [
                        Command.create({"date": self.today + timedelta(days=30), "amount": 1000.0}),
                        Command.create({"date": self.today + timedelta(days=60), "amount": 1000.0}),
                    ],
                }
            )
        )
        self._wizard(case, reason="uncollectible").action_confirm()
        self.assertRecordValues(
            case,
            [
                {
                    "state": "written_off",
                    "writeoff_reason": "uncollectible",
                    "date_closed": fields.Date.context_today(case),
                }
            ],
        )
        self.assertEqual(case.writeoff_move_id, case.writeoff_ids.move_id)
        self.assertEqual(promise.state, "cancel")
        self.assertEqual(plan.state, "cancel")

    def test_credit_manager_without_accounting_rights_posts_as_himself(self):
        self.assertFalse(self.manager.has_group("account.group_account_invoice"))
        invoice = self._invoice(self.acme, 60, 2000.0)
        case = self._case(self.acme)
        self._wizard(case, note="<b>gone</b> bankrupt").action_confirm()
        writeoff = case.writeoff_ids
        self.assertRecordValues(
            writeoff, [{"user_id": self.manager.id, "note": "<b>gone</b> bankrupt"}]
        )
        self.assertEqual(writeoff.move_id.create_uid, self.manager)
        self.assertEqual(writeoff.move_id.state, "posted")
        self.assertIn("&lt;b&gt;gone&lt;/b&gt;", writeoff.move_id.narration)
        self.assertEqual(invoice.payment_state, "paid")
        message = case.message_ids[0]
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertIn("Written off", message.body)
        # the bad-debt analysis opens for him
        self.assertEqual(
            self.env["collection.writeoff"].with_user(self.manager).search([]), writeoff
        )

    def test_collector_cannot_write_off(self):
        invoice = self._invoice(self.acme, 60, 2000.0)
        case = self._case(self.acme)
        with self.assertRaises(AccessError):
            self._wizard(case, user=self.collector)
        # the method checks the group itself, whatever the access rights let through
        wizard = self._wizard(case)
        with self.assertRaisesRegex(AccessError, "Only a credit manager can write off"):
            wizard.with_user(self.collector).action_confirm()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(case.writeoff_ids)

    def test_forged_writeoff_records_are_refused(self):
        invoice = self._invoice(self.acme, 60, 2000.0)
        case = self._case(self.acme)
        forged = {
            "case_id": case.id,
            "partner_id": self.acme.id,
            "company_id": self.company.id,
            "date": self.today,
            "reason": "other",
            "amount": 2000.0,
            "invoice_ids": [Command.set(invoice.ids)],
        }
        for user in (self.manager, self.collector):
            with self.assertRaises(AccessError):
                self.env["collection.writeoff"].with_user(user).create(forged)
        self._wizard(case).action_confirm()
        with self.assertRaises(AccessError):
            case.writeoff_ids.with_user(self.manager).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            case.writeoff_ids.with_user(self.manager).unlink()
        self.assertEqual(case.writeoff_ids.amount, 2000.0)

    def test_write_offs_of_another_company_are_not_visible(self):
        other = self.setup_other_company()["company"]
        case = (
            self.env["collection.case"]
            .sudo()
            .create({"partner_id": self.acme.id, "company_id": other.id})
        )
        foreign = (
            self.env["collection.writeoff"]
            .sudo()
            .create(
                {
                    "case_id": case.id,
                    "partner_id": self.acme.id,
                    "company_id": other.id,
                    "date": self.today,
                    "reason": "other",
                    "amount": 10.0,
                }
            )
        )
        writeoffs = self.env["collection.writeoff"].with_user(self.manager)
        self.assertFalse(writeoffs.search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.manager).read(["amount"])

    def test_bad_debt_analysis_by_reason_grade_salesperson_and_month(self):
        salesperson = mail_new_test_user(
            self.env, login="wo_sales", groups="base.group_user,sales_team.group_sale_salesman"
        )
        self.acme.user_id = salesperson
        self._invoice(self.acme, 60, 2000.0)
        self._wizard(self._case(self.acme)).action_confirm()
        writeoffs = self.env["collection.writeoff"].with_user(self.manager)
        action = self.env.ref("credit_collection.action_collection_writeoffs")
        views = writeoffs.get_views([(False, mode) for mode in action.view_mode.split(",")])
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "form"})
        self.assertRecordValues(writeoffs.search([]), [{"salesperson_id": salesperson.id}])
        groups = writeoffs._read_group(
            [], ["reason", "grade_id", "salesperson_id", "date:month"], ["amount:sum"]
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0][0], "bankruptcy")
        self.assertEqual(groups[0][-1], 2000.0)
        menu = self.env.ref("credit_collection.menu_collection_writeoffs")
        self.assertEqual(menu.group_ids, self.env.ref("credit_collection.group_credit_manager"))
