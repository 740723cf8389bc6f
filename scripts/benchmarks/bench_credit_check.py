"""Credit check at confirmation (issue 6): what the exposure, limit and overdue rules add to
``sale.order.action_confirm``, measured against the same confirmation with the check
switched off (company setting "No check") in the same run.

Two customers:

- a new customer (no invoice, no order) with a credit limit;
- a busy customer with 5,000 open posted invoices and 500 confirmed orders not invoiced,
  built once by ``prepare`` (invoices copied in bulk by the receivables generator from
  reference documents posted through the ORM, orders confirmed through the ORM).

"Check on" is the strictest set-up: mode block, a limit and the overdue rule, with limit
and tolerance high enough for the order to pass (a refused order would measure the
message, not the check). "Check off" is the company switched to "No check": then the
check runs no exposure query. Target: on minus off at most 3 ms median, for both.

Each function is run by scripts/bench_runner.py inside a savepoint that is rolled back.
Run as a script, the module also measures the added time pair by pair (see
``paired_differences``):

    .venv/bin/python scripts/benchmarks/bench_credit_check.py -d credit_collection_bench_medium_x
"""

import argparse
import importlib.util
import random
import statistics
from datetime import date, timedelta
from pathlib import Path

import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import SQL

BUSY_REF = "BENCH-CREDIT-BUSY"
OPEN_INVOICES = 5_000
OPEN_ORDERS = 500


# ------------------------------------------------------------
# FIXTURE (committed once into the benchmark database)
# ------------------------------------------------------------


def prepare(env):
    """The busy customer: 5,000 open invoices and 500 open orders. Idempotent."""
    env = env(su=True)
    customer = _busy_customer(env) or env["res.partner"].create(
        {"name": "Busy Credit Check Co., Ltd.", "is_company": True, "ref": BUSY_REF}
    )
    missing = OPEN_INVOICES - _open_invoice_count(env, customer)
    if missing > 0:
        _bulk_open_invoices(env, customer, missing)
    missing = OPEN_ORDERS - _open_order_count(env, customer)
    if missing > 0:
        _open_orders(env, customer, missing)
    print(
        f"[bench_credit_check] {customer.name}: {_open_invoice_count(env, customer):,} open "
        f"invoices, {_open_order_count(env, customer):,} open orders",
        flush=True,
    )


def _busy_customer(env):
    return env["res.partner"].search([("ref", "=", BUSY_REF)], limit=1)


def _open_invoice_count(env, customer):
    return env["account.move"].search_count(
        [
            ("partner_id", "=", customer.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
    )


def _open_order_count(env, customer):
    return env["sale.order"].search_count(
        [
            ("partner_id", "=", customer.id),
            ("state", "=", "sale"),
            ("invoice_status", "=", "to invoice"),
        ]
    )


def _bulk_open_invoices(env, customer, count):
    """Posted invoices that nobody pays, copied in bulk from ORM-posted references."""
    gen = _load_tool("receivables_generator")
    today = date.today()
    usd = env["res.currency"].with_context(active_test=False).search([("name", "=", "USD")])
    refs = gen._post_references(env, {"id": customer.id}, usd, today)
    generator = gen._Generator(env, refs, usd, random.Random(6), today)
    partner = {
        "id": customer.id,
        "name": customer.name,
        "habit": "on_time",
        "currency": env.company.currency_id,
        # stopped paying before the first invoice: every invoice stays open
        "default_date": today - timedelta(days=4 * 365),
    }
    days = sorted(today - timedelta(days=generator.rnd.randint(0, 3 * 365)) for _i in range(count))
    for day in days:
        generator._plan_invoice(partner, day)
    generator.insert()
    env.invalidate_all()


def _open_orders(env, customer, count):
    """Confirmed orders not invoiced, through the ORM, in batches."""
    product = _product(env)
    SaleOrder = env["sale.order"].with_context(tracking_disable=True, mail_notrack=True)
    for start in range(0, count, 100):
        orders = SaleOrder.create(
            [
                {
                    "partner_id": customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 2, "price_unit": 900}
                        )
                    ],
                }
                for _i in range(min(100, count - start))
            ]
        )
        orders.action_confirm()
        env.flush_all()
        env.invalidate_all()


