"""The receivables dashboard's own arithmetic, without the ORM: periods, months of the
trends and the expected loss of a customer.

The models read the sums (``credit.receivable.query``, ``credit.receivable.snapshot``,
``res.company._get_receivable_kpis``); the functions here decide which dates they are read
for and turn the aging buckets into an expected loss, so that plain pytest checks them.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from . import aging_buckets

# The usual provisioning matrix of receivables (the "simplified approach" of IFRS 9 and
# the bad-debt allowance percentages auditors expect): the share of what is open in each
# overdue bucket of the standard aging (1-30, 31-60, 61-90, 91-180, over 180 days) that a
# company expects never to collect. Nothing is provisioned while not due.
LOSS_RATES = (0.0, 0.02, 0.05, 0.15, 0.35, 0.60)
# the buckets the matrix is defined on: the dashboard ages with them, whatever limits the
# aging report is set to, so that the rates always meet the bucket they were written for
LOSS_LIMITS = aging_buckets.DEFAULT_LIMITS

PERIODS = ("this_month", "last_month", "this_quarter", "this_year")
TREND_MONTHS = 24
WORST_CUSTOMERS = 10


def expected_loss(buckets, rates=LOSS_RATES):
    """Expected loss of one customer: each bucket's open amount times its loss rate.

    ``buckets`` are the amounts of the standard aging, not due first. A bucket that nets
    to a credit (an unmatched payment larger than what the bucket holds) counts as zero:
    a payment received does not lower the risk of the invoices in the other buckets.
    """
    return sum(max(amount, 0.0) * rate for amount, rate in zip(buckets, rates, strict=True))


def overdue(buckets):
    """What is overdue: every bucket but "not due"."""
    return sum(buckets[1:])


def period_dates(period, today: date):
    """``((date_from, date_to), (compare_from, compare_to))`` of a period of the selector.

    The period runs to today when it is under way (this month, quarter or year to date) and
    is compared with the whole period of the same kind before it: this month with last
    month, last month with the month before, this quarter with the last quarter, this year
    with last year.
    """
    month = today.replace(day=1)
    if period == "this_month":
        current = (month, today)
        before = month - relativedelta(months=1)
        compare = (before, month - timedelta(days=1))
    elif period == "last_month":
        start = month - relativedelta(months=1)
        current = (start, month - timedelta(days=1))
        compare = (start - relativedelta(months=1), start - timedelta(days=1))
    elif period == "this_quarter":
        start = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        current = (start, today)
        compare = (start - relativedelta(months=3), start - timedelta(days=1))
    elif period == "this_year":
        start = month.replace(month=1)
        current = (start, today)
        compare = (start - relativedelta(years=1), start - timedelta(days=1))
    else:
        raise ValueError(f"unknown dashboard period {period!r}; expected one of {PERIODS}")
    return current, compare


def trend_months(today: date, count=TREND_MONTHS):
    """``[(first day, last day counted)]`` of the ``count`` months up to today, oldest
    first; the current month counts up to today."""
    months = []
    first = today.replace(day=1)
    for back in range(count - 1, -1, -1):
        start = first - relativedelta(months=back)
        end = min(start + relativedelta(day=31), today)
        months.append((start, end))
    return months
