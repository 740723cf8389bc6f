"""Receivables KPIs without the ORM: the formulas, fed with plain numbers.

The query layer (``credit.receivable.query``, banner ``# KPI``) sums the ledger; the
functions here turn those sums into the indicators, so that the definitions can be read,
tested and property-checked without a database. All amounts are in company currency.

Definitions, for a period ``date_from``..``date_to``:

- credit sales ``S``: posted customer invoices minus customer credit notes whose invoice date
  is in the period, taxes included (``amount_total_signed``); ``N`` = days in the period
  (``date_to - date_from + 1``);
- ``AR(d)``: the receivable balance open at the end of day ``d`` (the aging's total);
  current ``AR(d)``: its part not yet due at ``d`` (``days_overdue <= 0``);
- DSO (days sales outstanding, 销售未收款天数) = ``AR(end) / S * N``;
- best possible DSO = ``current AR(end) / S * N``: the DSO if every customer paid on its
  due date;
- average days delinquent (ADD, 平均拖欠天数) = DSO - best possible DSO;
- countback DSO: from ``AR(end)``, walk back month by month subtracting each month's credit
  sales and adding that month's days until the receivable is used up, the last month pro
  rata. Months are calendar months of the period: the month holding ``date_to`` counts from
  its 1st (or ``date_from`` if later) to ``date_to``, the oldest month from ``date_from``.
  When the period's sales do not use the receivable up, the result is every day walked (the
  history available stops there);
- collection effectiveness index (CEI, 催收有效性指数) =
  ``(AR(start - 1) + S - AR(end)) / (AR(start - 1) + S - current AR(end)) * 100``: what was
  collected out of what could have been collected. The Credit Research Foundation computes
  this ratio month by month and averages the monthly figures (over 12 months for the
  year); ours is the CEI of the whole period taken as one block. Both agree for a one-month
  period; over longer periods the block form weighs each month by its amounts instead of
  giving every month the same weight;
- overdue rate (逾期率) = ``(AR(end) - current AR(end)) / AR(end)``;
- collection rate (回收率) = cash received on receivables in the period /
  ``(AR(start - 1) + S)``;
- average payment cycle (客户付款周期) = amount-weighted mean of the days from invoice date
  to full payment, over the invoices fully paid in the period.

Any ratio whose denominator is zero is ``None`` (unknown), never 0 and never an error.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta


def ratio(numerator, denominator):
    """``numerator / denominator``, or ``None`` when the denominator is zero or unknown."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def period_days(date_from: date, date_to: date) -> int:
    """``N``: days of the period, both ends included."""
    return (date_to - date_from).days + 1


def dso(ar_end, sales, days):
    """Days sales outstanding: ``AR(end) / S * N``."""
    value = ratio(ar_end, sales)
    return None if value is None else value * days


def best_possible_dso(current_ar_end, sales, days):
    """The DSO of the part not yet due: ``current AR(end) / S * N``."""
    return dso(current_ar_end, sales, days)


def average_days_delinquent(dso_value, best_possible_dso_value):
    """ADD = DSO - best possible DSO (``None`` when either is unknown)."""
    if dso_value is None or best_possible_dso_value is None:
        return None
    return dso_value - best_possible_dso_value


def countback_dso(ar_end, months: Sequence[tuple[int, float]]):
    """Days of the latest credit sales that the receivable ``ar_end`` represents.

    ``months`` is ``[(days, sales)]``, newest month first. Each month whose sales do not
    cover what is left of the receivable counts whole; the month that covers it counts pro
    rata. Sales are net of credit notes, as subtracted: a month of no sales counts whole and
    takes nothing off, a month of more credit notes than invoices counts whole and adds its
    credit notes back. Walking past the oldest month stops there, so the result is at most
    the days of all the months. No months: ``None``; nothing receivable: 0.
    """
    if not months:
        return None
    left = ar_end
    walked = 0.0
    for days, sales in months:
        if left <= 0:
            break
        if sales > 0 and sales >= left:
            return walked + days * left / sales
        left -= sales
        walked += days
    return walked


def cei(ar_start, sales, ar_end, current_ar_end):
    """Collection effectiveness index of the period taken as one block, in percent.

    ``(AR(start - 1) + S - AR(end)) / (AR(start - 1) + S - current AR(end)) * 100``.
    """
    collectible = ar_start + sales - current_ar_end
    value = ratio(ar_start + sales - ar_end, collectible)
    return None if value is None else value * 100.0


def overdue_rate(ar_end, current_ar_end):
    """Share of the receivable that is overdue: ``(AR(end) - current AR(end)) / AR(end)``."""
    return ratio(ar_end - current_ar_end, ar_end)


def collection_rate(cash_received, ar_start, sales):
    """Cash received in the period over what there was to collect: ``(AR(start - 1) + S)``."""
    return ratio(cash_received, ar_start + sales)


def weighted_mean_days(items: Iterable[tuple[float, float]]):
    """Amount-weighted mean of days: ``sum(amount * days) / sum(amount)`` over
    ``(amount, days)`` pairs; ``None`` when the amounts add up to zero."""
    weighted = total = 0.0
    for amount, days in items:
        weighted += amount * days
        total += amount
    return ratio(weighted, total)


def month_periods(date_from: date, date_to: date) -> list[tuple[date, date]]:
    """The calendar months of the period as ``[(first day, last day)]``, newest first, each
    clipped to the period: the month of ``date_to`` ends on ``date_to`` and starts on its 1st
    or on ``date_from`` if later; the oldest starts on ``date_from``."""
    months = []
    end = date_to
    while end >= date_from:
        start = max(end.replace(day=1), date_from)
        months.append((start, end))
        end = start - timedelta(days=1)
    return months


def kpis(
    date_from: date,
    date_to: date,
    *,
    ar_start=0.0,
    ar_end=0.0,
    current_ar_end=0.0,
    monthly_sales=None,
    cash_received=0.0,
    paid_amount=0.0,
    paid_amount_days=0.0,
):
    """Every KPI of a period from its sums, as a dict (rates as fractions, CEI in percent).

    ``monthly_sales`` maps the first day of a calendar month (``date(y, m, 1)``) to the credit
    sales of the period in that month; ``paid_amount`` and ``paid_amount_days`` are the sums
    of the amounts and of amount x days of the invoices fully paid in the period.
    """
    monthly_sales = monthly_sales or {}
    days = period_days(date_from, date_to)
    sales = sum(monthly_sales.values(), 0.0)
    months = [
        (period_days(start, end), monthly_sales.get(start.replace(day=1), 0.0))
        for start, end in month_periods(date_from, date_to)
    ]
    dso_value = dso(ar_end, sales, days)
    best = best_possible_dso(current_ar_end, sales, days)
    return {
        "dso": dso_value,
        "countback_dso": countback_dso(ar_end, months),
        "best_possible_dso": best,
        "add": average_days_delinquent(dso_value, best),
        "cei": cei(ar_start, sales, ar_end, current_ar_end),
        "overdue_rate": overdue_rate(ar_end, current_ar_end),
        "collection_rate": collection_rate(cash_received, ar_start, sales),
        "avg_payment_days": ratio(paid_amount_days, paid_amount),
        "credit_sales": sales,
        "ar_start": ar_start,
        "ar_end": ar_end,
        "current_ar_end": current_ar_end,
    }
