"""Payment forecast (issue 17): the nightly forecast of a company (reading every settled
invoice, training, scoring every open invoice, storing what changed and the ledger's
figures), and one customer's open invoices forecast again when its payment is matched.

``prepare`` runs the nightly forecast once (committed): the open invoices have their
expected dates and the company the ledger's figures the per-customer scoring reads.
"""

from odoo import fields
from odoo.tools import SQL


def prepare(env):
    if not env.company.sudo().payment_forecast_ledger:
        env["account.move"]._forecast_payments(env.company, commit=False)
        env.cr.commit()


def _busiest_customer(env):
    """The customer with the most open invoices (and so a long history): the worst case."""
    rows = env.execute_query(
        SQL(
            """SELECT commercial_partner_id FROM account_move
                WHERE move_type = 'out_invoice' AND state = 'posted'
                  AND payment_state IN ('not_paid', 'partial') AND company_id = %s
             GROUP BY commercial_partner_id ORDER BY COUNT(*) DESC LIMIT 1""",
            env.company.id,
        )
    )
    return env["res.partner"].browse(rows[0][0])


def bench_nightly_forecast_company(env, timer):
    """Every open invoice of the main company forecast from every settled one, forecasts
    already stored (a second run of the night: the usual case, nothing changed)."""
    with timer:
        count = env["account.move"]._forecast_payments(env.company, commit=False)
    assert count


def bench_nightly_forecast_company_from_scratch(env, timer):
    """The same with no forecast stored yet: every open invoice written."""
    env.execute_query(
        SQL(
            "UPDATE account_move SET payment_forecast_date = NULL WHERE company_id = %s",
            env.company.id,
        )
    )
    env["account.move"].invalidate_model(["payment_forecast_date"])
    with timer:
        env["account.move"]._forecast_payments(env.company, commit=False)


def bench_rescore_busiest_customer_on_payment(env, timer):
    """One invoice of the customer with the most open invoices paid: its other open
    invoices forecast again, the paid one cleared (the hook after matching, alone)."""
    customer = _busiest_customer(env)
    invoice = env["account.move"].search(
        [
            ("commercial_partner_id", "=", customer.id),
            ("move_type", "=", "out_invoice"),
            ("payment_state", "=", "not_paid"),
            ("state", "=", "posted"),
        ],
        limit=1,
    )
    payment = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"payment_date": fields.Date.context_today(env["res.users"])})
        ._create_payments()
    )
    lines = (invoice.line_ids | payment.move_id.line_ids).filtered("reconciled")
    env.flush_all()
    with timer:
        lines._credit_after_matching()
    assert not invoice.payment_forecast_date