def _load_tool(name):
    path = Path(__file__).resolve().parent.parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------
# BENCHMARKS
# ------------------------------------------------------------


def _product(env):
    return env["product.product"].search([("default_code", "=", "GEN-SERVICE")], limit=1)


def _new_order(env, partner):
    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {"product_id": _product(env).id, "product_uom_qty": 3, "price_unit": 800}
                )
            ],
        }
    )


def _check_on(env, customer):
    """Mode block, a limit and the overdue rule, all passed by the order."""
    env.company.write(
        {
            "credit_check_mode": "block",
            "credit_check_overdue": True,
            "credit_overdue_days": 30,
            "credit_overdue_amount": 1e12,
        }
    )
    customer.with_company(env.company).credit_limit = 1e12


def _check_off(env, customer):
    env.company.write({"credit_check_mode": "off", "credit_check_overdue": False})
    customer.with_company(env.company).credit_limit = 1e12


def _confirm(env, customer, setup, timer):
    setup(env, customer)
    order = _new_order(env, customer)
    env.flush_all()
    with timer:
        order.action_confirm()
    assert order.state == "sale"


def _new_customer(env):
    return env["res.partner"].create({"name": "Brand New Customer Ltd", "is_company": True})


def _assert_busy(env, customer):
    open_lines = env.execute_query(
        SQL(
            """SELECT COUNT(*) FROM account_move_line l
                 JOIN account_account a ON a.id = l.account_id
                WHERE l.partner_id = %s AND a.account_type = 'asset_receivable'
                  AND l.parent_state = 'posted' AND NOT l.reconciled""",
            customer.id,
        )
    )[0][0]
    assert open_lines >= OPEN_INVOICES, "run prepare() first"


def bench_new_customer_check_on(env, timer):
    _confirm(env, _new_customer(env), _check_on, timer)


def bench_new_customer_check_off(env, timer):
    _confirm(env, _new_customer(env), _check_off, timer)


def bench_busy_customer_check_on(env, timer):
    customer = _busy_customer(env)
    _assert_busy(env, customer)
    _confirm(env, customer, _check_on, timer)


def bench_busy_customer_check_off(env, timer):
    customer = _busy_customer(env)
    _assert_busy(env, customer)
    _confirm(env, customer, _check_off, timer)


# ------------------------------------------------------------
# PAIRED MEASUREMENT (on a shared machine, the load drifts between the runner's blocks)
# ------------------------------------------------------------


def paired_differences(env, pairs=40):
    """Median of (check on - check off) over ``pairs`` back-to-back pairs, per customer.

    The runner times the 15 "on" runs, then the 15 "off" runs: on a shared machine the load
    changes between the two blocks by more than the 3 ms looked for. Timing each "on" run
    right next to an "off" run (alternating which goes first) and taking the median of
    the differences cancels that drift.
    """
    runner = _load_tool("bench_runner")
    cases = {
        "new customer": (bench_new_customer_check_on, bench_new_customer_check_off),
        "busy customer": (bench_busy_customer_check_on, bench_busy_customer_check_off),
    }
    result = {}
    for label, (on, off) in cases.items():
        runner.run_one(env, on, 1)  # warm-up
        runner.run_one(env, off, 1)
        diffs, ons, offs = [], [], []
        for i in range(pairs):
            order = (on, off) if i % 2 else (off, on)
            times = {func: runner.run_one(env, func, 1)["median"] for func in order}
            ons.append(times[on])
            offs.append(times[off])
            diffs.append(times[on] - times[off])
        result[label] = {
            "on": statistics.median(ons),
            "off": statistics.median(offs),
            "added": statistics.median(diffs),
        }
    return result


def main():
    parser = argparse.ArgumentParser(description=paired_differences.__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default=str(Path(__file__).parents[2] / ".odoorc"))
    parser.add_argument("--pairs", type=int, default=40)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    with Registry(args.database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        prepare(env)
        cr.commit()
        for label, r in paired_differences(env, args.pairs).items():
            print(
                f"{label}: check on {r['on']:.1f} ms, off {r['off']:.1f} ms (medians), "
                f"added {r['added']:.1f} ms (median of {args.pairs} paired differences)"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
