"""Credit hold check on confirmation (issue 3): what ``sale.order.action_confirm`` costs for
a customer with many open invoices, and how fast a held customer's order is refused.

Each function is run by scripts/bench_runner.py inside a savepoint that is rolled back.
"""

import contextlib

from odoo import Command
from odoo.exceptions import UserError
from odoo.tools import SQL


def _busiest_customer(env):
    """The commercial partner with the most open receivable lines: the worst case."""
    rows = env.execute_query(
        SQL(
            """SELECT l.partner_id FROM account_move_line l
                 JOIN account_account a ON a.id = l.account_id
                WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
                  AND l.parent_state = 'posted'
                GROUP BY l.partner_id ORDER BY COUNT(*) DESC LIMIT 1"""
        )
    )
    return env["res.partner"].browse(rows[0][0])


def _new_order(env, partner):
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1)
    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 3, "price_unit": 800})
            ],
        }
    )


def bench_confirm_order_of_busy_customer(env, timer):
    """Confirmation passes the credit checks (customer not on hold)."""
    order = _new_order(env, _busiest_customer(env))
    with timer:
        order.action_confirm()
    assert order.state == "sale"


def bench_refuse_order_of_held_customer(env, timer):
    """Confirmation is refused with the hold's reason (customer on hold)."""
    customer = _busiest_customer(env)
    customer.write({"credit_hold": True, "credit_hold_reason": "Benchmark hold"})
    order = _new_order(env, customer)
    with timer, contextlib.suppress(UserError):
        order.action_confirm()
    assert order.state == "draft"
