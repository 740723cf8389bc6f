from contextlib import contextmanager
from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools.misc import mute_logger


@tagged("post_install", "-at_install")
class TestCreditAlertConcurrency(BaseCase):
    """The daily run and an event open the same alert at the same time: one of them waits
    and fails with a serialization error (which Odoo retries), never a second open alert or
    a unique-index error. The data is committed for real, and removed afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    @contextmanager
    def _env(self):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        with self._env() as env:
            company = env.ref("base.main_company")
            customer = env["res.partner"].create({"name": "Alert Race Ltd", "is_company": True})
            env["credit.limit.increase"].create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "amount": 500.0,
                    "date_end": fields.Date.context_today(customer) + timedelta(days=5),
                }
            )
            self.customer_id, self.company_id = customer.id, company.id
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self._env() as env:
            customer = env["res.partner"].browse(self.customer_id)
            env["credit.alert"].search([("partner_id", "=", customer.id)]).unlink()
            env["credit.limit.increase"].with_context(active_test=False).search(
                [("partner_id", "=", customer.id)]
            ).unlink()
            customer.unlink()

    def _run_expiry(self, env):
        rule = env.ref("credit_collection.credit_alert_rule_expiry")
        customer = env["res.partner"].browse(self.customer_id)
        company = env["res.company"].browse(self.company_id)
        return rule._run(company, fields.Date.context_today(rule), customer)

    def test_two_transactions_open_one_alert(self):
        cr1, cr2 = self.registry.cursor(), self.registry.cursor()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # both transactions take their snapshot before either opens the alert
            domain = [("partner_id", "=", self.customer_id)]
            self.assertEqual(env1["credit.alert"].search_count(domain), 0)
            self.assertEqual(env2["credit.alert"].search_count(domain), 0)

            opened, _closed = self._run_expiry(env1)
            self.assertEqual(len(opened), 1)
            cr1.commit()

            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.SerializationFailure),
            ):
                self._run_expiry(env2)
            cr2.rollback()

            # the retry sees the alert: nothing more to open
            opened, _closed = self._run_expiry(env2)
            self.assertFalse(opened)
            self.assertEqual(env2["credit.alert"].search_count(domain), 1)
            cr2.rollback()
        finally:
            cr1.close()
            cr2.close()
