"""The cash-in forecast (回款预测): each open invoice's residual spread over the days its
payment is expected, summed per day and currency, with a P10-P90 band. Plain Python (no
ORM): the nightly run stores what ``aggregate`` returns, the tests call it directly.

* An open invoice is paid on one of the days its forecast gives (``payment_days``): its
  customer's P50 plus each deviation of its history, as ``payment_prediction.spread_cash_in``
  spreads it, but only the days still ahead of an invoice already open that long (the
  distribution conditioned on its age, as the expected date is); each day equally likely.
* Amounts are split in the currency's smallest unit (cents, yen) so that the parts add up
  exactly to the residual: the forecast total is the open receivables it covers.
* The band of a day (or of any set of days) is the normal approximation of the sum of
  independent invoices, each paying its amount ``a`` in that set of days with probability
  ``p``: mean ``sum(a p)``, variance ``sum(a^2 p (1 - p))``, P10/P90 at mean -/+ 1.2816 sd,
  never below zero unless credit notes make the mean negative.
"""

from collections import Counter, defaultdict
from datetime import timedelta
from math import sqrt

# the 90th percentile of the standard normal: mean +/- Z_80 sd holds 80 % of the outcomes
Z_80 = 1.2815515655446004


def payment_days(invoice, prediction, today):
    """The equally likely days ``invoice`` (still open at ``today``) is paid on, from its
    ``prediction``: P50 plus each deviation still ahead of its age, at the earliest
    ``today``; None when it is older than all of them (the caller decides then)."""
    age = (today - invoice.invoice_date).days
    days = [
        invoice.invoice_date + timedelta(days=round(prediction.p50 + deviation))
        for deviation in prediction.deviations
        if prediction.p50 + deviation > age
    ]
    return sorted(max(day, today) for day in days) or None


def split_units(units, days):
    """``{day: units}``: an integer amount spread equally over ``days`` (a day named twice
    takes two shares), the remainder one unit at a time on the earliest: the parts add up
    to ``units`` exactly, negative amounts (credit notes) too."""
    return _split(units, len(days), sorted(Counter(days).items()))


def _split(units, total, counts):
    """``split_units`` over ``counts``: ``[(day, shares)]`` sorted by day, ``total`` shares."""
    base, extra = divmod(units, total)
    parts = {}
    position = 0
    for day, shares in counts:
        parts[day] = base * shares + min(max(extra - position, 0), shares)
        position += shares
    return parts


def aggregate(entries):
    """Sum open invoices into days. ``entries``: ``(key, days, units, company_units)`` per
    invoice, ``key`` naming its group (the currency), ``days`` its payment days, ``units``
    its residual in the currency's smallest unit, ``company_units`` in the company's.

    Returns ``{(key, day): [units, company_units, variance]}``, the variance in squared
    company units (``a^2 p (1 - p)`` summed over the invoices paying that day)."""
    totals = defaultdict(lambda: [0, 0, 0.0])
    for key, days, units, company_units in entries:
        total = len(days)
        counts = sorted(Counter(days).items())
        shares = _split(units, total, counts)
        company_shares = _split(company_units, total, counts)
        square = float(company_units) ** 2
        for day, count in counts:
            probability = count / total
            row = totals[(key, day)]
            row[0] += shares[day]
            row[1] += company_shares[day]
            row[2] += square * probability * (1 - probability)
    return dict(totals)


def band(mean, variance, z=Z_80):
    """``(low, high)``: the P10-P90 band of a sum of mean ``mean`` and ``variance``; low is
    never below zero unless the mean is (net credit notes), and low <= mean <= high."""
    spread = z * sqrt(max(variance, 0.0))
    return max(mean - spread, min(mean, 0.0)), mean + spread
