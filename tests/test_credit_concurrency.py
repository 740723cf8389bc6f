from contextlib import contextmanager

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools.misc import mute_logger


@tagged("post_install", "-at_install")
class TestCreditConcurrency(BaseCase):
    """Two salespeople confirm two orders of the same customer at the same time.

    Each order fits the limit alone, together they exceed it. The data is committed
    for real (the transactions must see it and compete), and removed afterwards.
    """

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
            customer = env["res.partner"].create({"name": "Race Condition Ltd", "is_company": True})
            customer.with_company(company).credit_limit = 1000.0
            product = env["product.product"].create({"name": "Race item", "taxes_id": []})
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "order_line": [(0, 0, {"product_id": product.id, "price_unit": 600.0})],
                    }
                    for _i in range(2)
                ]
            )
            self.order_ids = orders.ids
            self.customer_id, self.product_id = customer.id, product.id
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self._env() as env:
            orders = env["sale.order"].browse(self.order_ids)
            orders.filtered(lambda o: o.state == "sale")._action_cancel()
            orders.unlink()
            env["product.product"].browse(self.product_id).product_tmpl_id.unlink()
            env["res.partner"].browse(self.customer_id).unlink()

    def test_only_one_of_two_concurrent_confirmations_passes(self):
        cr1, cr2 = self.registry.cursor(), self.registry.cursor()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            first = env1["sale.order"].browse(self.order_ids[0])
            second = env2["sale.order"].browse(self.order_ids[1])
            # both transactions take their snapshot before either confirms
            self.assertEqual(first.state, "draft")
            self.assertEqual(second.state, "draft")

            first.action_confirm()
            cr1.commit()

            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.SerializationFailure),
            ):
                second.action_confirm()
            cr2.rollback()

            # what Odoo's retry does: the new transaction sees the first order
            env2.invalidate_all()
            with self.assertRaises(UserError):
                second.action_confirm()
            cr2.rollback()
        finally:
            cr1.close()
            cr2.close()
        with self._env() as env:
            states = env["sale.order"].browse(self.order_ids).mapped("state")
        self.assertEqual(states, ["sale", "draft"])
