"""How good an early warning is, scored against known truth: plain Python, no ORM.

scripts/backtest_warnings.py replays the warning rules on a generated ledger (every few
days over its history, as of each day) and hands the days each rule fired for each
customer to ``score``, with the truth the generator kept: which customers are defaulters
and when each first let an invoice it never paid run 90 days overdue (its *event*).

For each rule:

* ``share_warned``: of the defaulters whose event falls in the replay, the share the rule
  fired for in the ``horizon`` days before the event;
* ``median_lead_days``: for those, the median days from the first such warning to the
  event (at most ``horizon``: an older warning says more about the customer's habits than
  about its default);
* ``false_alarm_share``: of the customers the rule ever fired for, the share that are no
  defaulters.

With ``starts`` (the day each defaulter stopped paying, which the generator knows) only the
warnings from that day count: a rule that fires for a customer's lateness long before it
defaults then no longer gets credit for warning of the default.

``any_rule`` merges the rules: a customer is warned on a day when any of them fired.
"""

import statistics
from datetime import timedelta

DEFAULT_HORIZON_DAYS = 180


def any_rule(fired):
    """``{customer: sorted days}`` on which any of the rules of ``fired`` (``{rule:
    {customer: days}}``) fired."""
    merged = {}
    for by_customer in fired.values():
        for customer, days in by_customer.items():
            merged.setdefault(customer, set()).update(days)
    return {customer: sorted(days) for customer, days in merged.items()}


def score(fired, events, defaulters, horizon=DEFAULT_HORIZON_DAYS, starts=None):
    """The figures of one rule.

    ``fired``: ``{customer: days the rule fired}``; ``events``: ``{defaulter: date of its
    event}`` for the defaulters whose event the replay covers; ``defaulters``: every
    defaulter (an event after the replay's end still makes its warnings no false alarm);
    ``starts``: ``{defaulter: first day a warning counts}`` when only warnings from then on
    count (e.g. from the day it stopped paying), within the horizon still.
    """
    window = timedelta(days=horizon)
    leads = []
    for customer, event in events.items():
        start = event - window
        if starts and starts.get(customer):
            start = max(start, starts[customer])
        before = [day for day in fired.get(customer, ()) if start <= day < event]
        if before:
            leads.append((event - min(before)).days)
    warned = [customer for customer, days in fired.items() if days]
    false_alarms = [customer for customer in warned if customer not in defaulters]
    return {
        "defaulters": len(events),
        "defaulters_warned": len(leads),
        "share_warned": _share(len(leads), len(events)),
        "median_lead_days": statistics.median(leads) if leads else None,
        "customers_warned": len(warned),
        "false_alarms": len(false_alarms),
        "false_alarm_share": _share(len(false_alarms), len(warned)),
    }


def score_all(fired, events, defaulters, horizon=DEFAULT_HORIZON_DAYS, starts=None):
    """``{rule: figures}`` for every rule of ``fired`` and ``"any_rule"``."""
    figures = {
        rule: score(days, events, defaulters, horizon, starts) for rule, days in fired.items()
    }
    figures["any_rule"] = score(any_rule(fired), events, defaulters, horizon, starts)
    return figures


def _share(part, whole):
    return round(part / whole, 3) if whole else None
