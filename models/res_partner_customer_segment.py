from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import customer_segments

SEGMENT_FIELDS = {"customer_segment_id"}


class ResPartner(models.Model):
    """Customer types (客户类型): the type of each customer per company, set by the monthly
    run from payment behaviour, disputes and the overdue trend, and its history."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # typed per company, like the grade: each company reads its own ledger
    customer_segment_id = fields.Many2one(
        "credit.customer.segment",
        string="Customer Type",
        company_dependent=True,
        copy=False,
        help="Set by the monthly run from the customer's payment behaviour; decides the "
        "dunning policy and review interval unless the customer has its own.",
    )
    customer_segment_history_ids = fields.One2many(
        "credit.customer.segment.history", "partner_id", string="Customer Type History"
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("customer_segment_id") for vals in vals_list):
            self._refuse_segment_write()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and SEGMENT_FIELDS.intersection(vals):
            self._refuse_segment_write()
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _refuse_segment_write(self):
        """A type typed in (or sent over JSON-RPC) would change the dunning policy and
        review interval with no figures behind it."""
        raise AccessError(
            self.env._(
                "The customer type is set by the monthly run from the customer's payment "
                "behaviour; it cannot be changed by hand. Change the type's policies under "
                "Configuration > Customer Types instead."
            )
        )

    def _get_segment_behaviour(self, company, today):
        """``{partner id: customer_segments.Behaviour}`` of the commercial partners ``self``
        with invoices in ``company``: a constant number of queries whatever their number
        (payment behaviour, two counts of disputes, one read of the month-end snapshots,
        the grades)."""
        behaviour = self._get_payment_behaviour(company, today)
        partners = self.browse(list(behaviour)).with_company(company)
        disputes = self._segment_dispute_counts(company, partners, today)
        overdue_now, overdue_before = self._segment_overdue_trend(company, partners, today)
        result = {}
        for partner in partners:
            figures = behaviour[partner.id]
            result[partner.id] = customer_segments.Behaviour(
                today=today,
                first_invoice_date=figures["first_invoice_date"],
                invoice_count=figures["invoice_count"] or 0,
                on_time_share=figures["on_time_share"],
                avg_days_late=figures["avg_days_late"],
                max_days_overdue=figures["max_days_overdue"] or 0.0,
                open_disputes=disputes["open"].get(partner.id, 0),
                disputes_12m=disputes["year"].get(partner.id, 0),
                overdue_now=overdue_now.get(partner.id, 0.0),
                overdue_before=None
                if overdue_before is None
                else overdue_before.get(partner.id, 0.0),
                worst_grade=partner.credit_grade_id.block_new_sales,
            )
        return result

    @api.model
    def _segment_dispute_counts(self, company, partners, today):
        """Open disputes and disputes opened in the last 12 months, by customer."""
        disputes = self.env["collection.dispute"].sudo()
        base = [("company_id", "=", company.id), ("partner_id", "in", partners.ids)]
        year_ago = fields.Datetime.to_datetime(today - relativedelta(years=1))
        return {
            key: {
                partner.id: count
                for partner, count in disputes._read_group(
                    base + domain, ["partner_id"], ["__count"]
                )
            }
            for key, domain in (
                ("open", [("state", "=", "open")]),
                ("year", [("create_date", ">=", year_ago)]),
            )
        }

    @api.model
    def _segment_overdue_trend(self, company, partners, today):
        """Overdue by customer at the last month-end snapshot on or before ``today`` and at
        the snapshot three months before it (``None`` when there is none: no trend)."""
        Snapshot = self.env["credit.receivable.snapshot"].sudo()
        last = Snapshot.search(
            [("company_id", "=", company.id), ("date", "<=", today)], order="date desc", limit=1
        )
        if not last:
            return {}, None
        before = last.date + relativedelta(months=-customer_segments.TREND_MONTHS, day=31)
        has_before = bool(
            Snapshot.search_count([("company_id", "=", company.id), ("date", "=", before)])
        )
        rows = (
            self.env["credit.receivable.snapshot.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("date", "in", [last.date, before]),
                    ("bucket", "!=", "0"),
                    ("partner_id", "in", partners.ids),
                ],
                ["partner_id", "date:day"],
                ["amount:sum"],
            )
        )
        now, then = defaultdict(float), defaultdict(float)
        for partner, day, amount in rows:
            (now if day == last.date else then)[partner.id] += amount
        return now, (then if has_before else None)

    def _assign_segments(self, company, behaviour, today):
        """Type the commercial partners ``self`` in ``company`` from ``behaviour`` (as
        ``_get_segment_behaviour`` gives it): write the types that change, one write per
        type, and one history row per change, all created at once. A second run with the
        same figures changes nothing. Returns the partners whose type changed."""
        by_code = self.env["credit.customer.segment"].sudo()._by_code(company)
        partners = self.with_company(company).sudo()
        changes = defaultdict(list)
        history = []
        for partner in partners:
            if partner.id not in behaviour:
                continue
            figures = behaviour[partner.id]
            segment = by_code.get(customer_segments.segment_for(figures))
            if not segment or segment == partner.customer_segment_id:
                continue
            changes[segment].append(partner.id)
            history.append(self._segment_history_vals(partner, company, segment, figures, today))
        for segment, ids in changes.items():
            partners.browse(ids).write({"customer_segment_id": segment.id})
        self.env["credit.customer.segment.history"].sudo().create(history)
        return self.browse([pid for ids in changes.values() for pid in ids])

    @api.model
    def _segment_history_vals(self, partner, company, segment, figures, today):
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "date": today,
            "segment_id": segment.id,
            "previous_segment_id": partner.customer_segment_id.id,
            "on_time_share": figures.on_time_share or 0.0,
            "avg_days_late": figures.avg_days_late or 0.0,
            "max_days_overdue": figures.max_days_overdue,
            "invoice_count": figures.invoice_count,
            "open_disputes": figures.open_disputes,
            "disputes_12m": figures.disputes_12m,
            "overdue_now": figures.overdue_now,
            "overdue_before": figures.overdue_before or 0.0,
        }

    @api.model
    def _get_segment_counts(self, company):
        """``{segment: (customers, amount owed)}`` of ``company`` in one query: the customers
        of each type and what they owe today (open receivables, company currency), for the
        dashboard. Customers without a type are left out."""
        self.flush_model(["customer_segment_id"])
        items = self.env["credit.receivable.query"]._open_items_sql(
            fields.Date.context_today(self), company.ids
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT (p.customer_segment_id ->> %(key)s)::int, COUNT(DISTINCT p.id),
                       COALESCE(SUM(items.amount_residual), 0)
                  FROM res_partner p
             LEFT JOIN (%(items)s) AS items ON items.partner_id = p.id
                 WHERE p.customer_segment_id ? %(key)s
                   AND (p.customer_segment_id ->> %(key)s) IS NOT NULL
              GROUP BY 1
                """,
                key=str(company.id),
                items=items,
            )
        )
        segments = self.env["credit.customer.segment"].browse(row[0] for row in rows)
        return {
            segment: (count, company.currency_id.round(amount))
            for segment, (_id, count, amount) in zip(segments, rows, strict=True)
        }
