"""Plain pytest and hypothesis: the scoring rules, without a database."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..tools import scoring

BANDS = [(0.0, 50.0, 20.0), (50.0, 80.0, 60.0), (80.0, 100.0, 100.0)]

weights = st.floats(min_value=0.5, max_value=100, allow_nan=False)
points = st.floats(min_value=0, max_value=100, allow_nan=False)
factors = st.lists(st.tuples(weights, points), min_size=1, max_size=12)
# the test machine is shared: a slow draw is load, not a slow strategy
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "A"),
        (85, "A"),
        (84.99, "B"),
        (70, "B"),
        (69.99, "C"),
        (55, "C"),
        (54.99, "D"),
        (0, "D"),
    ],
)
def test_boundaries_belong_to_the_better_grade(score, grade):
    assert scoring.grade_for_score(score, scoring.DEFAULT_GRADES) == grade


def test_no_score_no_grade():
    assert scoring.grade_for_score(None, scoring.DEFAULT_GRADES) is None


def test_band_points_take_values_beyond_the_ends():
    assert scoring.band_points(BANDS, -5) == 20
    assert scoring.band_points(BANDS, 50) == 60
    assert scoring.band_points(BANDS, 79.9) == 60
    assert scoring.band_points(BANDS, 100) == 100
    assert scoring.band_points(BANDS, 1e9) == 100
    assert scoring.band_points(BANDS, None) is None


def test_weights_must_sum_to_100():
    assert scoring.weights_problem([40, 35, 25]) is None
    assert scoring.weights_problem([40, 35]) == 75


@pytest.mark.parametrize(
    ("bands", "kind"),
    [
        (BANDS, None),
        ([(0, 50, 20), (40, 100, 60)], "overlap"),
        ([(0, 50, 20), (60, 100, 60)], "gap"),
        ([(10, 10, 20)], "empty_range"),
        ([(0, 10, 120)], "points"),
    ],
)
def test_bands_problems(bands, kind):
    problem = scoring.bands_problem(bands)
    assert (problem and problem[0]) == kind


def test_unknown_factors_are_left_out():
    assert scoring.weighted_score([(50, 80.0), (50, None)]) == pytest.approx(80.0)
    assert scoring.weighted_score([(50, None)]) is None


def test_financial_indicators():
    ratios = scoring.financial_indicators(
        {"total_assets": 200.0, "total_liabilities": 50.0, "current_assets": 0.0}
    )
    assert ratios["debt_ratio"] == 25.0
    assert ratios["current_ratio"] is None


def test_proposed_limit_is_capped():
    assert scoring.proposed_limit(100_000, 10, 2_000_000, 150_000) == 150_000
    assert scoring.proposed_limit(100_000, 10, 500_000, 150_000) == 100_000
    assert scoring.proposed_limit(0, 10, 500_000, 0) == 50_000


@relaxed
@given(factors)
def test_score_stays_within_0_and_100(pairs):
    assert 0.0 <= scoring.weighted_score(pairs) <= 100.0


@relaxed
@given(factors, st.data())
def test_score_never_goes_down_when_points_go_up(pairs, data):
    index = data.draw(st.integers(min_value=0, max_value=len(pairs) - 1))
    weight, old = pairs[index]
    better = list(pairs)
    better[index] = (weight, data.draw(st.floats(min_value=old, max_value=100)))
    assert scoring.weighted_score(better) >= scoring.weighted_score(pairs) - 1e-9


@relaxed
@given(factors)
def test_score_equals_the_sum_of_the_contributions(pairs):
    shown = scoring.contributions(pairs)
    assert scoring.weighted_score(pairs) == pytest.approx(sum(shown), abs=1e-9)
    total = sum(weight for weight, _points in pairs)
    expected = sum(weight * pts for weight, pts in pairs) / total
    assert scoring.weighted_score(pairs) == pytest.approx(expected, abs=1e-9)


@relaxed
@given(st.lists(st.tuples(weights, st.one_of(st.none(), points)), min_size=1, max_size=8))
def test_unknown_factors_keep_the_score_in_range(pairs):
    score = scoring.weighted_score(pairs)
    assert score is None or 0.0 <= score <= 100.0
