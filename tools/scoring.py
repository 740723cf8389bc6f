"""Credit scoring without the ORM: bands to points, weighted score, grade, proposed limit.

The models feed plain numbers in and store what comes out, so the rules that decide a
customer's grade can be read, tested and property-checked here without a database.

Conventions:
- a band is ``(value_from, value_to, points)``: ``value_from`` included, ``value_to`` excluded;
  the lowest band also takes every value below it and the highest every value above it, so a
  scorecard whose bands are contiguous scores any number;
- a factor whose value is unknown (``None``: no history yet, no bureau score) is left out and
  the weights of the known factors are scaled back to 100, so a new customer is scored on what
  is known instead of being punished for what is not.
"""

from collections.abc import Iterable, Sequence

WEIGHT_TOTAL = 100.0
PRECISION = 1e-6

# (code, minimum score), best first: the documented default grades.
DEFAULT_GRADES = (("A", 85.0), ("B", 70.0), ("C", 55.0), ("D", 0.0))


# ----------------------------------------------------------------
# VALIDATION
# ----------------------------------------------------------------


def weights_problem(weights: Iterable[float]) -> float | None:
    """Return the total of ``weights`` when it is not 100, else ``None``."""
    total = sum(weights)
    return None if abs(total - WEIGHT_TOTAL) < PRECISION else total


def bands_problem(bands: Sequence[tuple[float, float, float]]):
    """First problem of a set of bands, or ``None`` when they tile the value line.

    Returns ``("empty_range", band, None)``, ``("points", band, None)``,
    ``("overlap", band, next_band)`` or ``("gap", band, next_band)``.
    """
    ordered = sorted(bands)
    for band in ordered:
        if band[1] <= band[0]:
            return ("empty_range", band, None)
        if not 0.0 <= band[2] <= 100.0:
            return ("points", band, None)
    for band, following in zip(ordered, ordered[1:], strict=False):
        if following[0] < band[1] - PRECISION:
            return ("overlap", band, following)
        if following[0] > band[1] + PRECISION:
            return ("gap", band, following)
    return None


# ----------------------------------------------------------------
# SCORING
# ----------------------------------------------------------------


def band_points(bands: Sequence[tuple[float, float, float]], value: float | None) -> float | None:
    """Points of the band that holds ``value``; ``None`` when the value or the bands are missing."""
    if value is None or not bands:
        return None
    ordered = sorted(bands)
    if value < ordered[0][0]:
        return ordered[0][2]
    for value_from, value_to, points in ordered:
        if value_from <= value < value_to:
            return points
    return ordered[-1][2]


def contributions(factors: Sequence[tuple[float, float | None]]) -> list[float | None]:
    """Weighted contribution of each ``(weight, points)``: what the factor adds to the score.

    Unknown points contribute ``None``; the known weights are scaled to sum to 100.
    """
    known_weight = sum(weight for weight, points in factors if points is not None)
    if known_weight <= 0:
        return [None] * len(factors)
    return [
        None if points is None else points * weight / known_weight for weight, points in factors
    ]


def weighted_score(factors: Sequence[tuple[float, float | None]]) -> float | None:
    """Score in 0-100 of ``(weight, points)`` pairs; ``None`` when no factor is known."""
    parts = [part for part in contributions(factors) if part is not None]
    if not parts:
        return None
    return min(100.0, max(0.0, sum(parts)))


def grade_for_score(score: float | None, grades: Iterable[tuple[object, float]]):
    """Key of the best grade whose minimum score ``score`` reaches (a boundary belongs to the
    better grade: exactly 85 is A); the lowest grade below every minimum; ``None`` without score.
    """
    ordered = sorted(grades, key=lambda grade: grade[1], reverse=True)
    if score is None or not ordered:
        return None
    for key, minimum in ordered:
        if score >= minimum - PRECISION:
            return key
    return ordered[-1][0]


# ----------------------------------------------------------------
# INDICATORS AND POLICY
# ----------------------------------------------------------------


def _ratio(numerator, denominator, factor=1.0):
    if numerator is None or not denominator:
        return None
    return numerator / denominator * factor


def financial_indicators(statement: dict) -> dict:
    """Ratios of the financial statement figures entered on a review (``None`` when unknown)."""
    return {
        "debt_ratio": _ratio(
            statement.get("total_liabilities"), statement.get("total_assets"), 100
        ),
        "current_ratio": _ratio(
            statement.get("current_assets"), statement.get("current_liabilities")
        ),
        "net_margin": _ratio(statement.get("net_profit"), statement.get("annual_revenue"), 100),
        "years_in_business": statement.get("years_in_business") or None,
        "registered_capital": statement.get("registered_capital") or None,
    }


def proposed_limit(fixed: float, revenue_share: float, annual_revenue: float, cap: float) -> float:
    """Credit limit of a grade's rule: the larger of a fixed amount and a share (%) of the
    customer's annual revenue, never above ``cap`` when a cap is set."""
    limit = max(fixed or 0.0, (annual_revenue or 0.0) * (revenue_share or 0.0) / 100.0)
    return min(limit, cap) if cap else limit
