from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .credit_decision_mixin import CREDIT_MANAGER_GROUP

# the figures of a row that are counts, and those that are amounts in company currency
COUNTS = (
    "promise_count",
    "promise_kept_count",
    "log_count",
    "case_closed_count",
    "promise_broken_count",
    "promise_followed_count",
)
AMOUNTS = ("amount_collected", "amount_target", "promise_amount", "promise_kept_amount")


class CollectionAppraisal(models.TransientModel):
    """One collector's appraisal (催收员考核) in a company over a period: a row of the ranking
    and the record its printable sheet is made of.

    The period is a parameter, so the rows cannot be a database view: like the aging lines,
    they are written by a wizard (``collection.appraisal.wizard``) from one computation,
    ``_get_appraisal_rows``, which the ranking, the sheet and any dashboard share. Rows are
    read only: the wizard creates them as superuser after the computation checked who may
    see what, so nobody prints a sheet with figures of their own making.

    Two kinds of figures, each attributed the way the work is done:

    - the portfolio's: cash collected, CEI and ADD follow the customers a collector owns
      (the customer's collector in the company, else the company's default collector), as
      the receivables KPIs group them; cases closed follow the case's collector;
    - the collector's own work: promises made (and kept) follow who made them, contacts
      who logged them.
    """

    _name = "collection.appraisal"
    _description = "Collector Appraisal"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    wizard_id = fields.Many2one(
        "collection.appraisal.wizard", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(readonly=True)
    rank = fields.Integer(
        readonly=True,
        aggregator=False,
        help="Place in the ranking of the period: by share of the target collected, then by "
        "cash collected. Customers without a collector are not ranked.",
    )
    user_id = fields.Many2one("res.users", string="Collector", readonly=True, index=True)
    name = fields.Char(string="Collector Name", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    followup_days = fields.Integer(string="Follow-up Window (days)", readonly=True)
    amount_collected = fields.Monetary(
        string="Cash Collected",
        readonly=True,
        currency_field="currency_id",
        help="Payments matched in the period with invoices of the customers the collector "
        "owns (credit notes, write-offs and exchange differences are no cash).",
    )
    amount_target = fields.Monetary(
        string="Target",
        readonly=True,
        currency_field="currency_id",
        help="The monthly targets of the period, each month in proportion to its days in it.",
    )
    target_rate = fields.Float(
        string="% of Target", readonly=True, aggregator=False, help="Cash collected / target."
    )
    cei = fields.Float(
        string="CEI (%)",
        readonly=True,
        aggregator=False,
        help="Collection effectiveness index of the collector's customers in the period.",
    )
    cei_known = fields.Boolean(string="CEI Known", readonly=True)
    days_delinquent = fields.Float(
        string="ADD (days)",
        readonly=True,
        aggregator=False,
        help="Average days delinquent of the collector's customers: DSO minus best possible "
        "DSO at the end of the period.",
    )
    days_delinquent_known = fields.Boolean(string="ADD Known", readonly=True)
    promise_count = fields.Integer(
        string="Promises Made",
        readonly=True,
        help="Promises to pay the collector recorded in the period.",
    )
    promise_amount = fields.Monetary(
        string="Amount Promised", readonly=True, currency_field="currency_id"
    )
    promise_kept_count = fields.Integer(
        string="Promises Kept", readonly=True, help="Of the promises made, those kept."
    )
    promise_kept_amount = fields.Monetary(
        string="Amount Kept", readonly=True, currency_field="currency_id"
    )
    log_count = fields.Integer(string="Contacts Logged", readonly=True)
    case_closed_count = fields.Integer(
        string="Cases Closed",
        readonly=True,
        help="The collector's cases closed in the period: paid, written off or closed.",
    )
    promise_broken_count = fields.Integer(
        string="Broken Promises",
        readonly=True,
        help="Promises the collector made, due in the period and broken.",
    )
    promise_followed_count = fields.Integer(
        string="Followed Up in Time",
        readonly=True,
        help="Broken promises whose case got a contact within the follow-up window after "
        "the promised date.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("name", "date_from", "date_to")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._(
                "Appraisal of %(collector)s, %(date_from)s - %(date_to)s",
                collector=row.name or "",
                date_from=row.date_from or "",
                date_to=row.date_to or "",
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print_sheet(self):
        return self.env.ref("credit_collection.action_report_collection_appraisal").report_action(
            self
        )

    def action_open_sheet(self):
        """The sheet on screen (the report's HTML, with its Print button)."""
        action = self.action_print_sheet()
        return dict(action, report_type="qweb-html")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_appraisal_rows(self, company, date_from, date_to):
        """The ranking of ``company``'s collectors from ``date_from`` to ``date_to``
        (both included), as a list of dicts in ranking order.

        Each dict holds the fields of this model (``user_id`` an id, False for the
        customers without a collector; ``rank`` 0 for them; ``target_rate``, ``cei`` and
        ``days_delinquent`` None when unknown) and ``name``. A credit manager gets every
        row; anyone else who may read appraisals (a collector) gets their own row only,
        with their rank among all. A constant number of queries, whatever the number of
        invoices, promises, contacts or collectors.
        """
        date_from, date_to = company._check_receivable_kpi_period(date_from, date_to)
        self._check_appraisal_access(company)
        figures = self.sudo()._get_appraisal_figures(company, date_from, date_to)
        rows = self._rank_rows(self._build_rows(company, date_from, date_to, figures))
        if self.env.su or self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return rows
        return [row for row in rows if row["user_id"] == self.env.uid]

    @api.model
    def _get_appraisal_figures(self, company, date_from, date_to):
        """``{figure: {collector id or False: value}}``, one query (or _read_group) each."""
        kpis = company._get_receivable_kpis_grouped(date_from, date_to, "collector_id")
        cash = self.env["credit.receivable.query"]._get_kpi_cash_received(
            date_from, date_to, company.ids, "collector_id"
        )
        figures = {
            "amount_collected": cash,
            "cei": {key: kpi["cei"] for key, kpi in kpis.items()},
            "days_delinquent": {key: kpi["add"] for key, kpi in kpis.items()},
            "amount_target": self.env["collection.target"]._get_targets(
                company, date_from, date_to
            ),
            **self._get_promise_figures(company, date_from, date_to),
            **self._get_broken_promise_figures(company, date_from, date_to),
        }
        start, stop = self._utc_bounds(date_from, date_to)
        figures["log_count"] = self._count_by(
            "collection.log",
            [("company_id", "=", company.id), ("date", ">=", start), ("date", "<", stop)],
            "user_id",
        )
        figures["case_closed_count"] = self._count_by(
            "collection.case",
            [
                ("company_id", "=", company.id),
                ("date_closed", ">=", date_from),
                ("date_closed", "<=", date_to),
            ],
            "user_id",
        )
        return {
            name: {key or False: value for key, value in values.items()}
            for name, values in figures.items()
        }

    @api.model
    def _get_promise_figures(self, company, date_from, date_to):
        """Promises made in the period, by who made them: count and amount, all and kept."""
        start, stop = self._utc_bounds(date_from, date_to)
        groups = self.env["collection.promise"]._read_group(
            [
                ("company_id", "=", company.id),
                ("create_date", ">=", start),
                ("create_date", "<", stop),
            ],
            ["create_uid", "state"],
            ["__count", "amount:sum"],
        )
        figures = {name: {} for name in COUNTS[:2] + AMOUNTS[2:]}
        for user, state, count, amount in groups:
            kinds = [("promise_count", "promise_amount")]
            if state == "kept":
                kinds.append(("promise_kept_count", "promise_kept_amount"))
            for count_name, amount_name in kinds:
                figures[count_name][user.id] = figures[count_name].get(user.id, 0) + count
                figures[amount_name][user.id] = figures[amount_name].get(user.id, 0.0) + amount
        return figures

    @api.model
    def _get_broken_promise_figures(self, company, date_from, date_to):
        """Promises due in the period and broken, by who made them, and how many of them
        were followed up: their case got a contact (by anyone) within the company's
        follow-up days after the promised date, days read in the user's time zone."""
        self.env["collection.promise"].flush_model(
            ["company_id", "state", "date_promised", "case_id", "create_uid"]
        )
        self.env["collection.log"].flush_model(["case_id", "date"])
        sql = SQL(
            """SELECT promise.create_uid, COUNT(*),
                      COUNT(*) FILTER (WHERE EXISTS (
                          SELECT 1 FROM collection_log AS log
                           WHERE log.case_id = promise.case_id
                             AND (log.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                                 BETWEEN promise.date_promised + 1
                                     AND promise.date_promised + %(days)s))
                 FROM collection_promise AS promise
                WHERE promise.company_id = %(company)s AND promise.state = 'broken'
                  AND promise.date_promised BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY promise.create_uid""",
            tz=str(self.env.tz),
            days=company.collection_followup_days,
            company=company.id,
            date_from=date_from,
            date_to=date_to,
        )
        figures = {"promise_broken_count": {}, "promise_followed_count": {}}
        for user_id, broken, followed in self.env.execute_query(sql):
            figures["promise_broken_count"][user_id] = broken
            figures["promise_followed_count"][user_id] = followed
        return figures

    @api.model
    def _build_rows(self, company, date_from, date_to, figures):
        """One dict per collector found in any figure (a target alone is enough)."""
        keys = set().union(*figures.values())
        users = self.env["res.users"].sudo().browse(key for key in keys if key)
        names = {user.id: user.name for user in users}
        names[False] = self.env._("Unassigned")
        rows = []
        for key in keys:
            row = {
                "user_id": key,
                "name": names[key],
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "date_from": date_from,
                "date_to": date_to,
                "followup_days": company.collection_followup_days,
                "cei": figures["cei"].get(key),
                "days_delinquent": figures["days_delinquent"].get(key),
            }
            row.update({name: figures[name].get(key, 0) for name in COUNTS})
            row.update({name: figures[name].get(key, 0.0) for name in AMOUNTS})
            target = company.currency_id.round(row["amount_target"])
            row["amount_target"] = target
            row["target_rate"] = row["amount_collected"] / target if target > 0 else None
            rows.append(row)
        return rows

    @api.model
    def _rank_rows(self, rows):
        """Ranked by share of the target collected, then cash collected; collectors without
        a target after those with one, the customers without a collector last, unranked."""

        def key(row):
            rate = row["target_rate"]
            return (
                not row["user_id"],
                rate is None,
                -(rate or 0.0),
                -row["amount_collected"],
                row["name"],
            )

        rows = sorted(rows, key=key)
        rank = 0
        for sequence, row in enumerate(rows):
            row["sequence"] = sequence
            if row["user_id"]:
                rank += 1
            row["rank"] = rank if row["user_id"] else 0
        return rows

    @api.model
    def _prepare_row_vals(self, row, wizard):
        """The values of a row record from a dict of ``_get_appraisal_rows``."""
        vals = {
            name: value
            for name, value in row.items()
            if name in self._fields and name not in ("currency_id", "cei", "days_delinquent")
        }
        vals.update(
            wizard_id=wizard.id,
            cei=row["cei"] or 0.0,
            cei_known=row["cei"] is not None,
            days_delinquent=row["days_delinquent"] or 0.0,
            days_delinquent_known=row["days_delinquent"] is not None,
            target_rate=row["target_rate"] or 0.0,
        )
        return vals

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _check_appraisal_access(self, company):
        """Collectors and credit managers read appraisals (access rights of this model),
        of the companies they work for."""
        if self.env.su:
            return
        self.check_access("read")
        if company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You do not work for %(company)s: its collectors' appraisal is not "
                    "yours to read.",
                    company=company.name,
                )
            )

    @api.model
    def _count_by(self, model, domain, group):
        return {
            record.id: count
            for record, count in self.env[model]._read_group(domain, [group], ["__count"])
        }

    @api.model
    def _utc_bounds(self, date_from, date_to):
        """The period's first and last day as UTC datetimes (from midnight of the first day
        to midnight after the last one, in the user's time zone), to compare datetimes."""
        tz = self.env.tz

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))
