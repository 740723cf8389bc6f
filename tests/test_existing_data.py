"""The addon arrives in a database that already runs a business.

scripts/test.sh builds the test database from a company's books (scripts/legacy_world.py, run
before the addon is installed): two companies in USD and CNY, customers with their own
credit limits and payment terms in each, invoices (one customer in EUR) partly and fully
paid, confirmed and draft orders. What the users entered was stored as a snapshot; neither
installing the addon nor its daily jobs may change it.
"""

import json
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

SNAPSHOT_KEY = "credit_collection.test.legacy_snapshot"


def _is_worker(cron):
    """The batch workers last: they run what the daily jobs planned."""
    return cron.code == "model._cron_run_batches()"


@tagged("post_install", "-at_install")
class TestExistingData(TransactionCase):
    maxDiff = None  # the failure shows which customer, company and value changed

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        raw = cls.env["ir.config_parameter"].sudo().get_param(SNAPSHOT_KEY)
        if not raw:
            raise AssertionError(
                f"no {SNAPSHOT_KEY}: run the tests through scripts/test.sh, whose database "
                "holds the business of scripts/legacy_world.py"
            )
        cls.snapshot = json.loads(raw)

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _current(self):
        """The snapshot's records as they are now, in the snapshot's shape."""
        data = {"partners": {}, "orders": {}, "invoices": {}}
        for partner_id, per_company in self.snapshot["partners"].items():
            partner = self.env["res.partner"].browse(int(partner_id))
            data["partners"][partner_id] = {}
            for company_id in per_company:
                in_company = partner.with_company(int(company_id))
                data["partners"][partner_id][company_id] = {
                    "credit_limit": in_company.credit_limit,
                    "payment_term": in_company.property_payment_term_id.id or False,
                }
        for order_id in self.snapshot["orders"]:
            order = self.env["sale.order"].browse(int(order_id))
            data["orders"][order_id] = {"state": order.state, "amount_total": order.amount_total}
        for move_id in self.snapshot["invoices"]:
            move = self.env["account.move"].browse(int(move_id))
            data["invoices"][move_id] = {
                "state": move.state,
                "amount_residual": move.amount_residual,
                "currency": move.currency_id.name,
            }
        return data

    def _assert_unchanged(self, when):
        current = self._current()
        for section in ("partners", "orders", "invoices"):
            with self.subTest(section=section):
                self.assertTrue(self.snapshot[section], f"the snapshot holds {section}")
                self.assertEqual(
                    current[section],
                    self.snapshot[section],
                    f"{section} entered before the addon changed {when}",
                )

    def _run_crons(self):
        """Every daily job of the addon, as the cron runs it (its user, its code), in this
        transaction: the commits of its batches only flush."""
        cron_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "credit_collection"), ("model", "=", "ir.cron")])
            .mapped("res_id")
        )
        crons = self.env["ir.cron"].browse(cron_ids)
        self.assertGreaterEqual(len(crons), 4, "the addon's crons are found")
        with patch.object(self.env.cr, "commit", self.env.cr.flush):
            # the batch workers run the batches the daily jobs planned (the scheduler
            # runs them once the planners woke them)
            for cron in crons.sorted(_is_worker):
                cron.ir_actions_server_id.with_user(cron.user_id).run()
            self.env.cr.precommit.run()
        self.env.invalidate_all()

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_installing_the_addon_changes_nothing_users_entered(self):
        self._assert_unchanged("by installing the addon")

    def test_the_daily_jobs_change_nothing_users_entered(self):
        self._run_crons()
        self._assert_unchanged("by the addon's daily jobs")
