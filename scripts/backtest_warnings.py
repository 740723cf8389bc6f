"""The early warnings' backtest on a generated ledger with known truth.

make backtest-warnings SIZE=small|medium (scripts/backtest_warnings.sh builds or reuses
the database, then runs this). Every ``--step`` days over the generated history, each
replayable rule is evaluated as of that day (its evaluator reads only the invoices dated
and the payments matched by then) without writing an alert; everything is rolled back.
The firings are scored (tools/warning_backtest.py) against the truth the generator kept
(receivables_generator.TRUTH_PARAM): which customers are defaulters, and the day each
first let an invoice it never paid run 90 days overdue. Prints a Markdown table for
docs/warnings.md and, last, one line of JSON.
"""

import argparse
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import odoo
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
TRUTH_PARAM = "credit_collection.generator_truth"
EVENT_DAYS = 90
# the default rules of the behavioural warnings, replayed through their own evaluators
RULES = {
    "first_late": "credit_collection.credit_alert_rule_first_late",
    "later_than_predicted": "credit_collection.credit_alert_rule_later_than_predicted",
    "days_late_rising": "credit_collection.credit_alert_rule_days_late_rising",
}
# the simple rules a credit manager already uses, computed through the query layer's aging
# as of each day, for comparison: an invoice more than N days overdue
BASELINES = {"baseline_overdue_30": 30, "baseline_overdue_60": 60}
# the exposure rule (its evaluator is another feature's): the generator sets no credit
# limit, so the replay gives every customer the company's default limit (--default-limit,
# the setting "limit for customers without one") and compares the receivable as of each day
# with 80 % and 100 % of it, through the same aging query; orders to invoice and drafts,
# which the rule adds, have no past and are left out
EXPOSURE = {"exposure_80": 80, "exposure_100": 100}
NOT_REPLAYED = {
    "grade_downgrade": "the generator grades nobody and keeps no grade history",
    "broken_promise": "the generator makes no promise to pay",
    "dispute": "the generator makes no dispute",
    "expiry": "the generator sets no limit, guarantee, insurance or review date",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default=str(ROOT / ".odoorc"))
    parser.add_argument("--step", type=int, default=7, help="days between replayed days")
    parser.add_argument("--horizon", type=int, default=180, help="days a warning may precede")
    parser.add_argument("--warmup", type=int, default=120, help="days of history before the first")
    parser.add_argument(
        "--default-limit",
        type=float,
        default=50_000.0,
        help="credit limit of every customer for the exposure rule (company currency)",
    )
    parser.add_argument(
        "--only", action="append", choices=list(RULES), help="replay only these rules"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KIND.FIELD=VALUE",
        help="try another setting of a rule, e.g. days_late_rising.threshold=30",
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    from odoo.addons.credit_collection.tools import warning_backtest  # noqa: PLC0415

    started = time.monotonic()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        truth = load_truth(env)
        today = date.fromisoformat(truth["today"])
        company = env.company
        rules = load_rules(env, args.set, args.only)
        days = replay_days(today, args.warmup, args.step)
        print(
            f"[backtest-warnings] {args.database}: {len(truth['customers'])} customers, "
            f"{len(days)} days replayed from {days[0]} to {days[-1]}",
            flush=True,
        )
        fired, seconds = replay(env, company, rules, days, args.default_limit)
        defaulters = {
            int(pid) for pid, c in truth["customers"].items() if c["habit"] == "defaulter"
        }
        events = default_events(env, company, today, defaulters)
        stopped = stopped_paying(truth, events)
        tables = {}
        for title, starts in (("within the horizon", None), ("once it stopped paying", stopped)):
            figures = warning_backtest.score_all(
                {kind: fired[kind] for kind in [*rules, *EXPOSURE]},
                events,
                defaulters,
                args.horizon,
                starts,
            )
            for name in BASELINES:
                figures[name] = warning_backtest.score(
                    fired[name], events, defaulters, args.horizon, starts
                )
            tables[title] = figures
        settings = {name: setting(name, rules, args.default_limit) for name in figures}
        habits = false_alarm_habits(fired, truth, rules)
        cr.rollback()
    elapsed = time.monotonic() - started
    for title, figures in tables.items():
        print(f"\nWarnings counted {title} (at most {args.horizon} days before the event):")
        print_table(figures, settings, seconds, len(days))
    print(f"\nFalse alarms by the customer's habit: {json.dumps(habits)}")
    print(
        f"\n{len(defaulters)} defaulters, {len(events)} with an event in the replay; "
        f"{len(truth['customers'])} customers; horizon {args.horizon} days; "
        f"every {args.step} days; {elapsed:.0f} s in all"
    )
    print(json.dumps({"tables": tables, "seconds": seconds, "elapsed": round(elapsed)}))


def stopped_paying(truth, events):
    """``{defaulter: the day it stopped paying}``: its default date, or the due date of
    its first invoice never paid when that came first (the generator leaves unpaid an
    invoice whose payment would have fallen after the default date, however early due)."""
    return {
        customer: min(
            date.fromisoformat(truth["customers"][str(customer)]["default_date"]),
            event - timedelta(days=EVENT_DAYS),
        )
        for customer, event in events.items()
    }


def false_alarm_habits(fired, truth, rules):
    """``{rule: {habit: customers warned}}`` of the customers who did not default."""
    habits = {}
    for name, by_customer in fired.items():
        if name not in rules and name not in BASELINES and name not in EXPOSURE:
            continue
        counts = habits.setdefault(name, {})
        for customer, days in by_customer.items():
            habit = truth["customers"].get(str(customer), {}).get("habit", "unknown")
            if days and habit != "defaulter":
                counts[habit] = counts.get(habit, 0) + 1
    return habits


def load_truth(env):
    raw = env["ir.config_parameter"].sudo().get_param(TRUTH_PARAM)
    if not raw:
        sys.exit(
            "[backtest-warnings] this database holds no generator truth: it was generated "
            "before the generator kept it; rebuild it (make backtest-warnings RESET=1)"
        )
    return json.loads(raw)


def load_rules(env, settings, only=None):
    """The default rules, with the settings tried on the command line (rolled back)."""
    rules = {kind: env.ref(xmlid) for kind, xmlid in RULES.items() if not only or kind in only}
    for item in settings:
        target, value = item.split("=", 1)
        kind, field = target.split(".", 1)
        rules[kind][field] = float(value) if field == "threshold" else int(value)
    return rules


def replay_days(today, warmup, step):
    first = today - timedelta(days=3 * 365 - warmup)
    return [first + timedelta(days=n) for n in range(0, (today - first).days + 1, step)]


def replay(env, company, rules, days, default_limit):
    """``{rule: {customer: [days it fired]}}`` and the seconds each rule took."""
    fired = {name: {} for name in [*rules, *EXPOSURE, *BASELINES]}
    seconds = dict.fromkeys(fired, 0.0)
    for number, day in enumerate(days, 1):
        for kind, rule in rules.items():
            started = time.monotonic()
            for partner_id in rule._evaluate(company, day, None):
                fired[kind].setdefault(partner_id, []).append(day)
            seconds[kind] += time.monotonic() - started
        started = time.monotonic()
        for name, customers in aging_rules(env, company, day, default_limit).items():
            for partner_id in customers:
                fired[name].setdefault(partner_id, []).append(day)
        for name in [*EXPOSURE, *BASELINES]:
            seconds[name] += (time.monotonic() - started) / (len(EXPOSURE) + len(BASELINES))
        if number % 20 == 0:
            print(f"[backtest-warnings] {number}/{len(days)} days replayed", flush=True)
    return fired, {name: round(value, 1) for name, value in seconds.items()}


def aging_rules(env, company, day, default_limit):
    """``{baseline: customers owing an invoice more than N days overdue on day}`` and
    ``{exposure_N: customers owing N % of the default limit or more}``, from the aging as
    of that day (one query for all)."""
    limits = sorted(BASELINES.values())
    totals = env["credit.receivable.query"]._get_bucket_totals(day, [company.id], limits=limits)
    commercial = commercial_ids(env, {partner_id for partner_id, _company in totals})
    owed = {}
    for (partner_id, _company), amounts in totals.items():
        if partner_id:
            owed[commercial[partner_id]] = owed.get(commercial[partner_id], 0.0) + sum(amounts)
    found = {
        name: {pid for pid, amount in owed.items() if amount >= default_limit * share / 100}
        for name, share in EXPOSURE.items()
    }
    for name, days in BASELINES.items():
        first_bucket = limits.index(days) + 1
        found[name] = {
            commercial[partner_id]
            for (partner_id, _company), amounts in totals.items()
            if partner_id and sum(amounts[first_bucket:]) > 0
        }
    return found


def commercial_ids(env, partner_ids):
    partners = env["res.partner"].with_context(active_test=False).browse(list(partner_ids))
    return {partner.id: partner.commercial_partner_id.id for partner in partners}


def default_events(env, company, today, defaulters):
    """``{defaulter: the first day one of the invoices it never paid was 90 days
    overdue}``, for the defaulters whose event happened by the generator's today."""
    rows = env["credit.receivable.query"]._get_invoice_timeline(company.id, today, defaulters)
    events = {}
    for row in rows:
        event = row["due_date"] + timedelta(days=EVENT_DAYS)
        if row["paid_date"] is None and event <= today:
            events[row["partner_id"]] = min(event, events.get(row["partner_id"], event))
    return events


def print_table(figures, settings, seconds, n_days):
    print(
        "\n| Rule | Setting | Defaulters warned | Median days of warning "
        "| Customers warned | False alarms | Seconds per day |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, row in figures.items():
        print(
            f"| {name} | {settings[name]} "
            f"| {row['defaulters_warned']}/{row['defaulters']} ({percent(row['share_warned'])}) "
            f"| {row['median_lead_days'] if row['median_lead_days'] is not None else '-'} "
            f"| {row['customers_warned']} "
            f"| {row['false_alarms']} ({percent(row['false_alarm_share'])}) "
            f"| {per_day(name, seconds, n_days)} |"
        )
    for kind, why in NOT_REPLAYED.items():
        print(f"| {kind} | not replayed: {why} | | | | | |")


def setting(name, rules, default_limit):
    if name in EXPOSURE:
        return f"{EXPOSURE[name]} % of a limit of {default_limit:,.0f} (computed here)"
    if name in rules:
        rule = rules[name]
        return f"threshold {rule.threshold:g}" + (f", days {rule.days}" if rule.days else "")
    if name in BASELINES:
        return f"an invoice > {BASELINES[name]} days overdue"
    return "any of the rules replayed (behaviour and exposure)"


def percent(share):
    return "-" if share is None else f"{share:.0%}"


def per_day(name, seconds, n_days):
    if name not in seconds:
        return f"{sum(seconds.get(kind, 0.0) for kind in RULES) / n_days:.2f}"
    return f"{seconds[name] / n_days:.2f}"


if __name__ == "__main__":
    main()
