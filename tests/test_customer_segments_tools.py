"""Plain pytest and hypothesis: the customer-type rule (客户类型), without a database."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..tools import customer_segments as cs

TODAY = date(2026, 11, 30)
# a customer of two years with 24 invoices, all paid on time: reliable
RELIABLE = cs.Behaviour(
    today=TODAY,
    first_invoice_date=date(2024, 11, 30),
    invoice_count=24,
    on_time_share=100.0,
    avg_days_late=0.0,
    max_days_overdue=0.0,
    overdue_now=0.0,
    overdue_before=0.0,
)
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

behaviours = st.builds(
    cs.Behaviour,
    today=st.just(TODAY),
    first_invoice_date=st.one_of(st.none(), st.dates(min_value=date(2015, 1, 1), max_value=TODAY)),
    invoice_count=st.integers(0, 500),
    on_time_share=st.one_of(st.none(), st.floats(0, 100)),
    avg_days_late=st.one_of(st.none(), st.floats(0, 400)),
    max_days_overdue=st.floats(0, 800),
    open_disputes=st.integers(0, 5),
    disputes_12m=st.integers(0, 5),
    overdue_now=st.floats(0, 1e7),
    overdue_before=st.one_of(st.none(), st.floats(0, 1e7)),
    worst_grade=st.booleans(),
)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, cs.RELIABLE),
        # 85 % on time, 12 days late on average: pays, late
        ({"on_time_share": 85.0, "avg_days_late": 12.0, "max_days_overdue": 40}, cs.SLOW_BUT_SURE),
        # 90 % exactly and 5 days exactly: the boundaries are reliable
        ({"on_time_share": 90.0, "avg_days_late": 5.0}, cs.RELIABLE),
        ({"on_time_share": 89.9}, cs.SLOW_BUT_SURE),
        ({"avg_days_late": 5.1}, cs.SLOW_BUT_SURE),
        ({"open_disputes": 1}, cs.DISPUTING),
        ({"disputes_12m": 2}, cs.DISPUTING),
        ({"disputes_12m": 1}, cs.RELIABLE),
        # 90 days overdue is still not at risk, 91 is
        ({"max_days_overdue": 90}, cs.RELIABLE),
        ({"max_days_overdue": 91}, cs.AT_RISK),
        ({"avg_days_late": 45.5}, cs.AT_RISK),
        ({"worst_grade": True}, cs.AT_RISK),
        # at risk before disputing: the worse news first
        ({"max_days_overdue": 120, "open_disputes": 1}, cs.AT_RISK),
        ({"first_invoice_date": date(2026, 6, 1)}, cs.NEW),
        ({"first_invoice_date": date(2026, 5, 30)}, cs.RELIABLE),
        ({"invoice_count": 2}, cs.NEW),
        ({"on_time_share": None, "avg_days_late": None}, cs.NEW),
        # 1,000 overdue three months ago, 1,500 now: +50 % is not yet deteriorating
        ({"overdue_before": 1000.0, "overdue_now": 1500.0}, cs.RELIABLE),
        ({"overdue_before": 1000.0, "overdue_now": 1500.01}, cs.DETERIORATING),
        ({"overdue_before": 0.0, "overdue_now": 10.0}, cs.DETERIORATING),
        # no snapshot three months back: no trend
        ({"overdue_before": None, "overdue_now": 10.0}, cs.RELIABLE),
    ],
)
def test_rules_on_hand_made_customers(changes, code):
    assert cs.segment_for(replace(RELIABLE, **changes)) == code


@given(behaviours)
@relaxed
def test_every_customer_gets_exactly_one_known_type(behaviour):
    assert cs.segment_for(behaviour) in cs.CODES


@given(behaviours, st.floats(0, 400))
@relaxed
def test_more_days_late_never_makes_a_reliable_customer(behaviour, more):
    later = replace(behaviour, avg_days_late=(behaviour.avg_days_late or 0.0) + more)
    if cs.segment_for(behaviour) != cs.RELIABLE:
        assert cs.segment_for(later) != cs.RELIABLE


@given(behaviours, st.floats(0, 800))
@relaxed
def test_a_customer_at_risk_stays_at_risk_when_overdue_gets_older(behaviour, more):
    older = replace(behaviour, max_days_overdue=behaviour.max_days_overdue + more)
    if cs.segment_for(behaviour) == cs.AT_RISK:
        assert cs.segment_for(older) == cs.AT_RISK


@given(behaviours, st.integers(1, 5))
@relaxed
def test_a_dispute_never_makes_a_customer_reliable(behaviour, disputes):
    disputed = replace(behaviour, open_disputes=behaviour.open_disputes + disputes)
    assert cs.segment_for(disputed) in (cs.AT_RISK, cs.DISPUTING)
