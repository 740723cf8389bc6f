"""When will an invoice be paid: an empirical model of days to settle, and its backtest.

Plain Python (no ORM): the nightly forecast of the addon and ``make backtest`` on a CSV run
the same code on the same records.

The model, chosen by the backtest on the IBM receivables sample (docs/forecasting.md):

* An invoice's days to settle are predicted from its customer's own invoices settled
  *before* the forecast date, on the same billing channel (paper or electronic: customers
  pay the two at different speeds) when the customer has at least ``MIN_SAME_CHANNEL`` of
  them, else from all its history moved by the difference the whole ledger shows between
  the channels. When disputes are known, the disputed invoices of the history are left
  out of that base; at invoice date they stay in (this one may be disputed too).
* P50 is the median of that history; an invoice known to be disputed (the nightly forecast
  knows the open disputes; at invoice date nobody does) adds the ledger's median dispute
  delay: the median days of past disputed invoices minus those of undisputed ones.
* The P10-P90 range is P50 plus the 10th and 90th percentiles of the customer's deviations
  from its median, shrunk towards the whole ledger's deviations while its history is short
  (weight n / (n + ``SHRINK``)).
* A customer without history takes the ledger's (its segment's, in the addon) distribution.
* For cash-in, each invoice's amount is spread over its predicted distribution (median
  plus each deviation, equally weighted) rather than put on one day: the weekly totals of
  many invoices are then much closer to what comes in.

* For an invoice known to be disputed the range comes from how far past disputed invoices
  landed from their customer's usual days plus the delay.

What was tried (mean absolute error in days on the 1,189 invoices of 2013, trained on what
was settled before each one's date): due date 11.03; customer median 6.39; median of the
last 8 invoices 6.18; exponentially weighted median (90-day half-life) 6.18; median of the
last 20 on the same channel 5.83; same-channel median 5.81 (kept). With the dispute known:
customer median of undisputed invoices + the ledger's dispute delay 4.35 (kept), the
customer's own disputed median when it has two 4.50, a blend of both 4.41. P10-P90
coverage: customer deviations alone 72 %, shrunk with ``SHRINK`` 5/10/20: 76/78/80 % with
the disputes' own spread (10 kept). Late when P50 passes the terms: 88.1 % right (a
threshold one day earlier 88.2 %, not worth the special case). Weekly cash-in, WAPE: every
invoice on its P50 date 0.226, spread over its deviations 0.167, due dates 0.260.
"""

import bisect
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

MIN_SAME_CHANNEL = 5
SHRINK = 10
QUANTILES = (0.1, 0.5, 0.9)
# a customer type (segment) stands in for the ledger once it settled this many invoices
MIN_GROUP_SETTLED = 30
# what a group's figures replace of the ledger's (channels and disputes stay the ledger's)
GROUP_KEYS = ("count", "median", "deviations", "deviation_quantiles")


@dataclass(frozen=True)
class Invoice:
    """What the model knows of an invoice; ``settled``/``days`` only once it is paid."""

    key: object
    customer: object
    invoice_date: date
    due_date: date
    amount: float
    channel: str = ""
    disputed: bool = False
    settled: date | None = None
    # the customer's type (segment): a customer with little history leans on its type's
    group: object = None

    @cached_property
    def days(self):
        # read millions of times by a backtest: computed once per invoice
        return (self.settled - self.invoice_date).days if self.settled else None

    @property
    def terms(self):
        return (self.due_date - self.invoice_date).days


@dataclass
class Forecast:
    """Predicted days to settle (P10, P50, P90) and the deviations that spread cash-in."""

    p10: float
    p50: float
    p90: float
    deviations: list = field(default_factory=list)

    def dates(self, invoice_date):
        return tuple(
            invoice_date + timedelta(days=round(d)) for d in (self.p10, self.p50, self.p90)
        )


