"""Aging report (issue 8): the on-screen summary, the query layer and the Excel file, against
one hand-written SQL aggregate over the same receivable lines, measured in the same run.

Each function is run by scripts/bench_runner.py inside a savepoint that is rolled back.
"""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

HAND_SQL = """
    SELECT aml.partner_id, SUM(aml.amount_residual)
      FROM account_move_line aml
      JOIN account_account a ON a.id = aml.account_id
     WHERE a.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
  GROUP BY aml.partner_id
"""

# the textbook aging as of a date: every receivable line less its reconciliations up to then
HAND_SQL_AS_OF = """
    WITH settled AS (
        SELECT line_id, SUM(amount) AS amount FROM (
            SELECT debit_move_id AS line_id, amount FROM account_partial_reconcile
             WHERE max_date <= %(as_of)s
             UNION ALL
            SELECT credit_move_id, -amount FROM account_partial_reconcile
             WHERE max_date <= %(as_of)s) AS p
      GROUP BY line_id)
    SELECT aml.partner_id,
           width_bucket(%(as_of)s::date - COALESCE(aml.date_maturity, aml.date) - 1,
                        ARRAY[0, 30, 60, 90, 180]) AS bucket,
           SUM(aml.balance - COALESCE(s.amount, 0))
      FROM account_move_line aml
      JOIN account_account a ON a.id = aml.account_id
      LEFT JOIN settled s ON s.line_id = aml.id
     WHERE a.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
       AND aml.date <= %(as_of)s
  GROUP BY 1, 2
"""


def _today(env):
    return fields.Date.context_today(env["res.users"])


def _wizard(env, **values):
    return env["credit.aging.wizard"].create({"as_of_date": _today(env), **values})


def bench_hand_sql_aggregate(env, timer):
    """One hand-written aggregate: today's residual per customer over all receivable lines."""
    with timer:
        env.execute_query(SQL(HAND_SQL))


def bench_hand_sql_aging_as_of(env, timer):
    """The textbook aging as of today in one hand-written query (all lines, all partials)."""
    with timer:
        env.execute_query(SQL(HAND_SQL_AS_OF, as_of=_today(env)))


def bench_bucket_totals(env, timer):
    """The query layer: open amounts per customer and bucket as of today."""
    companies = env["res.company"].search([]).ids
    with timer:
        env["credit.receivable.query"]._get_bucket_totals(_today(env), companies)


def bench_bucket_totals_one_year_ago(env, timer):
    """The same as of a year ago: every reconciliation since then is added back."""
    companies = env["res.company"].search([]).ids
    with timer:
        env["credit.receivable.query"]._get_bucket_totals(
            _today(env) - timedelta(days=365), companies
        )


def bench_onscreen_summary(env, timer):
    """What the user waits for: Analyse (the action, nothing computed) and the pivot's one
    read of the total and the buckets (``formatted_read_grouping_sets``, as the web client
    calls it, read-only: the rows are computed by the query model as they are read)."""
    wizard = _wizard(env, company_ids=[fields.Command.set(env["res.company"].search([]).ids)])
    with timer:
        action = wizard.action_open_analysis()
        lines = env["credit.aging.line"].with_context(**action["context"])
        lines.formatted_read_grouping_sets([], [[], ["bucket_id"]], ["amount_residual:sum"])


def bench_onscreen_expand_by_customer(env, timer):
    """Then the user expands the pivot rows by customer (every customer named once)."""
    wizard = _wizard(env, company_ids=[fields.Command.set(env["res.company"].search([]).ids)])
    action = wizard.action_open_analysis()
    lines = env["credit.aging.line"].with_context(**action["context"])
    with timer:
        lines.formatted_read_grouping_sets(
            [], [["partner_id"], ["partner_id", "bucket_id"]], ["amount_residual:sum"]
        )


def bench_onscreen_list_first_page(env, timer):
    """The list view of the detailed analysis: its first 80 journal items, with the count."""
    wizard = _wizard(
        env,
        report_detail="detailed",
        company_ids=[fields.Command.set(env["res.company"].search([]).ids)],
    )
    action = wizard.action_open_analysis()
    lines = env["credit.aging.line"].with_context(**action["context"])
    spec = {name: {} for name in ("partner_id", "move_id", "days_overdue", "amount_residual")}
    with timer:
        lines.web_search_read([], spec, limit=80)


def bench_xlsx_summary(env, timer):
    """The Excel file of the summary (one row per customer and company)."""
    wizard = _wizard(env, company_ids=[fields.Command.set(env["res.company"].search([]).ids)])
    with timer:
        wizard._render_xlsx()


def bench_xlsx_detailed(env, timer):
    """The Excel file with every open item on a second sheet."""
    wizard = _wizard(
        env,
        report_detail="detailed",
        company_ids=[fields.Command.set(env["res.company"].search([]).ids)],
    )
    with timer:
        wizard._render_xlsx()
