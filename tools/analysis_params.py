"""The parameters of an on-screen analysis as the browser sends them back, checked.

The aging and KPI analyses are query models: their rows are computed from the context of
the action that opened them (an as-of date, a period, companies, customers...), which the
web client sends back with every read. That context is the browser's to forge, so each
value is checked here for its JSON type and range before it reaches the query layer (as an
SQL parameter, never as text). Plain Python: plain pytest and hypothesis exercise it.
"""

from datetime import date

from . import aging_buckets

MAX_ID = 2**31 - 1  # PostgreSQL's integer: the ids of Odoo's records


class BadParameter(ValueError):
    """``name`` holds a value the analysis cannot read; ``value`` is what was sent."""

    def __init__(self, name, value):
        super().__init__(name)
        self.name = name
        self.value = value


def date_param(name, value):
    """A date sent as ``YYYY-MM-DD``, exactly."""
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.isoformat() != value:
        raise BadParameter(name, value)
    return parsed


def choice_param(name, value, choices):
    """One of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        raise BadParameter(name, value)
    return value


def ids_param(name, value, *, required=False):
    """A list of record ids (positive integers, no booleans), non-empty when ``required``."""
    valid = isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) and 0 < item <= MAX_ID
        for item in value
    )
    if not valid or (required and not value):
        raise BadParameter(name, value)
    return list(value)


def limits_param(name, value):
    """Aging bucket limits as ``aging_buckets.parse_limits`` returns them: 0 first, then
    strictly increasing whole numbers of days up to ``aging_buckets.MAX_DAYS``."""
    ints = isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    )
    try:
        limits = aging_buckets.parse_limits(", ".join(map(str, value))) if ints else None
    except ValueError:
        limits = None
    if not limits or list(limits) != value:
        raise BadParameter(name, value)
    return limits
