from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools import aging_buckets

# a month is photographed this many days after it ends: invoices and payments dated in the
# month but entered in the first days of the next one are in its figures
SNAPSHOT_DELAY_DAYS = 5
# months photographed back from today on the first run (install, new company)
BACKFILL_MONTHS = 36


class CreditReceivableSnapshot(models.Model):
    """The receivables of a company as they stood at a month end, kept as they were.

    The live aging as of a past date moves whenever a reconciliation dated later is made or
    undone, or a late entry is posted in a closed month; a month-end figure a finance
    manager reported must not. A snapshot stores the month-end open items summed per
    customer, salesperson, collector, grade, currency and bucket (standard buckets, so
    that months compare), and its live counterpart is shown beside it where they differ.
    Trends over months read the snapshots, one row per month, instead of ageing the
    ledger at each month end again.
    """

    _name = "credit.receivable.snapshot"
    _description = "Month-end receivables snapshot"
    _order = "date desc, company_id"
    _rec_name = "date"
    _check_company_auto = True

    date = fields.Date(string="Month End", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    bucket_limits = fields.Char(
        required=True,
        readonly=True,
        help="Upper limits in days overdue of the buckets the lines are summed by.",
    )
    line_ids = fields.One2many("credit.receivable.snapshot.line", "snapshot_id", readonly=True)
    amount_total = fields.Monetary(
        string="Receivables", readonly=True, currency_field="currency_id"
    )
    amount_not_due = fields.Monetary(string="Not Due", readonly=True, currency_field="currency_id")
    amount_overdue = fields.Monetary(string="Overdue", readonly=True, currency_field="currency_id")
    amount_live = fields.Monetary(
        string="Live Receivables",
        compute="_compute_amount_live",
        currency_field="currency_id",
        help="The receivables at the same month end as the ledger gives them today: they "
        "differ from the snapshot when an entry or a reconciliation dated in or before the "
        "month was made or undone after it was taken.",
    )
    amount_drift = fields.Monetary(
        string="Difference", compute="_compute_amount_live", currency_field="currency_id"
    )

    _unique_month = models.Constraint(
        "UNIQUE(company_id, date)", "A company has one snapshot per month end."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("date", "company_id", "amount_total")
    def _compute_amount_live(self):
        query = self.env["credit.receivable.query"]
        for snapshot in self:
            totals = query._get_bucket_totals(snapshot.date, snapshot.company_id.ids)
            snapshot.amount_live = sum(sum(buckets) for buckets in totals.values())
            snapshot.amount_drift = snapshot.currency_id.round(
                snapshot.amount_live - snapshot.amount_total
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Receivables at %(date)s", date=self.date),
            "res_model": "credit.receivable.snapshot.line",
            "view_mode": "pivot,list",
            "domain": [("snapshot_id", "=", self.id)],
            "context": {"search_default_group_partner": 1},
        }

    @api.model
    def _cron_take_snapshots(self, commit=True, today=None):
        """Daily: photograph the month ends not photographed yet, each company's own; the
        first run goes back ``BACKFILL_MONTHS``.

        A planner: one batch per company and month end (``credit.cron.batch``), which the
        batch workers take side by side, one commit each: a run cut short goes on where it
        stopped, and a month is never taken twice (unique per company). With
        ``commit=False`` (tests) the months are taken here and nothing is committed."""
        self.env["credit.cron.batch"]._plan("snapshot", today, commit)

    @api.model
    def _plan_cron_batches(self, company, today):
        """One batch per month end of ``company`` to photograph, oldest first."""
        return [{"month_end": month_end} for month_end in self._months_to_take(company, today)]

    @api.model
    def _run_cron_batch(self, batch):
        """Photograph the batch's month end, unless a snapshot of it exists (a batch of an
        earlier day that a worker finished meanwhile)."""
        company, month_end = batch.company_id, batch.month_end
        if not self.sudo().search_count(
            [("company_id", "=", company.id), ("date", "=", month_end)], limit=1
        ):
            self._take_snapshot(company, month_end)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _months_to_take(self, company, today=None):
        """The closed month ends of ``company`` without a snapshot, oldest first, from its
        first receivable item or ``BACKFILL_MONTHS`` ago, whichever is later."""
        today = today or fields.Date.context_today(self)
        # the last month end on or before today - the delay
        last = today - relativedelta(days=SNAPSHOT_DELAY_DAYS - 1) + relativedelta(day=1, days=-1)
        first = self._first_receivable_date(company)
        if not first or first > last:
            return []
        first = max(first, last - relativedelta(months=BACKFILL_MONTHS - 1))
        taken = set(
            self.sudo()
            .search([("company_id", "=", company.id), ("date", ">=", first)])
            .mapped("date")
        )
        months, month_end = [], first + relativedelta(day=31)
        while month_end <= last:
            if month_end not in taken:
                months.append(month_end)
            month_end = (month_end + relativedelta(days=1)) + relativedelta(day=31)
        return months

    @api.model
    def _first_receivable_date(self, company):
        query = self.env["credit.receivable.query"]
        [(first,)] = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [*query._receivable_domain(), ("company_id", "=", company.id)],
                aggregates=["date:min"],
            )
        )
        return first or None

    @api.model
    def _take_snapshot(self, company, month_end):
        """Store the open items of ``company`` at ``month_end``: one header, its lines in
        one INSERT ... SELECT over the query layer, its totals from them."""
        limits = aging_buckets.DEFAULT_LIMITS
        snapshot = self.sudo().create(
            {
                "company_id": company.id,
                "date": month_end,
                "bucket_limits": ",".join(str(limit) for limit in limits[1:]),
            }
        )
        self.env["credit.receivable.snapshot.line"].sudo()._insert_from_open_items(snapshot)
        snapshot._write_totals()
        return snapshot

    def _write_totals(self):
        lines = self.env["credit.receivable.snapshot.line"].sudo()
        for snapshot in self:
            sums = dict(
                lines._read_group([("snapshot_id", "=", snapshot.id)], ["bucket"], ["amount:sum"])
            )
            not_due = sums.get("0", 0.0)
            total = sum(sums.values())
            snapshot.sudo().write(
                {
                    "amount_total": total,
                    "amount_not_due": not_due,
                    "amount_overdue": total - not_due,
                }
            )

    def _get_receivables_by(self, group_by, partner_ids=None):
        """``{group id: (AR, current AR)}`` of this snapshot, as the KPI engine reads them
        from the ledger (``credit.receivable.query._get_kpi_receivables``): grouped by a
        column of its lines, current meaning not due at the month end. One query."""
        self.ensure_one()
        domain = [("snapshot_id", "=", self.id)]
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        totals = {}
        lines = self.env["credit.receivable.snapshot.line"].sudo()
        for group, bucket, amount in lines._read_group(
            domain, [group_by, "bucket"], ["amount:sum"]
        ):
            ar, current = totals.get(group.id or None, (0.0, 0.0))
            totals[group.id or None] = (ar + amount, current + (amount if bucket == "0" else 0.0))
        return totals

    @api.model
    def _get_snapshot_totals(self, company_ids, date_from, date_to):
        """``{(company id, month end): (total, not due)}`` of the snapshots taken between the
        dates: a trend over months is one read."""
        rows = self.sudo().search_read(
            [
                ("company_id", "in", list(company_ids)),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["company_id", "date", "amount_total", "amount_not_due"],
            load=None,
        )
        return {
            (row["company_id"], row["date"]): (row["amount_total"], row["amount_not_due"])
            for row in rows
        }
