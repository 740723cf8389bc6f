from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import payment_prediction

_lt = LazyTranslate(__name__)

# first late invoice: how many invoices the customer must have settled, all on time, to be
# a punctual customer, when the rule's "days" is not set
MIN_SETTLED_ON_TIME = 3
# first late invoice: days past due when the rule's threshold is not set
DEFAULT_LATE_DAYS = 7
# paying later than predicted: how many usual spreads when the threshold is not set, and
# the smallest spread in days (a customer who always paid on the same day)
DEFAULT_SPREADS = 2.0
MIN_SPREAD_DAYS = 3
# average days late rising: the recent window and the three months it is compared with
RECENT_DAYS = 30
BASELINE_DAYS = 90
DEFAULT_RISE_DAYS = 15


class CreditAlertRule(models.Model):
    """The behavioural early warnings: the customer's way of paying changes.

    Each evaluator reads the company's invoices as they stood on ``today`` (invoices dated
    and payments matched on or before it, ``credit.receivable.query._invoice_timeline_sql``)
    in one query, so the daily run and the backtest (scripts/backtest_warnings.py) replay
    the same condition at any past date.
    """

    _inherit = "credit.alert.rule"

    # the behavioural kinds a matched payment may clear (the invoice late is paid, the
    # average days late falls back): re-evaluated at once for the customer who paid
    BEHAVIOUR_KINDS = ("first_late", "later_than_predicted", "days_late_rising")

    @api.model
    def _get_event_kinds(self, event):
        kinds = super()._get_event_kinds(event)
        return [*kinds, *self.BEHAVIOUR_KINDS] if event == "payment" else kinds

    # ------------------------------------------------------------
    # EVALUATORS
    # ------------------------------------------------------------

    def _evaluate_first_late(self, company, today, partners):
        """A punctual customer's first late invoice: an invoice unpaid more than
        ``threshold`` days (7 when not set) past its due date, while every invoice the
        customer settled before was paid within that many days of its due date, and it
        settled at least ``days`` of them (3 when not set)."""
        query = self.env["credit.receivable.query"]
        grace = self.threshold or DEFAULT_LATE_DAYS
        rows = self.env.execute_query(
            SQL(
                """
                WITH inv AS (%(timeline)s),
                flagged AS (
                    SELECT inv.*, %(days)s AS days,
                           inv.paid_date IS NULL AND %(days)s > %(grace)s AS late_open,
                           COALESCE(inv.paid_date - inv.due_date > %(grace)s, FALSE) AS paid_late
                      FROM inv
                )
                SELECT partner_id,
                       ARRAY_AGG(move_id ORDER BY due_date, move_id) FILTER (WHERE late_open),
                       MAX(days) FILTER (WHERE late_open),
                       SUM(amount) FILTER (WHERE late_open),
                       COUNT(*) FILTER (WHERE paid_date IS NOT NULL)
                  FROM flagged
              GROUP BY partner_id
                HAVING BOOL_OR(late_open) AND NOT BOOL_OR(paid_late)
                   AND COUNT(*) FILTER (WHERE paid_date IS NOT NULL) >= %(settled)s
                """,
                timeline=query._invoice_timeline_sql(
                    company.id, today, self._partner_ids(partners)
                ),
                days=query._days_overdue_sql(today, SQL("inv.due_date")),
                grace=grace,
                settled=self.days or MIN_SETTLED_ON_TIME,
            )
        )
        currency = company.currency_id
        return {
            partner_id: {
                "summary": _lt(
                    "%(count)s invoice(s) of %(amount)s unpaid %(days)s days past due; the "
                    "%(settled)s invoices before were all paid on time.",
                    count=len(move_ids),
                    amount=currency.format(float(amount)),
                    days=days,
                    settled=settled,
                ),
                "values": {
                    "days_overdue": days,
                    "amount": float(amount),
                    "settled_on_time": settled,
                    "grace_days": grace,
                },
                "move_ids": move_ids,
            }
            for partner_id, move_ids, days, amount, settled in rows
        }

    def _evaluate_days_late_rising(self, company, today, partners):
        """The customer's average days late over the last 30 days exceeds that of the 90
        days before by more than ``threshold`` days (15 when not set).

        An invoice counts in a window when it was settled in it (its days late: payment
        date minus due date, none when early) or was still owed and overdue at the
        window's end (its days overdue then): so a customer who stops paying shows at once,
        not when it pays at last. A customer needs something in both windows."""
        rise = self.threshold or DEFAULT_RISE_DAYS
        rows = self.env.execute_query(self._days_late_rising_sql(company, today, partners, rise))
        return {
            partner_id: {
                "summary": _lt(
                    "Average days late %(recent)s over the last 30 days, %(before)s over the "
                    "three months before.",
                    recent=round(float(recent), 1),
                    before=round(float(before), 1),
                ),
                "values": {
                    "recent_days_late": round(float(recent), 1),
                    "previous_days_late": round(float(before), 1),
                    "rise_threshold": rise,
                },
                "move_ids": move_ids or [],
            }
            for partner_id, recent, before, move_ids in rows
        }

    def _evaluate_later_than_predicted(self, company, today, partners):
        """Open invoices older than the customer's own predicted days to pay (P50) plus
        ``threshold`` (2 when not set) times its usual spread (P90 - P50, at least 3 days).

        The prediction is the payment forecast's model (tools/payment_prediction.py) from
        what the customer settled before ``today``, *not* conditioned on the invoice's age:
        the nightly forecast moves an overdue invoice's expected date forward every night,
        so an invoice is never past its stored date. Customers without settled invoices
        before ``today`` have no prediction of their own and are left out."""
        today = fields.Date.to_date(today)
        timeline = self.env["credit.receivable.query"]._get_invoice_timeline(
            company.id, today, self._partner_ids(partners)
        )
        disputed = self._disputed_move_ids([row["move_id"] for row in timeline])
        invoices = [self._prediction_invoice(row, row["move_id"] in disputed) for row in timeline]
        history = payment_prediction.History([inv for inv in invoices if inv.settled])
        spreads = self.threshold or DEFAULT_SPREADS
        # each prediction takes quantiles of the ledger's deviations, sorting them: sorted
        # once here, the day's other sorts cost a pass each (the figures stay the same)
        history.ledger(today)["deviations"].sort()
        found, predictions = {}, {}
        for invoice in invoices:
            if invoice.settled or not history.has_history(today, invoice.customer):
                continue
            # as of one day, the prediction depends on the customer and the dispute only
            key = (invoice.customer, invoice.disputed)
            if key not in predictions:
                predictions[key] = payment_prediction.forecast(invoice, history, as_of=today)
            prediction = predictions[key]
            spread = max(prediction.p90 - prediction.p50, MIN_SPREAD_DAYS)
            beyond = (today - invoice.invoice_date).days - prediction.p50
            if beyond <= spreads * spread:
                continue
            evidence = found.setdefault(invoice.customer, {"moves": [], "beyond": 0})
            evidence["moves"].append(invoice.key)
            if beyond > evidence["beyond"]:
                evidence.update(
                    beyond=beyond,
                    expected=invoice.invoice_date + timedelta(days=round(prediction.p50)),
                    spread=spread,
                )
        return {
            partner_id: self._later_than_predicted_evidence(evidence, spreads)
            for partner_id, evidence in found.items()
        }

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _days_late_rising_sql(self, company, today, partners, rise):
        """Per customer: average days late in the last 30 days and in the 90 before, and
        the overdue invoices of the last 30 days, of those rising by more than ``rise``."""
        query = self.env["credit.receivable.query"]
        today = fields.Date.to_date(today)
        middle = today - timedelta(days=RECENT_DAYS)
        start = middle - timedelta(days=BASELINE_DAYS)
        return SQL(
            """
            WITH inv AS (%(timeline)s),
            observed AS (
                SELECT partner_id, move_id, 'recent' AS period,
                       CASE WHEN paid_date IS NOT NULL
                            THEN GREATEST(paid_date - due_date, 0)
                            ELSE %(today)s::date - due_date END AS late
                  FROM inv
                 WHERE (paid_date > %(middle)s)
                    OR (paid_date IS NULL AND due_date < %(today)s)
             UNION ALL
                SELECT partner_id, move_id, 'before',
                       CASE WHEN paid_date <= %(middle)s
                            THEN GREATEST(paid_date - due_date, 0)
                            ELSE %(middle)s::date - due_date END
                  FROM inv
                 WHERE (paid_date > %(start)s AND paid_date <= %(middle)s)
                    OR (invoice_date <= %(middle)s AND due_date < %(middle)s
                        AND (paid_date IS NULL OR paid_date > %(middle)s))
            )
            SELECT partner_id,
                   AVG(late) FILTER (WHERE period = 'recent'),
                   AVG(late) FILTER (WHERE period = 'before'),
                   ARRAY_AGG(DISTINCT move_id) FILTER (WHERE period = 'recent' AND late > 0)
              FROM observed
          GROUP BY partner_id
            HAVING AVG(late) FILTER (WHERE period = 'recent')
                   - AVG(late) FILTER (WHERE period = 'before') > %(rise)s
            """,
            timeline=query._invoice_timeline_sql(company.id, today, self._partner_ids(partners)),
            today=today,
            middle=middle,
            start=start,
            rise=rise,
        )

    def _partner_ids(self, partners):
        return None if partners is None else partners.commercial_partner_id.ids

    def _later_than_predicted_evidence(self, evidence, spreads):
        beyond, spread = round(evidence["beyond"]), round(evidence["spread"], 1)
        return {
            "summary": _lt(
                "%(count)s invoice(s) unpaid %(days)s days after the date the customer's "
                "history predicted (%(expected)s); its usual spread is %(spread)s days.",
                count=len(evidence["moves"]),
                days=beyond,
                expected=evidence["expected"],
                spread=spread,
            ),
            "values": {
                "days_beyond_expected": beyond,
                "expected_date": str(evidence["expected"]),
                "spread_days": spread,
                "spreads": spreads,
            },
            "move_ids": evidence["moves"],
        }

    def _prediction_invoice(self, row, disputed):
        return payment_prediction.Invoice(
            key=row["move_id"],
            customer=row["partner_id"],
            invoice_date=row["invoice_date"],
            due_date=row["due_date"] or row["invoice_date"],
            amount=float(row["amount"]),
            disputed=disputed,
            settled=row["paid_date"],
        )

    def _disputed_move_ids(self, move_ids):
        """The invoices among ``move_ids`` ever disputed: the prediction leaves them out of
        the customer's usual days and expects a disputed open invoice later."""
        if not move_ids:
            return set()
        groups = (
            self.env["collection.dispute"]
            .sudo()
            ._read_group([("move_id", "in", move_ids)], ["move_id"])
        )
        return {move.id for (move,) in groups}