def quantile(values, q):
    """Linear-interpolated quantile of a non-empty list (numpy's default)."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class History:
    """The settled invoices, searchable by what was settled before a date."""

    def __init__(self, settled_invoices):
        self._all = sorted(settled_invoices, key=lambda inv: inv.settled)
        self._dates = [inv.settled for inv in self._all]
        self._by_customer = defaultdict(list)
        for invoice in self._all:
            self._by_customer[invoice.customer].append(invoice)
        self._customer_dates = {
            customer: [inv.settled for inv in invoices]
            for customer, invoices in self._by_customer.items()
        }
        self._ledger_cache = {}
        self._by_group = defaultdict(list)
        for invoice in self._all:
            if invoice.group is not None:
                self._by_group[invoice.group].append(invoice)
        self._group_dates = {
            group: [inv.settled for inv in invoices] for group, invoices in self._by_group.items()
        }

    def before(self, day, customer=None):
        """Invoices settled strictly before ``day`` (of ``customer``, or of everyone)."""
        if customer is None:
            return self._all[: bisect.bisect_left(self._dates, day)]
        dates = self._customer_dates.get(customer, [])
        return self._by_customer.get(customer, [])[: bisect.bisect_left(dates, day)]

    def has_history(self, day, customer):
        """Whether ``customer`` settled an invoice before ``day``."""
        return bisect.bisect_left(self._customer_dates.get(customer, []), day) > 0

    def ledger(self, day):
        """The whole ledger's figures before ``day``: channel medians, dispute delay and
        the deviations of every invoice from its customer's median."""
        if day not in self._ledger_cache:
            self._ledger_cache[day] = _ledger_figures(self.before(day))
        return self._ledger_cache[day]

    def ledger_of(self, day, group=None):
        """The figures a customer of ``group`` leans on before ``day``: its group's median
        and deviations when the group settled at least ``MIN_GROUP_SETTLED`` invoices
        before ``day``, else (or without a group) the whole ledger's."""
        figures = self.ledger(day)
        if group is None:
            return figures
        key = (day, group)
        if key not in self._ledger_cache:
            dates = self._group_dates.get(group, [])
            settled = self._by_group.get(group, [])[: bisect.bisect_left(dates, day)]
            self._ledger_cache[key] = (
                _group_figures(figures, settled) if len(settled) >= MIN_GROUP_SETTLED else figures
            )
        return self._ledger_cache[key]

    def groups(self):
        """The groups of the customers in this history."""
        return list(self._by_group)


def _group_figures(ledger, settled):
    """The ledger's figures with a group's own median days and deviations."""
    own = _ledger_figures(settled)
    return {**ledger, **{key: own[key] for key in GROUP_KEYS}}


def _ledger_figures(settled):
    undisputed = [inv for inv in settled if not inv.disputed] or settled
    days = [inv.days for inv in undisputed] or [0]
    overall = statistics.median(days)
    channels = defaultdict(list)
    for inv in undisputed:
        channels[inv.channel].append(inv.days)
    disputed = [inv.days for inv in settled if inv.disputed]
    by_customer = defaultdict(list)
    for inv in undisputed:
        by_customer[inv.customer].append(inv.days)
    medians = {customer: statistics.median(values) for customer, values in by_customer.items()}
    dispute_deviations = [
        inv.days - medians[inv.customer]
        for inv in settled
        if inv.disputed and inv.customer in medians
    ]
    delay = statistics.median(disputed) - overall if disputed else 0.0
    deviations = [inv.days - medians[inv.customer] for inv in undisputed] or [0.0]
    return {
        "count": len(settled),
        "median": overall,
        "channel_offset": {
            channel: statistics.median(values) - overall for channel, values in channels.items()
        },
        "dispute_delay": delay,
        "deviations": deviations,
        # computed once: every forecast reads them (sorting the deviations each time
        # would cost a sort of the whole ledger per invoice)
        "deviation_quantiles": _quantiles(deviations, QUANTILES),
        # how far disputed invoices land from their customer's usual days plus the delay
        "dispute_deviations": [d - delay for d in dispute_deviations] or [0.0],
    }


