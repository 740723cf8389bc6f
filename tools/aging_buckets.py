"""Aging buckets as plain Python: no ORM, so plain pytest and hypothesis can exercise it.

A bucket definition is the ascending list of the *inclusive* upper limits, in days overdue, of
every bucket but the last: ``(0, 30, 60, 90, 180)`` means not due (<= 0 days), 1-30, 31-60,
61-90, 91-180 and over 180. An item exactly 30 days overdue is in "1-30", one 31 days overdue
in "31-60": the label says what the bucket holds.

The database side (``credit.receivable.query``) buckets with ``width_bucket(days - 1, limits)``;
``bucket_index`` below is the reference that expression must agree with.

``default_limits`` and ``translated_labels`` take an Odoo environment, for the system
parameter and the reader's language: the aging report, its analysis lines and the
statements all label their buckets through them.
"""

import re
from bisect import bisect_left
from datetime import date

DEFAULT_LIMITS = (0, 30, 60, 90, 180)
# the database's bucket limits, as a user types them ("30, 60, 90, 180")
LIMITS_PARAM = "credit_collection.aging_bucket_limits"


MAX_DAYS = 36500  # a hundred years: beyond any receivable, and within PostgreSQL's integers
MAX_BUCKETS = 50
EXCERPT = 40
NUMBER = re.compile(r"[+-]?[0-9]{1,12}")


def excerpt(text, size=EXCERPT):
    """At most ``size`` characters of what the user typed, to quote it in a message."""
    text = str(text or "")
    return text if len(text) <= size else text[: size - 1] + "…"


def parse_limits(text):
    """Read limits typed by a user ("30, 60, 90") into a valid definition.

    The leading 0 (the "not due" bucket) is implied. Raises ValueError naming the problem;
    the message never quotes more than a short excerpt of the input.
    """
    parts = [part.strip() for part in str(text or "").replace(";", ",").split(",")]
    parts = [part for part in parts if part]
    if len(parts) > MAX_BUCKETS:
        raise ValueError(f"at most {MAX_BUCKETS} bucket limits")
    values = []
    for part in parts:
        if not NUMBER.fullmatch(part):
            raise ValueError(
                f"bucket limits must be whole numbers of days separated by commas, "
                f"not “{excerpt(part)}”"
            )
        values.append(int(part))
    limits = tuple([0] + [value for value in values if value != 0])
    if any(value < 0 for value in limits):
        raise ValueError("bucket limits cannot be negative")
    if any(value > MAX_DAYS for value in limits):
        raise ValueError(f"bucket limits are at most {MAX_DAYS} days")
    if list(limits) != sorted(set(limits)):
        raise ValueError("bucket limits must be strictly increasing")
    return limits


def bucket_labels(limits=DEFAULT_LIMITS):
    """Labels of the buckets in order: "Not due", "1-30", ..., "Over 180" (untranslated)."""
    labels = ["Not due"]
    for lower, upper in zip(limits, limits[1:], strict=False):
        labels.append(f"{lower + 1}-{upper}")
    labels.append(f"Over {limits[-1]}")
    return labels


def limits_or_default(text):
    """The limits ``text`` defines, else the default ones (nothing or nothing valid typed)."""
    try:
        return parse_limits(text) if text else DEFAULT_LIMITS
    except ValueError:
        return DEFAULT_LIMITS


def default_limits(env):
    """The limits of the database (system parameter ``LIMITS_PARAM``), else 30/60/90/180."""
    return limits_or_default(env["ir.config_parameter"].sudo().get_param(LIMITS_PARAM))


def translated_labels(env, limits):
    """``bucket_labels`` in the language of ``env``: "Not due", "1-30", ..., "Over 180"."""
    labels = bucket_labels(limits)
    labels[0] = env._("Not due")
    labels[-1] = env._("Over %(days)s", days=limits[-1])
    return labels


def bucket_index(days_overdue, limits=DEFAULT_LIMITS):
    """Position of the bucket holding an item that many days overdue (0 = not due)."""
    return bisect_left(limits, days_overdue)


def bucket_label(days_overdue, limits=DEFAULT_LIMITS):
    return bucket_labels(limits)[bucket_index(days_overdue, limits)]


def days_overdue(reference_date, as_of):
    """Whole days between the reference date (due or invoice date) and the as-of date."""
    if not reference_date:
        return 0
    return (as_of - reference_date).days if isinstance(as_of, date) else 0


def summarize(items, limits=DEFAULT_LIMITS):
    """Amounts per bucket of ``(days_overdue, amount)`` pairs, as a list aligned with the labels."""
    totals = [0.0] * (len(limits) + 1)
    for days, amount in items:
        totals[bucket_index(days, limits)] += amount
    return totals
