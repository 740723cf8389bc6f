"""Benchmark of the aging query layer against one hand-written SQL aggregate.

Run in an Odoo shell on a throw-away database with the addon installed:

    source tools/common.sh; odoo_shell -d DB < tools/bench_aging.py

It creates 2,000 customers and 50 posted invoices, copies their receivable lines in SQL up to
BENCH_LINES (default 250,000) spread over the customers and 500 due dates, then prints the
best of three timings. Everything is rolled back at the end.
"""

import os
import time

from odoo.tools import SQL


def timed(label, function, runs=3):
    best = float("inf")
    for _run in range(runs):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    print(f"{label}: {best:.3f} s")


def build_world(env, lines):
    partners = env["res.partner"].create(
        [{"name": f"Bench Customer {i}", "is_company": True} for i in range(2000)]
    )
    product = env["product.product"].create({"name": "Bench", "lst_price": 100})
    moves = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2024-01-15",
                "invoice_line_ids": [(0, 0, {"product_id": product.id, "price_unit": 100 + i})],
            }
            for i, partner in enumerate(partners[:50])
        ]
    )
    moves.action_post()
    env.flush_all()
    columns = [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'account_move_line' "
                "AND column_name NOT IN ('id', 'partner_id', 'date_maturity')"
            )
        )
    ]
    receivable = moves.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
    column_list = SQL(", ").join(SQL.identifier(column) for column in columns)
    env.execute_query(
        SQL(
            "INSERT INTO account_move_line (%s, partner_id, date_maturity) "
            "SELECT %s, (%s::int[])[1 + g %% %s], DATE '2023-06-01' + (g %% 500) "
            "FROM account_move_line, generate_series(1, %s) AS g "
            "WHERE account_move_line.id IN %s",
            column_list,
            column_list,
            partners.ids,
            len(partners),
            lines // len(receivable),
            tuple(receivable.ids),
        )
    )
    env.cr.execute("ANALYZE account_move_line")
    return partners


def main(env):
    build_world(env, int(os.environ.get("BENCH_LINES", "250000")))
    hand = SQL(
        "SELECT aml.partner_id, SUM(aml.amount_residual) FROM account_move_line aml "
        "JOIN account_account a ON a.id = aml.account_id "
        "WHERE a.account_type = 'asset_receivable' AND aml.parent_state = 'posted' "
        "GROUP BY aml.partner_id"
    )
    today = time.strftime("%Y-%m-%d")
    company_ids = env.company.ids
    wizard = env["credit.aging.wizard"].create({"as_of_date": today})
    timed("hand-written SQL aggregate", lambda: env.execute_query(hand))
    timed(
        "aging bucket totals (query layer)",
        lambda: env["credit.aging.query"]._get_bucket_totals(today, company_ids),
    )
    timed("on-screen summary (fill credit.aging.line)", wizard._fill_lines)
    timed("XLSX summary", wizard._render_xlsx, runs=1)
    env.cr.rollback()


main(env)  # noqa: F821 (the Odoo shell provides env)
