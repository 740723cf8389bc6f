"""Plain pytest + hypothesis: the scoring of the early warnings' backtest, by hand."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.credit_collection.tools import warning_backtest as wb

EVENT = date(2025, 6, 1)


def before(days):
    return EVENT - timedelta(days=days)


def test_a_hand_made_case():
    # three defaulters with an event: A warned 100 and 30 days before, B 10 days before,
    # C only after its event and long before the horizon; D defaulted after the replay
    # (no event) and E, F paid as usual, E warned once
    fired = {
        "A": [before(100), before(30)],
        "B": [before(10)],
        "C": [before(400), EVENT, EVENT + timedelta(days=7)],
        "D": [before(5)],
        "E": [before(50)],
        "F": [],
    }
    events = {"A": EVENT, "B": EVENT, "C": EVENT}
    figures = wb.score(fired, events, defaulters={"A", "B", "C", "D"}, horizon=180)
    assert figures == {
        "defaulters": 3,
        "defaulters_warned": 2,
        "share_warned": 0.667,
        "median_lead_days": 55.0,  # the first warnings: 100 and 10 days ahead
        "customers_warned": 5,  # F never fired
        "false_alarms": 1,  # E: D is a defaulter, warned before its event came
        "false_alarm_share": 0.2,
    }


def test_only_warnings_from_the_start_count():
    fired = {"A": [before(100), before(30)], "B": [before(10)], "C": [before(60)]}
    events = {"A": EVENT, "B": EVENT, "C": EVENT}
    starts = {"A": before(50), "B": before(50), "C": before(40)}
    figures = wb.score(fired, events, {"A", "B", "C"}, horizon=180, starts=starts)
    # A's warning 100 days ahead came before it stopped paying; C was warned only then
    assert figures["defaulters_warned"] == 2
    assert figures["median_lead_days"] == 20.0  # 30 and 10
    assert figures["false_alarms"] == 0


def test_any_rule_merges_the_days_of_every_rule():
    fired = {
        "first_late": {"A": [before(10)], "E": [before(3)]},
        "rising": {"A": [before(40)], "B": [before(20)]},
    }
    assert wb.any_rule(fired) == {
        "A": [before(40), before(10)],
        "E": [before(3)],
        "B": [before(20)],
    }
    figures = wb.score_all(fired, {"A": EVENT, "B": EVENT}, {"A", "B"})
    assert figures["any_rule"]["median_lead_days"] == 30.0  # 40 and 20
    assert figures["first_late"]["share_warned"] == 0.5
    assert figures["first_late"]["false_alarm_share"] == 0.5
    assert figures["rising"]["false_alarm_share"] == 0.0


def test_nothing_to_score():
    assert wb.score({}, {}, set()) == {
        "defaulters": 0,
        "defaulters_warned": 0,
        "share_warned": None,
        "median_lead_days": None,
        "customers_warned": 0,
        "false_alarms": 0,
        "false_alarm_share": None,
    }


days_before = st.lists(st.integers(min_value=-30, max_value=400), max_size=6)


@given(st.dictionaries(st.sampled_from("ABCDEFGH"), days_before), st.sets(st.sampled_from("ABCD")))
def test_shares_and_leads_stay_in_range(offsets, defaulters):
    fired = {c: [before(d) for d in days] for c, days in offsets.items()}
    events = {c: EVENT for c in defaulters}
    figures = wb.score(fired, events, defaulters, horizon=180)
    assert figures["defaulters_warned"] <= figures["defaulters"]
    for share in ("share_warned", "false_alarm_share"):
        assert figures[share] is None or 0 <= figures[share] <= 1
    lead = figures["median_lead_days"]
    assert lead is None or 0 < lead <= 180
    # any rule warns at least every defaulter one rule warns, and no fewer customers
    merged = wb.score_all({"one": fired, "none": {}}, events, defaulters, horizon=180)
    assert merged["any_rule"]["defaulters_warned"] == figures["defaulters_warned"]
    assert merged["any_rule"]["customers_warned"] == figures["customers_warned"]
