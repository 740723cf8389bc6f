"""Plain pytest: the dashboard's periods, months and expected loss, without a database."""

from datetime import date

import pytest

from odoo.addons.credit_collection.tools import receivables_dashboard as dashboard


def test_expected_loss_applies_the_provisioning_matrix():
    # not due 1,000 (0 %), 1-30 500 (2 %), 31-60 200 (5 %), 61-90 100 (15 %),
    # 91-180 40 (35 %), over 180 10 (60 %): 10 + 10 + 15 + 14 + 6 = 55
    assert dashboard.expected_loss([1000, 500, 200, 100, 40, 10]) == pytest.approx(55.0)
    assert dashboard.overdue([1000, 500, 200, 100, 40, 10]) == 850


def test_a_bucket_netting_to_a_credit_counts_as_zero():
    # an unmatched payment of 300 in 1-30 does not lower the risk of the 61-90 bucket
    assert dashboard.expected_loss([0, -300, 0, 1000, 0, 0]) == pytest.approx(150.0)
    assert dashboard.expected_loss([5000, 0, 0, 0, 0, 0]) == 0.0


def test_periods_and_what_they_are_compared_with():
    today = date(2024, 5, 15)
    assert dashboard.period_dates("this_month", today) == (
        (date(2024, 5, 1), today),
        (date(2024, 4, 1), date(2024, 4, 30)),
    )
    assert dashboard.period_dates("last_month", today) == (
        (date(2024, 4, 1), date(2024, 4, 30)),
        (date(2024, 3, 1), date(2024, 3, 31)),
    )
    assert dashboard.period_dates("this_quarter", today) == (
        (date(2024, 4, 1), today),
        (date(2024, 1, 1), date(2024, 3, 31)),
    )
    assert dashboard.period_dates("this_year", today) == (
        (date(2024, 1, 1), today),
        (date(2023, 1, 1), date(2023, 12, 31)),
    )
    # January: last month is in the year before, February's end in a leap year
    assert dashboard.period_dates("last_month", date(2024, 1, 10))[0] == (
        date(2023, 12, 1),
        date(2023, 12, 31),
    )
    assert dashboard.period_dates("this_month", date(2024, 3, 31))[1] == (
        date(2024, 2, 1),
        date(2024, 2, 29),
    )
    with pytest.raises(ValueError, match="unknown dashboard period"):
        dashboard.period_dates("forever", today)


def test_trend_months_end_today():
    months = dashboard.trend_months(date(2024, 2, 10))
    assert len(months) == 24
    assert months[0] == (date(2022, 3, 1), date(2022, 3, 31))
    assert months[-2] == (date(2024, 1, 1), date(2024, 1, 31))
    assert months[-1] == (date(2024, 2, 1), date(2024, 2, 10))
    assert (date(2023, 2, 1), date(2023, 2, 28)) in months
