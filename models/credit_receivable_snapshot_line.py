from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import aging_buckets


class CreditReceivableSnapshotLine(models.Model):
    """The open items of a month end summed by customer, salesperson, collector, grade,
    currency and bucket: what a month's figures are grouped by, kept as they were."""

    _name = "credit.receivable.snapshot.line"
    _description = "Month-end receivables snapshot line"
    _order = "date desc, partner_id, bucket"

    snapshot_id = fields.Many2one(
        "credit.receivable.snapshot", required=True, readonly=True, ondelete="cascade", index=True
    )
    # the snapshot's date and company, stored: trends group the lines without a join
    date = fields.Date(string="Month End", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    grade_id = fields.Many2one("credit.grade", string="Credit Grade", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    bucket = fields.Selection(selection="_selection_bucket", string="Aging Bucket", readonly=True)
    amount = fields.Monetary(
        string="Open Amount", readonly=True, currency_field="company_currency_id"
    )
    amount_currency = fields.Monetary(
        string="Open Amount in Currency", readonly=True, currency_field="currency_id"
    )
    item_count = fields.Integer(string="Open Items", readonly=True)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "date", "bucket")
    def _compute_display_name(self):
        buckets = dict(self._fields["bucket"]._description_selection(self.env))
        for line in self:
            line.display_name = " · ".join(
                str(part)
                for part in (line.partner_id.display_name, line.date, buckets.get(line.bucket))
                if part
            )

    @api.model
    def _selection_bucket(self):
        """The standard buckets: every snapshot is summed by them, so months compare."""
        labels = aging_buckets.translated_labels(self.env, aging_buckets.DEFAULT_LIMITS)
        return [(str(index), label) for index, label in enumerate(labels)]

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _insert_from_open_items(self, snapshot):
        """The lines of ``snapshot``, summed in the database from the query layer's open
        items at its date: a constant number of queries whatever the ledger holds."""
        query = self.env["credit.receivable.query"]
        self.flush_model()
        self.env.execute_query(
            SQL(
                """
                INSERT INTO credit_receivable_snapshot_line (
                       snapshot_id, date, company_id, partner_id, user_id, collector_id,
                       grade_id, currency_id, bucket, amount, amount_currency, item_count,
                       create_uid, create_date, write_uid, write_date)
                SELECT %(snapshot)s, %(date)s, company_id, partner_id, user_id, collector_id,
                       grade_id, currency_id, bucket::text, SUM(amount_residual),
                       SUM(amount_residual_currency), COUNT(*),
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM (%(items)s) AS items
              GROUP BY company_id, partner_id, user_id, collector_id, grade_id, currency_id,
                       bucket
                """,
                snapshot=snapshot.id,
                date=snapshot.date,
                uid=self.env.uid,
                items=query._open_items_sql(
                    snapshot.date, snapshot.company_id.ids, limits=aging_buckets.DEFAULT_LIMITS
                ),
            )
        )
        self.invalidate_model()
