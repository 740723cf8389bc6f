"""The payment forecast's backtest from a screen: the same figures as the model's own
backtest on the company's paid invoices, for credit managers only, refusing cut-offs that
leave nothing to learn or to test."""

import json
from datetime import timedelta

from freezegun import freeze_time

from odoo.addons.credit_collection.tools import payment_prediction as pp
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .collection_common import CollectionCommon
from .common import new_role_user, post_customer_invoice, register_payment


@tagged("post_install", "-at_install")
class TestForecastBacktest(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.START = cls.DUE - timedelta(days=400)
        cls.SPLIT = cls.START + timedelta(days=240)
        cls.eur = cls.setup_other_currency("EUR")  # 2 euros a unit of the company currency
        cls.paid = []  # (move, settled date, disputed)
        for month in range(12):
            day = cls.START + timedelta(days=30 * month)
            for partner, days, amount in (
                (cls.acme, 20 + (month % 3) * 5, 1000.0 + month),
                (cls.globex, 35 + (month % 4) * 3, 400.0),
            ):
                cls._paid_invoice(partner, day, days, amount)
        # an invoice billed in euros: its amount counts in the company's currency
        cls._paid_invoice(cls.acme, cls.SPLIT + timedelta(days=5), 31, 300.0, cls.eur)
        # disputed in the dunning, then paid late
        disputed = cls._invoice(cls.initech, due=cls.DUE - timedelta(days=60), amount=800.0)
        with freeze_time(cls.DUE - timedelta(days=50)):
            case = cls.env["collection.case"].with_company(cls.company)
            case._run_dunning(commit=False)
            case = case.search([("partner_id", "=", cls.initech.id)])
            cls.env["collection.dispute"].create(
                {"case_id": case.id, "move_id": disputed.id, "amount": 800.0}
            )
        register_payment(cls.env, disputed, cls.DUE - timedelta(days=20))
        cls.paid.append((disputed, cls.DUE - timedelta(days=20), True))
        # neither an open invoice nor another company's paid one is part of it
        post_customer_invoice(cls.env, cls.acme, 999.0, cls.DUE - timedelta(days=5))
        cls.other = cls.setup_other_company(name="Backtest Other Co")["company"]
        theirs = post_customer_invoice(
            cls.env, cls.acme, 50.0, cls.SPLIT + timedelta(days=3), company=cls.other
        )
        register_payment(cls.env, theirs, cls.SPLIT + timedelta(days=4))
        cls.salesperson = new_role_user(cls.env, "salesperson", "bt_salesperson", cls.company)

    @classmethod
    def _paid_invoice(cls, partner, day, days, amount, currency=None):
        move = post_customer_invoice(
            cls.env, partner, amount, day, due=day + timedelta(days=30), currency=currency
        )
        register_payment(cls.env, move, day + timedelta(days=days))
        cls.paid.append((move, day + timedelta(days=days), False))

    def _wizard(self, user=None, **values):
        return (
            self.env["credit.forecast.backtest.wizard"]
            .with_user(user or self.manager)
            .create({"date_split": self.SPLIT, **values})
        )

    def test_the_screen_gives_the_model_s_figures_on_the_company_s_paid_invoices(self):
        expected = pp.backtest(
            [
                pp.Invoice(
                    key=move.id,
                    customer=move.commercial_partner_id.id,
                    invoice_date=move.invoice_date,
                    due_date=move.invoice_date_due,
                    amount=move.amount_total_signed,
                    disputed=disputed,
                    settled=settled,
                )
                for move, settled, disputed in self.paid
            ],
            self.SPLIT,
        )
        wizard = self._wizard()
        wizard.action_run()
        # 2 customers x 4 months, the euro invoice and the disputed one
        self.assertEqual(expected["n"], 10)
        self.assertEqual({key: wizard[key] for key in expected}, expected)
        self.assertEqual(json.loads(wizard.result_json), expected)
        self.assertEqual(wizard.trained_count, 15)
        self.assertAlmostEqual(self.paid[24][0].amount_total_signed, 150.0)

    def test_only_a_credit_manager_runs_it(self):
        menu = self.env.ref("credit_collection.menu_credit_forecast_backtest")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.manager)._visible_menu_ids())
        for user in (self.collector, self.salesperson):
            with self.subTest(user=user.login):
                self.assertNotIn(menu.id, Menu.with_user(user)._visible_menu_ids())
                with self.assertRaises(AccessError):
                    self._wizard(user)
        wizard = self._wizard()
        with self.assertRaises(AccessError):
            wizard.with_user(self.collector).action_run()

    def test_the_figures_are_computed_never_entered(self):
        with self.assertRaises(AccessError):
            self._wizard(mae_days=1.0)
        wizard = self._wizard()
        for values in ({"n": 5}, {"result_json": "{}"}, {"late_accuracy": 1.0}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                wizard.write(values)

    def test_a_cut_off_with_nothing_to_learn_or_nothing_to_test_is_refused(self):
        for split, hint in (
            (self.START + timedelta(days=10), "nothing to learn from"),
            (self.DUE, "nothing to test"),
        ):
            with self.subTest(split=split), self.assertRaisesRegex(UserError, hint):
                self._wizard(date_split=split).action_run()
        # a company without paid invoices (the manager works for it)
        empty = self.setup_other_company(name="Backtest Empty Co")["company"]
        self.manager.company_ids |= empty
        with self.assertRaisesRegex(UserError, "no paid customer invoice"):
            self._wizard(company_id=empty.id).action_run()

    def test_a_company_the_manager_does_not_work_for_is_refused(self):
        # the company rule refuses the wizard itself, before it runs
        with self.assertRaisesRegex(AccessError, "multi-company"):
            self._wizard(company_id=self.other.id).action_run()