def _quantiles(values, qs):
    """``[quantile(values, q) for q in qs]``, sorting once."""
    ordered = sorted(values)
    return [quantile(ordered, q) for q in qs]


def _ledger_quantile(ledger, q):
    """A quantile of the ledger's deviations, precomputed for the model's quantiles."""
    known = ledger.get("deviation_quantiles")
    if known and q in QUANTILES:
        return known[QUANTILES.index(q)]
    return quantile(ledger["deviations"], q)


def forecast(invoice, history, as_of=None, disputes_known=True):
    """The forecast of ``invoice`` from what ``history`` settled before ``as_of`` (default:
    the invoice date, when nothing but the past is known)."""
    as_of = as_of or invoice.invoice_date
    ledger = history.ledger_of(as_of, invoice.group)
    past = history.before(as_of, invoice.customer)
    if disputes_known:
        # whether this one is disputed is known: the base is what undisputed ones take
        past = [inv for inv in past if not inv.disputed] or past
    same = [inv for inv in past if inv.channel == invoice.channel]
    if len(same) >= MIN_SAME_CHANNEL:
        base = [inv.days for inv in same]
        offset = 0.0
    else:
        base = [inv.days for inv in past]
        offset = ledger["channel_offset"].get(invoice.channel, 0.0)
    if base:
        median = statistics.median(base)
        own = [days - median for days in base]
    elif ledger["count"]:
        median, own = ledger["median"], []
        offset = ledger["channel_offset"].get(invoice.channel, 0.0)
    else:
        # nothing was ever settled: the terms are all there is to go by
        median, own, offset = invoice.terms, [], 0.0
    p50 = median + offset
    if disputes_known and invoice.disputed:
        p50 += ledger["dispute_delay"]
    if disputes_known and invoice.disputed:
        # a dispute's outcome owes more to the dispute than to the customer's habits
        own = ledger["dispute_deviations"]
        weight = 1.0
    else:
        weight = len(own) / (len(own) + SHRINK)
    low, high = (
        weight * (quantile(own, q) if own else 0.0) + (1 - weight) * _ledger_quantile(ledger, q)
        for q in (QUANTILES[0], QUANTILES[2])
    )
    return Forecast(
        p10=min(p50 + low, p50), p50=p50, p90=max(p50 + high, p50), deviations=own or [0.0]
    )


def condition_on_age(prediction, age):
    """``(p10, p50, p90)`` days to settle of an invoice still open after ``age`` days: the
    forecast while its range is ahead, else the quantiles of the predicted days (P50 plus
    each deviation) beyond ``age``; None when all of them lie before it."""
    if age < prediction.p10:
        return (prediction.p10, prediction.p50, prediction.p90)
    beyond = [prediction.p50 + d for d in prediction.deviations if prediction.p50 + d > age]
    if not beyond:
        return None
    return tuple(quantile(beyond, q) for q in QUANTILES)


def spread_cash_in(invoice, prediction, bucket):
    """``{bucket key: amount}``: the invoice's amount over its predicted settle dates, each
    deviation of the customer's history equally likely; ``bucket(date)`` names the period."""
    share = invoice.amount / len(prediction.deviations)
    amounts = defaultdict(float)
    for deviation in prediction.deviations:
        day = invoice.invoice_date + timedelta(days=round(prediction.p50 + deviation))
        amounts[bucket(day)] += share
    return amounts


def week_of(day):
    year, week, _weekday = day.isocalendar()
    return (year, week)


def wape(predicted, actual):
    """Weighted absolute percentage error of per-period totals."""
    keys = set(predicted) | set(actual)
    total = sum(actual.values())
    return sum(abs(predicted.get(k, 0.0) - actual.get(k, 0.0)) for k in keys) / total


