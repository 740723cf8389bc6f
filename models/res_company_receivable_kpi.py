from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import receivable_kpis

_lt = LazyTranslate(__name__)

# the label and help of each KPI (README, *Receivables KPIs*, gives the same definitions)
KPI_DESCRIPTIONS = {
    "dso": (
        _lt("DSO (Days Sales Outstanding)"),
        _lt(
            "Receivables at the end of the period divided by the credit sales of the "
            "period, times its days: how many days of sales are still unpaid."
        ),
    ),
    "countback_dso": (
        _lt("Countback DSO"),
        _lt(
            "Days of the latest credit sales that the receivables at the end of the "
            "period represent: each month's sales are taken off the receivables, "
            "newest month first, until nothing is left (the last month pro rata). "
            "At most the days of the period."
        ),
    ),
    "best_possible_dso": (
        _lt("Best Possible DSO"),
        _lt(
            "Receivables not yet due at the end of the period divided by the credit "
            "sales, times the days: the DSO if every customer paid on its due date."
        ),
    ),
    "add": (
        _lt("Average Days Delinquent"),
        _lt("DSO minus best possible DSO: the days the overdue receivables add."),
    ),
    "cei": (
        _lt("Collection Effectiveness Index (CEI)"),
        _lt(
            "(Receivables at the start + credit sales - receivables at the end) / "
            "(receivables at the start + credit sales - current receivables at the "
            "end) x 100: what was collected out of what could be. Computed for the "
            "period as one block, not as an average of monthly indexes."
        ),
    ),
    "overdue_rate": (
        _lt("Overdue Rate"),
        _lt("Overdue receivables at the end of the period divided by all receivables."),
    ),
    "collection_rate": (
        _lt("Collection Rate"),
        _lt(
            "Cash received on receivables in the period (payments and bank "
            "statement lines matched with them; credit notes, write-offs and "
            "exchange differences are not cash) divided by the receivables at the "
            "start plus the credit sales of the period."
        ),
    ),
    "avg_payment_days": (
        _lt("Average Payment Cycle (days)"),
        _lt(
            "Days from invoice date to full payment, weighted by amount, over the "
            "invoices fully paid in the period."
        ),
    ),
    "credit_sales": (
        _lt("Credit Sales"),
        _lt(
            "Posted customer invoices minus credit notes dated in the period, taxes "
            "included, in company currency."
        ),
    ),
    "ar_start": (
        _lt("Receivables at the Start"),
        _lt("Open receivables at the end of the day before the period starts."),
    ),
    "ar_end": (
        _lt("Receivables at the End"),
        _lt("Open receivables at the end of the last day of the period (the aging total)."),
    ),
    "current_ar_end": (
        _lt("Current Receivables at the End"),
        _lt("The part of the receivables at the end that is not yet due."),
    ),
}


class ResCompany(models.Model):
    """Receivables KPIs of a company over a period (销售未收款天数 DSO, 催收有效性指数 CEI...).

    The sums come from ``credit.receivable.query`` (banner ``# KPI``): AR at two dates
    from the aging's open items, credit sales, cash received and fully paid invoices; the
    ratios from ``tools/receivable_kpis.py``, whose docstring holds the definitions. All
    amounts are in the company's currency; a ratio whose denominator is zero is ``None``.
    """

    _inherit = "res.company"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_receivable_kpis(self, date_from, date_to, partner_ids=None):
        """The receivables KPIs of this company from ``date_from`` to ``date_to`` (included).

        Returns a dict: ``dso``, ``countback_dso``, ``best_possible_dso``, ``add`` (average
        days delinquent), ``avg_payment_days`` in days; ``cei`` in percent;
        ``overdue_rate`` and ``collection_rate`` as fractions; ``credit_sales``,
        ``ar_start`` (AR at the end of the day before ``date_from``), ``ar_end`` and
        ``current_ar_end`` in company currency. ``partner_ids`` (commercial partners)
        restricts every figure to those customers. A constant number of queries.
        """
        self.ensure_one()
        grouped = self._get_receivable_kpis_grouped(date_from, date_to, "company_id", partner_ids)
        if self.id in grouped:
            return grouped[self.id]
        return receivable_kpis.kpis(fields.Date.to_date(date_from), fields.Date.to_date(date_to))

    def _get_receivable_kpis_grouped(self, date_from, date_to, group_by, partner_ids=None):
        """The KPIs of ``_get_receivable_kpis`` per group: ``{group id: dict}``.

        ``group_by`` is a column of the open items: ``company_id``, ``partner_id`` (the
        commercial partner), ``user_id`` (salesperson), ``collector_id``, ``grade_id`` or
        ``currency_id`` (the document's currency; amounts stay in company currency). Each
        sum is read by one query for all the groups; a group without a figure has 0 for it.
        """
        self.ensure_one()
        date_from, date_to = self._check_receivable_kpi_period(date_from, date_to)
        query = self.env["credit.receivable.query"]
        args = (self.ids, group_by, partner_ids)
        ar_start, ar_end = self._get_kpi_receivables_at(
            (date_from - timedelta(days=1), date_to), group_by, partner_ids
        )
        sales = query._get_kpi_credit_sales(date_from, date_to, *args)
        cash = query._get_kpi_cash_received(date_from, date_to, *args)
        paid = query._get_kpi_paid_invoices(date_from, date_to, *args)
        groups = set(ar_start) | set(ar_end) | set(sales) | set(cash) | set(paid)
        return {
            group: receivable_kpis.kpis(
                date_from,
                date_to,
                ar_start=ar_start.get(group, (0.0, 0.0))[0],
                ar_end=ar_end.get(group, (0.0, 0.0))[0],
                current_ar_end=ar_end.get(group, (0.0, 0.0))[1],
                monthly_sales=sales.get(group),
                cash_received=cash.get(group, 0.0),
                paid_amount=paid.get(group, (0.0, 0.0))[0],
                paid_amount_days=paid.get(group, (0.0, 0.0))[1],
            )
            for group in groups
        }

    def _get_receivable_kpi_descriptions(self):
        """``{key: (label, help)}`` of the KPIs in the user's language: what a screen or a
        report shows beside the figures of ``_get_receivable_kpis``."""
        lang = self.env.lang
        return {
            key: (label._translate(lang), help_text._translate(lang))
            for key, (label, help_text) in KPI_DESCRIPTIONS.items()
        }

    def _get_kpi_receivables_at(self, dates, group_by, partner_ids=None):
        """AR and current AR per group at each of ``dates``: a month end the company has a
        snapshot of is read from it (a closed month's figures do not move when a payment
        dated in it is matched later), any other date from the ledger."""
        month_ends = [day for day in dates if day == day + relativedelta(day=31)]
        snapshots = {}
        if month_ends:
            snapshots = {
                snapshot.date: snapshot
                for snapshot in self.env["credit.receivable.snapshot"]
                .sudo()
                .search([("company_id", "=", self.id), ("date", "in", month_ends)])
            }
        query = self.env["credit.receivable.query"]
        return [
            snapshots[day]._get_receivables_by(group_by, partner_ids)
            if day in snapshots
            else query._get_kpi_receivables(day, self.ids, group_by, partner_ids)
            for day in dates
        ]

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _check_receivable_kpi_period(self, date_from, date_to):
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if not date_from or not date_to or date_to < date_from:
            raise UserError(
                self.env._(
                    "The period of the receivables KPIs must start on or before its end "
                    "(from %(date_from)s to %(date_to)s). Choose a start date and an end date "
                    "on or after it.",
                    date_from=date_from or "-",
                    date_to=date_to or "-",
                )
            )
        return date_from, date_to
