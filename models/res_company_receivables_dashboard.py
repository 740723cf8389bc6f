from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import aging_buckets, receivable_kpis
from ..tools import receivables_dashboard as dashboard

# the order of the KPI cards, with how each figure reads: its unit, whether a higher figure
# is better (for the arrow beside last period's) and what clicking the card opens
KPI_CARDS = (
    ("ar_end", "money", False, "items_end"),
    ("credit_sales", "money", True, "invoices"),
    ("dso", "days", False, "items_end"),
    ("add", "days", False, "overdue_end"),
    ("cei", "percent", True, "items_end"),
    ("overdue_rate", "rate", False, "overdue_end"),
    ("collection_rate", "rate", True, "items_end"),
    ("avg_payment_days", "days", False, "invoices"),
    ("countback_dso", "days", False, "items_end"),
    ("best_possible_dso", "days", False, "items_end"),
    ("current_ar_end", "money", True, "items_end"),
    ("ar_start", "money", False, "items_start"),
)
READER_GROUPS = ("credit_collection.group_credit_collector", "account.group_account_readonly")


class ResCompany(models.Model):
    """The receivables dashboard (应收账款看板) of the company the user works in.

    One read gathers everything the client action ``credit_collection.receivables_dashboard``
    shows: the KPIs of a period beside those of the period before, 24 months of trends, the
    aging buckets of today, the customers with the largest expected loss, the collectors
    and the segments. Figures come from the KPI engine, the month-end snapshots and the query
    layer, one query per source, so the dashboard costs the same whatever the ledger holds.
    The methods without an underscore are what the browser calls; each checks the reader.
    """

    _inherit = "res.company"

    # ------------------------------------------------------------
    # ACTIONS (called by the dashboard)
    # ------------------------------------------------------------

    @api.model
    @api.readonly
    def get_receivables_dashboard(self, period="this_month"):
        """The dashboard of the current company for a period of the selector.

        Read-only (``api.readonly``): the web client's call runs on a read-only cursor,
        on the database replica when Odoo has one (``--db_replica_host``); it writes
        nothing."""
        self._check_receivables_dashboard_access()
        if period not in dashboard.PERIODS:
            raise UserError(
                self.env._(
                    "The dashboard has no period “%(period)s”: choose this month, last month, "
                    "this quarter or this year.",
                    period=aging_buckets.excerpt(period),
                )
            )
        today = fields.Date.context_today(self)
        (date_from, date_to), (compare_from, compare_to) = dashboard.period_dates(period, today)
        company = self.env.company.sudo()
        data = company._get_receivables_dashboard(date_from, date_to, compare_from, compare_to)
        return dict(data, period=period)

    @api.model
    @api.readonly
    def action_open_receivables_dashboard_items(
        self, as_of, bucket=None, collector_id=None, overdue=False
    ):
        """Drill down: the journal items open at ``as_of`` behind a figure, read again
        through the query layer (a bucket, a collector's receivables, the overdue part).

        Like every drill-down of the dashboard, read-only (``api.readonly``): served on
        the replica with the dashboard itself."""
        self._check_receivables_dashboard_access()
        company = self.env.company
        ids = company.sudo()._get_dashboard_move_line_ids(as_of, bucket, collector_id, overdue)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open items at %(date)s", date=fields.Date.to_date(as_of)),
            "res_model": "account.move.line",
            "domain": [("id", "in", ids)],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }

    @api.model
    @api.readonly
    def action_open_receivables_dashboard_invoices(self, date_from, date_to):
        """Drill down: the customer invoices and credit notes behind the credit sales."""
        self._check_receivables_dashboard_access()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice")
        action.update(
            name=self.env._(
                "Credit sales from %(date_from)s to %(date_to)s",
                date_from=fields.Date.to_date(date_from),
                date_to=fields.Date.to_date(date_to),
            ),
            domain=[
                ("company_id", "=", self.env.company.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
            ],
            context={"create": False},
        )
        return action

    @api.model
    @api.readonly
    def action_open_receivables_dashboard_customer(self, partner_id):
        """Drill down: a customer's credit file (its form, with the Credit tab)."""
        self._check_receivables_dashboard_access()
        return self.env["res.partner"].browse(int(partner_id))._get_credit_file_action()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_receivables_dashboard(
        self, date_from=None, date_to=None, compare_from=None, compare_to=None
    ):
        """Everything the dashboard shows, as JSON-able data, for this company.

        ``date_from``..``date_to`` default to the current month to date, the comparison
        period to the month before ``date_from``. Amounts are in company currency; the
        client formats them with ``currency``. Rights are the caller's business
        (``get_receivables_dashboard`` checks them, then reads as superuser).
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(date_from) or today.replace(day=1)
        date_to = fields.Date.to_date(date_to) or today
        compare_from = fields.Date.to_date(compare_from) or date_from - relativedelta(months=1)
        compare_to = fields.Date.to_date(compare_to) or date_from - timedelta(days=1)
        buckets = self.env["credit.receivable.query"]._get_bucket_totals(
            today, self.ids, limits=dashboard.LOSS_LIMITS
        )
        return {
            "company": {"id": self.id, "name": self.name},
            "currency": self._get_dashboard_currency(),
            "today": fields.Date.to_string(today),
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "compare_from": fields.Date.to_string(compare_from),
            "compare_to": fields.Date.to_string(compare_to),
            "kpis": self._get_dashboard_kpis(date_from, date_to, compare_from, compare_to),
            "trends": self._get_dashboard_trends(today),
            "buckets": self._get_dashboard_buckets(buckets),
            "worst_customers": self._get_dashboard_worst_customers(buckets),
            "collectors": self._get_dashboard_collectors(date_from, date_to),
            "segments": self._get_dashboard_segments(date_from, date_to),
        }

    def _get_dashboard_kpis(self, date_from, date_to, compare_from, compare_to):
        """The KPI cards: each figure of the period beside the comparison period's, with
        its label, help, unit and drill-down."""
        current = self._get_receivable_kpis(date_from, date_to)
        previous = self._get_receivable_kpis(compare_from, compare_to)
        descriptions = self._get_receivable_kpi_descriptions()
        return [
            {
                "key": key,
                "label": descriptions[key][0],
                "help": descriptions[key][1],
                "kind": kind,
                "higher_is_better": higher_is_better,
                "drill": drill,
                "value": current[key],
                "previous": previous[key],
            }
            for key, kind, higher_is_better, drill in KPI_CARDS
        ]

    def _get_dashboard_trends(self, today):
        """24 months of month-end receivables, overdue, credit sales and DSO.

        A closed month reads its snapshot (the figure reported then, even if a payment
        dated in that month was matched since); the current month, and the last closed
        month until its snapshot is taken, are aged live. Months before the first snapshot
        have no receivables figure. Credit sales of all the months come from one query.
        """
        months = dashboard.trend_months(today)
        start, end = months[0][0], months[-1][1]
        snapshots = self.env["credit.receivable.snapshot"]._get_snapshot_totals(
            self.ids, start, end
        )
        query = self.env["credit.receivable.query"]
        sales = query._get_kpi_credit_sales(start, end, self.ids, "company_id").get(self.id, {})
        rows = []
        for index, (month_start, month_end) in enumerate(months):
            totals = snapshots.get((self.id, month_end))
            source = "snapshot" if totals else None
            if not totals and index >= len(months) - 2:
                totals = query._get_kpi_receivables(month_end, self.ids, "company_id").get(
                    self.id, (0.0, 0.0)
                )
                source = "live"
            ar, not_due = totals or (None, None)
            month_sales = sales.get(month_start, 0.0)
            days = receivable_kpis.period_days(month_start, month_end)
            rows.append(
                {
                    "month": fields.Date.to_string(month_start),
                    "date": fields.Date.to_string(month_end),
                    "source": source,
                    "ar": ar,
                    "overdue": None if ar is None else ar - not_due,
                    "credit_sales": month_sales,
                    "dso": None if ar is None else receivable_kpis.dso(ar, month_sales, days),
                }
            )
        return rows

    def _get_dashboard_buckets(self, bucket_totals):
        """The aging of today in the standard buckets, with the loss rate of each."""
        labels = aging_buckets.translated_labels(self.env, dashboard.LOSS_LIMITS)
        amounts = [0.0] * len(labels)
        for (_partner, company_id), buckets in bucket_totals.items():
            if company_id == self.id:
                amounts = [total + amount for total, amount in zip(amounts, buckets, strict=True)]
        return [
            {"index": index, "label": label, "amount": amount, "loss_rate": rate}
            for index, (label, amount, rate) in enumerate(
                zip(labels, amounts, dashboard.LOSS_RATES, strict=True)
            )
        ]

    def _get_dashboard_worst_customers(self, bucket_totals):
        """The customers with the largest expected loss (open amount per overdue bucket
        times the bucket's loss rate, ``tools/receivables_dashboard.LOSS_RATES``), largest
        first; contacts count under their company."""
        partners = self.env["res.partner"].browse(
            sorted({partner_id for partner_id, _company in bucket_totals if partner_id})
        )
        commercial = {partner.id: partner.commercial_partner_id for partner in partners}
        per_customer = {}
        for (partner_id, company_id), buckets in bucket_totals.items():
            if company_id != self.id or not partner_id:
                continue
            customer = commercial[partner_id]
            total = per_customer.get(customer, [0.0] * len(buckets))
            per_customer[customer] = [a + b for a, b in zip(total, buckets, strict=True)]
        rows = [
            {
                "partner_id": customer.id,
                "name": customer.display_name,
                "amount_due": sum(buckets),
                "amount_overdue": dashboard.overdue(buckets),
                "buckets": buckets,
                "expected_loss": dashboard.expected_loss(buckets),
            }
            for customer, buckets in per_customer.items()
        ]
        rows = [row for row in rows if row["expected_loss"] > 0]
        rows.sort(key=lambda row: (-row["expected_loss"], -row["amount_overdue"], row["name"]))
        return rows[: dashboard.WORST_CUSTOMERS]

    def _get_dashboard_collectors(self, date_from, date_to):
        """The collectors' ranking: the KPI engine's figures grouped by collector (CEI,
        average days delinquent, cash received, receivables at the end), best CEI first.

        A hook: the collectors' appraisal replaces or enriches these rows; each row keeps
        ``collector_id`` (False: customers without a collector) for the drill-down.
        """
        kpis = self._get_receivable_kpis_grouped(date_from, date_to, "collector_id")
        cash = self.env["credit.receivable.query"]._get_kpi_cash_received(
            date_from, date_to, self.ids, "collector_id"
        )
        users = self.env["res.users"].browse([uid for uid in kpis if uid])
        names = {user.id: user.name for user in users}
        rows = [
            {
                "collector_id": collector_id or False,
                "name": names.get(collector_id) or self.env._("No collector"),
                "cei": figures["cei"],
                "add": figures["add"],
                "cash_received": cash.get(collector_id, 0.0),
                "ar_end": figures["ar_end"],
                "overdue_rate": figures["overdue_rate"],
            }
            for collector_id, figures in kpis.items()
        ]
        rows.sort(key=lambda row: (row["cei"] is None, -(row["cei"] or 0.0), -row["ar_end"]))
        return rows

    def _get_dashboard_segments(self, date_from, date_to):
        """The customer types' section: ``[{"name", "customers", "ar_end"}]`` in the types'
        order, from the monthly typing (what is owed today, whatever the period); empty
        until the run typed someone, and the dashboard hides an empty section."""
        counts = self.env["res.partner"]._get_segment_counts(self)
        return [
            {"id": segment.id, "name": segment.name, "customers": count, "ar_end": amount}
            for segment, (count, amount) in sorted(
                counts.items(), key=lambda item: (item[0].sequence, item[0].id)
            )
        ]

    def _get_dashboard_move_line_ids(self, as_of, bucket=None, collector_id=None, overdue=False):
        """The journal items open at ``as_of`` behind a figure: all of them, those of one
        bucket of the standard aging, those of one collector (False: no collector) or the
        overdue ones. Read through the query layer, like the aging's drill-down."""
        self.ensure_one()
        items = self.env["credit.receivable.query"]._get_open_items(
            as_of, self.ids, limits=dashboard.LOSS_LIMITS
        )
        return [
            item["move_line_id"]
            for item in items
            if (bucket is None or item["bucket"] == bucket)
            and (collector_id is None or (item["collector_id"] or False) == collector_id)
            and (not overdue or item["days_overdue"] > 0)
        ]

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _check_receivables_dashboard_access(self):
        """Collectors, credit managers and whoever reads the accounting (accountants,
        auditors) read the dashboard, as they read the aging; salespeople and billing
        clerks do not."""
        if self.env.su or any(self.env.user.has_group(group) for group in READER_GROUPS):
            return
        raise AccessError(
            self.env._(
                "The receivables dashboard is for collectors, credit managers and "
                'accountants. Ask your administrator for the group "Credit & Collections / '
                'Collector" or read-only accounting access.'
            )
        )

    def _get_dashboard_currency(self):
        currency = self.currency_id
        return {
            "id": currency.id,
            "name": currency.name,
            "symbol": currency.symbol,
            "position": currency.position,
            "digits": currency.decimal_places,
        }
