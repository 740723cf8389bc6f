"""Plain pytest + hypothesis: the receivables KPI formulas, without a database."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from odoo.addons.credit_collection.tools import receivable_kpis as rk

amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-2, max_value=1e9, allow_nan=False, allow_infinity=False)


def test_one_month_by_hand():
    """March 2024, N = 31 days. AR(29 Feb) = 1,500; credit sales S = 3,000 (invoices 3,150
    less a 150 credit note); AR(31 Mar) = 1,700 of which 1,150 not yet due; 2,800 cash
    received.

    DSO      = 1,700 / 3,000 x 31 = 17.5667 days
    best     = 1,150 / 3,000 x 31 = 11.8833 days
    ADD      = 17.5667 - 11.8833 = 550 / 3,000 x 31 = 5.6833 days
    CEI      = (1,500 + 3,000 - 1,700) / (1,500 + 3,000 - 1,150) x 100
             = 2,800 / 3,350 x 100 = 83.5821 %
    overdue  = (1,700 - 1,150) / 1,700 = 550 / 1,700 = 0.323529
    collected = 2,800 / (1,500 + 3,000) = 0.622222
    """
    assert rk.period_days(date(2024, 3, 1), date(2024, 3, 31)) == 31
    assert rk.dso(1700, 3000, 31) == pytest.approx(17.566667, abs=1e-6)
    assert rk.best_possible_dso(1150, 3000, 31) == pytest.approx(11.883333, abs=1e-6)
    assert rk.average_days_delinquent(17.566667, 11.883333) == pytest.approx(5.683333, abs=1e-6)
    assert rk.cei(1500, 3000, 1700, 1150) == pytest.approx(83.582090, abs=1e-6)
    assert rk.overdue_rate(1700, 1150) == pytest.approx(0.323529, abs=1e-6)
    assert rk.collection_rate(2800, 1500, 3000) == pytest.approx(0.622222, abs=1e-6)


def test_countback_by_hand():
    """AR(end) = 1,500; months newest first: March 31 days sold 1,000, February 29 days
    sold 500, January 31 days sold 1,000.

    March:    1,500 - 1,000 = 500 left, 31 days
    February: 500 sold covers the 500 left: 29 x 500 / 500 = 29 days -> 31 + 29 = 60 days
    """
    months = [(31, 1000.0), (29, 500.0), (31, 1000.0)]
    assert rk.countback_dso(1500.0, months) == pytest.approx(60.0)
    # pro rata within the first month: 31 x 200 / 2,000 = 3.1 days
    assert rk.countback_dso(200.0, [(31, 2000.0)]) == pytest.approx(3.1)
    # the receivable outlives the history: every day walked, 31 + 29 + 31 = 91
    assert rk.countback_dso(10_000.0, months) == pytest.approx(91.0)
    # a month of net credit notes (-200) counts whole and adds them back: 300 + 200 = 500
    # left, which February's 500 covers: 31 + 29 x 500 / 500 = 60 days
    assert rk.countback_dso(300.0, [(31, -200.0), (29, 500.0)]) == pytest.approx(60.0)
    # a month without sales counts whole: 31 + 29 x 300 / 500 = 48.4 days
    assert rk.countback_dso(300.0, [(31, 0.0), (29, 500.0)]) == pytest.approx(48.4)
    assert rk.countback_dso(0.0, months) == 0.0
    assert rk.countback_dso(100.0, []) is None


def test_zero_denominators_are_unknown_not_zero():
    assert rk.dso(100.0, 0.0, 31) is None
    assert rk.best_possible_dso(0.0, 0.0, 31) is None
    assert rk.average_days_delinquent(None, 3.0) is None
    assert rk.cei(0.0, 0.0, 0.0, 0.0) is None
    assert rk.overdue_rate(0.0, 0.0) is None
    assert rk.collection_rate(10.0, 0.0, 0.0) is None
    assert rk.weighted_mean_days([]) is None
    assert rk.ratio(0.0, 5.0) == 0.0


def test_weighted_mean_days():
    # 1,000 paid after 70 days and 2,000 after 15: (70,000 + 30,000) / 3,000 = 33.33 days
    assert rk.weighted_mean_days([(1000.0, 70), (2000.0, 15)]) == pytest.approx(100 / 3)


def test_month_periods_are_calendar_months_clipped_to_the_period():
    assert rk.month_periods(date(2024, 1, 15), date(2024, 3, 10)) == [
        (date(2024, 3, 1), date(2024, 3, 10)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 1, 15), date(2024, 1, 31)),
    ]
    assert rk.month_periods(date(2024, 3, 5), date(2024, 3, 20)) == [
        (date(2024, 3, 5), date(2024, 3, 20))
    ]
    assert rk.month_periods(date(2023, 12, 31), date(2024, 1, 1)) == [
        (date(2024, 1, 1), date(2024, 1, 1)),
        (date(2023, 12, 31), date(2023, 12, 31)),
    ]


def test_kpis_of_a_quarter():
    """Q1 2024 of one customer: AR(end) 1,500, 1,150 not due; sales by month as in the
    countback example; AR(31 Dec) 0; 1,000 received, invoices of 1,000 paid in 70 days."""
    figures = rk.kpis(
        date(2024, 1, 1),
        date(2024, 3, 31),
        ar_end=1500.0,
        current_ar_end=1150.0,
        monthly_sales={
            date(2024, 1, 1): 1000.0,
            date(2024, 2, 1): 500.0,
            date(2024, 3, 1): 1000.0,
        },
        cash_received=1000.0,
        paid_amount=1000.0,
        paid_amount_days=70_000.0,
    )
    assert figures["credit_sales"] == 2500.0
    assert figures["dso"] == pytest.approx(1500 / 2500 * 91)
    assert figures["countback_dso"] == pytest.approx(60.0)
    assert figures["cei"] == pytest.approx((2500 - 1500) / (2500 - 1150) * 100)
    assert figures["collection_rate"] == pytest.approx(0.4)
    assert figures["avg_payment_days"] == pytest.approx(70.0)


@given(ar=amounts, current=amounts, sales=positive, days=st.integers(1, 3660))
def test_dso_is_never_below_the_best_possible(ar, current, sales, days):
    assume(current <= ar)
    best = rk.best_possible_dso(current, sales, days)
    assert rk.dso(ar, sales, days) >= best - 1e-9 * max(1.0, best)
    assert rk.average_days_delinquent(rk.dso(ar, sales, days), best) >= -1e-6


@given(ar_start=amounts, sales=positive, collected=amounts, current=amounts)
def test_cei_is_at_most_100_when_nothing_is_written_off(ar_start, sales, collected, current):
    # what is left at the end is what there was less what was collected, and holds the
    # current part: current AR(end) <= AR(end) <= AR(start) + S
    ar_end = max(ar_start + sales - min(collected, ar_start + sales), 0.0)
    current = min(current, ar_end)
    value = rk.cei(ar_start, sales, ar_end, current)
    assume(value is not None)
    assert -1e-9 <= value <= 100.0 + 1e-9


@given(
    ar=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    months=st.lists(
        st.tuples(st.integers(1, 31), st.floats(-1e9, 1e9, allow_nan=False)),
        min_size=1,
        max_size=36,
    ),
)
def test_countback_never_exceeds_the_days_walked(ar, months):
    value = rk.countback_dso(ar, months)
    assert 0.0 <= value <= sum(days for days, _sales in months) + 1e-9


@given(ar=positive, current=amounts)
def test_overdue_rate_is_a_share(ar, current):
    assume(current <= ar)
    assert 0.0 <= rk.overdue_rate(ar, current) <= 1.0


@given(
    date_from=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    length=st.integers(0, 800),
)
def test_months_tile_the_period(date_from, length):
    date_to = date.fromordinal(date_from.toordinal() + length)
    months = rk.month_periods(date_from, date_to)
    assert months[0][1] == date_to and months[-1][0] == date_from
    assert sum(rk.period_days(start, end) for start, end in months) == length + 1
    for (start, _end), (_older_start, older_end) in zip(months, months[1:], strict=False):
        assert (start - older_end).days == 1 and start.day == 1
