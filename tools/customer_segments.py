"""Customer types (客户类型) from payment behaviour, without the ORM.

The monthly run feeds plain figures per customer in (``Behaviour``) and stores the code that
comes out, so the rule that types a customer can be read, tested and property-checked here.

The rules, tried in this order (the first that holds wins, so every customer gets exactly
one type; the order puts what a collector must act on first):

1. ``at_risk``: worst days overdue (open, or paid in the last 12 months) over 90, average
   days late over 45, or a credit grade that blocks new sales (grade D);
2. ``disputing``: an open dispute, or at least 2 disputes opened in the last 12 months;
3. ``new``: first invoice less than 6 months ago, fewer than 3 invoices, or nothing due
   yet to judge the payments by;
4. ``deteriorating``: the overdue amount of the last month-end snapshot is more than 1.5
   times that of the snapshot three months before (from nothing to something counts);
   unknown without both snapshots;
5. ``reliable``: at least 90 % of the invoices due paid on time and at most 5 days late on
   average (amount-weighted);
6. ``slow_but_sure``: everyone else, who pays, late but within 45 days on average and never
   more than 90 days late.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

AT_RISK, DISPUTING, NEW, DETERIORATING, RELIABLE, SLOW_BUT_SURE = (
    "at_risk",
    "disputing",
    "new",
    "deteriorating",
    "reliable",
    "slow_but_sure",
)
# in the order the rules are tried
CODES = (AT_RISK, DISPUTING, NEW, DETERIORATING, RELIABLE, SLOW_BUT_SURE)

AT_RISK_DAYS_OVERDUE = 90
AT_RISK_AVG_DAYS_LATE = 45
DISPUTES_PER_YEAR = 2
NEW_MONTHS = 6
NEW_MIN_INVOICES = 3
DETERIORATION_RATIO = 1.5
TREND_MONTHS = 3
RELIABLE_ON_TIME_SHARE = 90.0
RELIABLE_AVG_DAYS_LATE = 5.0


@dataclass(frozen=True)
class Behaviour:
    """What the rule reads of one customer in one company (amounts in company currency).

    ``on_time_share`` (0-100) and ``avg_days_late`` are ``None`` while no invoice is due;
    ``overdue_before`` is ``None`` when there is no snapshot three months back to compare.
    """

    today: date
    first_invoice_date: date | None = None
    invoice_count: int = 0
    on_time_share: float | None = None
    avg_days_late: float | None = None
    max_days_overdue: float = 0.0
    open_disputes: int = 0
    disputes_12m: int = 0
    overdue_now: float = 0.0
    overdue_before: float | None = None
    worst_grade: bool = False


def is_at_risk(b: Behaviour) -> bool:
    return (
        b.worst_grade
        or b.max_days_overdue > AT_RISK_DAYS_OVERDUE
        or (b.avg_days_late or 0.0) > AT_RISK_AVG_DAYS_LATE
    )


def is_disputing(b: Behaviour) -> bool:
    return b.open_disputes > 0 or b.disputes_12m >= DISPUTES_PER_YEAR


def is_new(b: Behaviour) -> bool:
    return (
        b.first_invoice_date is None
        or b.first_invoice_date > b.today - relativedelta(months=NEW_MONTHS)
        or b.invoice_count < NEW_MIN_INVOICES
        or b.on_time_share is None
    )


def is_deteriorating(b: Behaviour) -> bool:
    if b.overdue_before is None or b.overdue_now <= 0:
        return False
    return b.overdue_now > DETERIORATION_RATIO * max(b.overdue_before, 0.0)


def is_reliable(b: Behaviour) -> bool:
    return (b.on_time_share or 0.0) >= RELIABLE_ON_TIME_SHARE and (
        b.avg_days_late or 0.0
    ) <= RELIABLE_AVG_DAYS_LATE


RULES = (
    (AT_RISK, is_at_risk),
    (DISPUTING, is_disputing),
    (NEW, is_new),
    (DETERIORATING, is_deteriorating),
    (RELIABLE, is_reliable),
)


def segment_for(behaviour: Behaviour) -> str:
    """The code of the customer type of ``behaviour``: the first rule that holds."""
    for code, rule in RULES:
        if rule(behaviour):
            return code
    return SLOW_BUT_SURE
