"""Receivables KPIs (issue 16): a company's KPIs of last month and the same grouped by
customer, against one hand-written SQL aggregate over the same lines, measured in the same
run.

Each function is run by scripts/bench_runner.py inside a savepoint that is rolled back.
"""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

# the textbook figures of a period in one statement: every receivable line less its
# reconciliations up to each date (AR at the start, AR and current AR at the end), the
# period's credit sales and the cash matched with receivables in the period
HAND_SQL_KPIS = """
    WITH settled AS (
        SELECT line_id,
               SUM(amount) FILTER (WHERE max_date < %(date_from)s) AS before_start,
               SUM(amount) FILTER (WHERE max_date <= %(date_to)s) AS before_end
          FROM (SELECT debit_move_id AS line_id, amount, max_date
                  FROM account_partial_reconcile
                 UNION ALL
                SELECT credit_move_id, -amount, max_date
                  FROM account_partial_reconcile) AS p
      GROUP BY line_id
    )
    SELECT SUM(aml.balance - COALESCE(s.before_start, 0)) FILTER (WHERE aml.date < %(date_from)s),
           SUM(aml.balance - COALESCE(s.before_end, 0)),
           SUM(aml.balance - COALESCE(s.before_end, 0))
               FILTER (WHERE COALESCE(aml.date_maturity, aml.date) >= %(date_to)s),
           (SELECT SUM(amount_total_signed) FROM account_move
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
               AND company_id = %(company)s
               AND invoice_date BETWEEN %(date_from)s AND %(date_to)s),
           (SELECT SUM(apr.amount) FROM account_partial_reconcile apr
              JOIN account_move_line c ON c.id = apr.credit_move_id
              JOIN account_move cm ON cm.id = c.move_id
             WHERE apr.company_id = %(company)s AND cm.origin_payment_id IS NOT NULL
               AND apr.max_date BETWEEN %(date_from)s AND %(date_to)s)
      FROM account_move_line aml
      JOIN account_account a ON a.id = aml.account_id
      LEFT JOIN settled s ON s.line_id = aml.id
     WHERE a.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
       AND aml.company_id = %(company)s AND aml.date <= %(date_to)s
"""


def _last_month(env):
    """First and last day of the month before today's."""
    date_to = fields.Date.context_today(env["res.users"]).replace(day=1) - timedelta(days=1)
    return date_to.replace(day=1), date_to


def bench_hand_sql_kpis_month(env, timer):
    """One hand-written aggregate: last month's AR, current AR, sales and cash of the company."""
    date_from, date_to = _last_month(env)
    with timer:
        env.execute_query(
            SQL(HAND_SQL_KPIS, date_from=date_from, date_to=date_to, company=env.company.id)
        )


def bench_company_kpis_month(env, timer):
    """The company's receivables KPIs of last month (DSO, countback, CEI, rates, cycle)."""
    date_from, date_to = _last_month(env)
    with timer:
        env.company._get_receivable_kpis(date_from, date_to)


def bench_company_kpis_by_customer(env, timer):
    """The same KPIs for every customer of the company, one query per figure."""
    date_from, date_to = _last_month(env)
    with timer:
        env.company._get_receivable_kpis_grouped(date_from, date_to, "partner_id")


def bench_company_kpis_year(env, timer):
    """The KPIs of the last twelve months (AR a year back adds every reconciliation since)."""
    _date_from, date_to = _last_month(env)
    date_from = (date_to.replace(day=1) - timedelta(days=335)).replace(day=1)
    with timer:
        env.company._get_receivable_kpis(date_from, date_to)


def _kpi_lines(env):
    """The rows of last month's analysis by customer, as the action's context names them."""
    date_from, date_to = _last_month(env)
    wizard = env["credit.kpi.wizard"].create(
        {"period": "custom", "date_from": date_from, "date_to": date_to, "group_by": "partner_id"}
    )
    action = wizard.action_open_analysis()
    return env["credit.kpi.line"].with_context(**action["context"])


def bench_onscreen_kpi_by_customer_one_read(env, timer):
    """The on-screen analysis by customer, one read of its rows: the engine by customer,
    the names, the rows handed to PostgreSQL as JSON and sorted (what the graph costs)."""
    lines = _kpi_lines(env)
    with timer:
        lines.search_fetch([], ["name", "ar_end"], limit=80)


def bench_onscreen_kpi_list_first_page_writing_transaction(env, timer):
    """The list's first page and its count, in a transaction that has written (this
    runner's): the rows are computed twice, for the page and the count. A web request
    (read-only, or nothing written) computes them once: ``..._one_read``."""
    lines = _kpi_lines(env)
    spec = {"name": {}, "ar_end": {}, "dso": {}, "overdue_ar_end": {}}
    with timer:
        lines.web_search_read([], spec, limit=80)