def backtest(invoices, split):
    """Train on what was settled before each test invoice's date, test on the invoices
    dated on or after ``split``; returns the figures ``make backtest`` prints."""
    history = History([inv for inv in invoices if inv.settled])
    tests = [inv for inv in invoices if inv.settled and inv.invoice_date >= split]
    known, blind, median_baseline = [], [], []
    covered = late_right = 0
    cash = defaultdict(float)
    actual = defaultdict(float)
    due_cash = defaultdict(float)
    for inv in tests:
        prediction = forecast(inv, history)
        at_invoice = forecast(inv, history, disputes_known=False)
        past = history.before(inv.invoice_date, inv.customer)
        median = statistics.median([p.days for p in past]) if past else inv.terms
        known.append(abs(prediction.p50 - inv.days))
        blind.append(abs(at_invoice.p50 - inv.days))
        median_baseline.append(abs(median - inv.days))
        covered += prediction.p10 <= inv.days <= prediction.p90
        late_right += (prediction.p50 > inv.terms) == (inv.days > inv.terms)
        for key, amount in spread_cash_in(inv, prediction, week_of).items():
            cash[key] += amount
        actual[week_of(inv.settled)] += inv.amount
        due_cash[week_of(inv.due_date)] += inv.amount
    n = len(tests)
    return {
        "n": n,
        "mae_days": round(sum(known) / n, 2),
        "mae_days_at_invoice_date": round(sum(blind) / n, 2),
        "mae_days_due_date_baseline": round(sum(abs(i.terms - i.days) for i in tests) / n, 2),
        "mae_days_customer_median_baseline": round(sum(median_baseline) / n, 2),
        "late_accuracy": round(late_right / n, 3),
        "p10_p90_coverage": round(covered / n, 3),
        "weekly_cash_in_wape": round(wape(cash, actual), 3),
        "weekly_cash_in_wape_due_date_baseline": round(wape(due_cash, actual), 3),
    }


# ------------------------------------------------------------
# Scoring a few customers at once (when a payment is matched)
# ------------------------------------------------------------

# the ledger's deviations are only read through their 10th and 90th percentiles: eleven
# deciles keep both exactly (q * 10 falls on a point); a disputed invoice's predicted days
# are its deviations themselves, kept whole up to this many, else as percentiles
LEDGER_DECILES = 11
MAX_DISPUTE_POINTS = 101


def ledger_summary(figures, groups=None):
    """The whole ledger's figures (``History.ledger``) small enough to store: a forecast
    made with them is the one made with the full figures (for an invoice known to be
    disputed, up to the percentiles its deviations are cut into past
    ``MAX_DISPUTE_POINTS``). ``groups``: ``{group: History.ledger_of figures}`` of the
    groups that have their own, stored as ``[group, {count, median, deviations}]`` pairs."""
    return {
        "groups": [
            [
                group,
                {
                    "count": own["count"],
                    "median": own["median"],
                    "deviations": _percentile_points(own["deviations"], LEDGER_DECILES),
                    "deviation_quantiles": own["deviation_quantiles"],
                },
            ]
            for group, own in (groups or {}).items()
            if own is not figures
        ],
        **figures,
        "channel_offset": dict(figures["channel_offset"]),
        "deviations": _percentile_points(figures["deviations"], LEDGER_DECILES),
        "dispute_deviations": (
            list(figures["dispute_deviations"])
            if len(figures["dispute_deviations"]) <= MAX_DISPUTE_POINTS
            else _percentile_points(figures["dispute_deviations"], MAX_DISPUTE_POINTS)
        ),
    }


def _percentile_points(values, points):
    return [quantile(values, step / (points - 1)) for step in range(points)]


class CustomerHistory(History):
    """The settled invoices of a few customers, with the whole ledger's figures stored by
    the nightly run (``ledger_summary``) instead of computed from every customer's: what
    scoring one customer at once needs, reading nothing but its own history."""

    def __init__(self, settled_invoices, ledger):
        super().__init__(settled_invoices)
        self._stored_ledger = ledger
        self._stored_groups = {group: {**ledger, **own} for group, own in ledger.get("groups", [])}

    def ledger(self, day):
        return self._stored_ledger

    def ledger_of(self, day, group=None):
        return self._stored_groups.get(group, self._stored_ledger)
