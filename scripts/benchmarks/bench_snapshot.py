"""Month-end snapshots (issue 16): backfilling 36 months, and the 24-month trend read from
them (the dashboard's trends: snapshots for the closed months, the current month live, the
credit sales of every month in one query).

``prepare`` takes the snapshots once (committed) so that the trend reads them; the
backfill deletes them inside its savepoint first, which is rolled back.
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL


def prepare(env):
    Snapshot = env["credit.receivable.snapshot"]
    if not Snapshot.search_count([]):
        Snapshot._cron_take_snapshots(commit=False)
        env.cr.commit()


def bench_backfill_36_months(env, timer):
    """Every company's month ends from its first invoice, at most 36 months back."""
    env.execute_query(SQL("DELETE FROM credit_receivable_snapshot"))
    env["credit.receivable.snapshot"].invalidate_model()
    with timer:
        env["credit.receivable.snapshot"]._cron_take_snapshots(commit=False)
    assert env["credit.receivable.snapshot"].search_count([])


def bench_trend_24_months(env, timer):
    """The dashboard's 24-month trend of the main company."""
    today = fields.Date.context_today(env["res.users"])
    with timer:
        rows = env.company._get_dashboard_trends(today)
    assert len(rows) == 24


def bench_snapshot_totals_24_months(env, timer):
    """The month-end totals of 24 months, as stored."""
    today = fields.Date.context_today(env["res.users"])
    with timer:
        totals = env["credit.receivable.snapshot"]._get_snapshot_totals(
            env.company.ids, today - relativedelta(months=24), today
        )
    assert totals
