"""Plain pytest + hypothesis: the bucketing rules, without a database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.credit_collection.tools import aging_buckets as ab


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (-5, "Not due"),
        (0, "Not due"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-180"),
        (180, "91-180"),
        (181, "Over 180"),
        (5000, "Over 180"),
    ],
)
def test_labels_mean_what_they_say(days, label):
    assert ab.bucket_label(days) == label


def test_default_labels():
    assert ab.bucket_labels() == ["Not due", "1-30", "31-60", "61-90", "91-180", "Over 180"]


def test_custom_limits_parse_and_label():
    limits = ab.parse_limits("15, 45")
    assert limits == (0, 15, 45)
    assert ab.bucket_labels(limits) == ["Not due", "1-15", "16-45", "Over 45"]
    assert ab.bucket_label(16, limits) == "16-45"


@pytest.mark.parametrize("text", ["30, sixty", "60, 30", "30, 30", "-10"])
def test_bad_limits_are_refused(text):
    with pytest.raises(ValueError):
        ab.parse_limits(text)


def test_days_overdue_counts_calendar_days():
    assert ab.days_overdue(date(2024, 3, 1), date(2024, 3, 31)) == 30
    assert ab.days_overdue(None, date(2024, 3, 31)) == 0


limits_strategy = st.lists(st.integers(1, 720), min_size=1, max_size=8, unique=True).map(
    lambda values: tuple([0, *sorted(values)])
)


@given(days=st.integers(-1000, 3000), limits=limits_strategy)
def test_every_day_falls_in_exactly_one_bucket_within_its_range(days, limits):
    index = ab.bucket_index(days, limits)
    lower = limits[index - 1] + 1 if index else None
    upper = limits[index] if index < len(limits) else None
    assert lower is None or days >= lower
    assert upper is None or days <= upper


@given(days=st.integers(-1000, 3000), limits=limits_strategy)
def test_sql_expression_agrees(days, limits):
    """The database uses width_bucket(days - 1, limits): the count of limits <= days - 1."""
    width_bucket = sum(1 for limit in limits if limit <= days - 1)
    assert width_bucket == ab.bucket_index(days, limits)


@given(
    items=st.lists(st.tuples(st.integers(-100, 400), st.integers(-(10**6), 10**6)), max_size=50),
)
def test_summary_keeps_the_total(items):
    totals = ab.summarize(items)
    assert sum(totals) == sum(amount for _days, amount in items)
    assert ab.days_overdue(date(2024, 1, 1), date(2024, 1, 1) + timedelta(days=7)) == 7


NUMBERS = st.lists(st.integers(-(10**15), 10**15), max_size=8).map(
    lambda values: ", ".join(map(str, values))
)


@given(st.one_of(st.text(max_size=3000), NUMBERS))
def test_any_text_parses_to_limits_in_range_or_a_short_error(text):
    try:
        limits = ab.parse_limits(text)
    except ValueError as error:
        assert len(str(error)) <= 120, "the message quotes a short excerpt at most"
    else:
        assert limits[0] == 0
        assert all(lower < upper for lower, upper in zip(limits, limits[1:], strict=False))
        assert limits[-1] <= ab.MAX_DAYS


@pytest.mark.parametrize("text", [None, "", "90, 30", "x", "99999999"])
def test_limits_or_default_falls_back_on_nothing_valid(text):
    assert ab.limits_or_default(text) == ab.DEFAULT_LIMITS


def test_limits_or_default_reads_valid_limits():
    assert ab.limits_or_default("15, 45") == (0, 15, 45)
