from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import aging_buckets

# columns of the open items an aging can be summed by, and the model of their ids
AGING_GROUPS = {
    "partner_id": "res.partner",
    "user_id": "res.users",
    "collector_id": "res.users",
    "grade_id": "credit.grade",
}


class CreditAgingQuery(models.AbstractModel):
    """The one query layer of the aging: screen, PDF, Excel and statements read through it.

    An item's open amount at a date is its balance minus the partial reconciliations whose
    both sides existed at that date (``max_date <= as_of``): a payment or credit note
    received after the date does not count, and an unreconciled payment is a negative open
    item. Summed over all receivable lines this is the receivable balance at that date,
    because every partial counted takes the same amount off its debit and its credit side.
    It is computed as Odoo's stored residual plus the partials made after the date.
    """

    _name = "credit.receivable.query"
    _description = "Receivables query layer"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_open_items(self, as_of, company_ids, basis="due", limits=None, partner_ids=None):
        """One dict per receivable line open at ``as_of``, oldest first."""
        sql = SQL(
            "SELECT * FROM (%s) AS items ORDER BY partner_id, reference_date, move_line_id",
            self._open_items_sql(as_of, company_ids, basis, limits, partner_ids),
        )
        columns = self._open_item_columns()
        return [dict(zip(columns, row, strict=True)) for row in self.env.execute_query(sql)]

    @api.model
    def _get_bucket_totals(
        self,
        as_of,
        company_ids,
        basis="due",
        limits=None,
        partner_ids=None,
        *,
        group_by="partner_id",
    ):
        """Open amounts in company currency summed in the database per (group, company, bucket).

        Returns ``{(group id, company_id): [amount per bucket]}`` aligned with the labels of
        ``limits``; the group is the customer unless ``group_by`` names another column of the
        open items (``user_id``, ``collector_id``, ``grade_id``).
        """
        if group_by not in AGING_GROUPS:
            raise ValueError(f"cannot group the aging by {group_by!r}")
        limits = tuple(limits or aging_buckets.DEFAULT_LIMITS)
        sql = SQL(
            """SELECT %(group)s, company_id, bucket, SUM(amount_residual)
                 FROM (%(items)s) AS items
             GROUP BY %(group)s, company_id, bucket""",
            group=SQL.identifier(group_by),
            items=self._open_items_sql(as_of, company_ids, basis, limits, partner_ids),
        )
        totals = {}
        for group_id, company_id, bucket, amount in self.env.execute_query(sql):
            row = totals.setdefault((group_id, company_id), [0.0] * (len(limits) + 1))
            row[bucket] += float(amount)
        return totals

    @api.model
    def _open_item_columns(self):
        return (
            "move_line_id",
            "move_id",
            "company_id",
            "partner_id",
            "user_id",
            "collector_id",
            "grade_id",
            "currency_id",
            "company_currency_id",
            "date",
            "date_maturity",
            "reference_date",
            "days_overdue",
            "bucket",
            "amount_residual",
            "amount_residual_currency",
        )

    @api.model
    def _open_items_sql(self, as_of, company_ids, basis="due", limits=None, partner_ids=None):
        """The SQL of the open items, columns as ``_open_item_columns``; callers wrap it.

        Odoo stores what is open today (``amount_residual``, ``reconciled``). What was open
        at ``as_of`` is that plus what the partial reconciliations made after the date took
        off. So the query reads the unreconciled receivable lines (a partial index of
        Odoo's covers them) and the few lines a later reconciliation touched, instead of
        every receivable line ever posted and all their reconciliations.

        The collector is the customer's own in that company, else the company's; the grade
        is the customer's credit grade.
        """
        limits = list(limits or aging_buckets.DEFAULT_LIMITS)
        as_of = fields.Date.to_date(as_of)
        self._flush_for_aging()
        domain = [
            ("parent_state", "=", "posted"),
            ("date", "<=", as_of),
            ("company_id", "in", list(company_ids)),
        ]
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        query = self.env["account.move.line"]._search(domain, bypass_access=True)
        aml = SQL.identifier(query.table)
        reference = SQL.identifier(
            query.table, "date_maturity" if basis == "due" else "invoice_date"
        )
        # the receivable accounts as literals: the planner then reads the open lines through
        # Odoo's partial index on (account_id, partner_id) WHERE reconciled IS NOT TRUE
        accounts = tuple(
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("account_type", "=", "asset_receivable")])
            .ids
        ) or (0,)
        columns = SQL(
            """%(aml)s.id AS move_line_id,
               %(aml)s.move_id,
               %(aml)s.company_id,
               %(aml)s.partner_id,
               %(aml)s.currency_id,
               %(aml)s.company_currency_id,
               %(aml)s.date,
               %(aml)s.date_maturity,
               COALESCE(%(reference)s, %(aml)s.date) AS reference_date,
               %(aml)s.amount_residual + COALESCE(late.amount, 0) AS amount_residual,
               %(aml)s.amount_residual_currency + COALESCE(late.amount_currency, 0)
                   AS amount_residual_currency""",
            aml=aml,
            reference=reference,
        )
        return SQL(
            """
            WITH late AS (
                SELECT line_id, SUM(amount) AS amount, SUM(amount_currency) AS amount_currency
                  FROM (
                        SELECT debit_move_id AS line_id, amount,
                               debit_amount_currency AS amount_currency
                          FROM account_partial_reconcile
                         WHERE max_date > %(as_of)s AND company_id IN %(companies)s
                     UNION ALL
                        SELECT credit_move_id, -amount, -credit_amount_currency
                          FROM account_partial_reconcile
                         WHERE max_date > %(as_of)s AND company_id IN %(companies)s
                  ) AS partials
              GROUP BY line_id
            ), lines AS (
                SELECT %(columns)s
                  FROM %(from_clause)s
             LEFT JOIN late ON late.line_id = %(aml)s.id
                 WHERE %(aml)s.account_id IN %(accounts)s AND %(aml)s.reconciled IS NOT TRUE
                   AND %(where)s
             UNION ALL
                SELECT %(columns)s
                  FROM %(from_clause)s
                  JOIN late ON late.line_id = %(aml)s.id
                 WHERE %(aml)s.account_id IN %(accounts)s AND %(aml)s.reconciled IS TRUE
                   AND %(where)s
            )
            SELECT lines.move_line_id, lines.move_id, lines.company_id, lines.partner_id,
                   (SELECT invoice_user_id FROM account_move WHERE id = lines.move_id)
                       AS user_id,
                   COALESCE(
                       (partner.collection_user_id ->> lines.company_id::text)::int,
                       company.collection_user_id
                   ) AS collector_id,
                   (partner.credit_grade_id ->> lines.company_id::text)::int AS grade_id,
                   lines.currency_id, lines.company_currency_id, lines.date,
                   lines.date_maturity, lines.reference_date,
                   %(as_of)s::date - lines.reference_date AS days_overdue,
                   width_bucket(%(as_of)s::date - lines.reference_date - 1, %(limits)s::int[])
                       AS bucket,
                   lines.amount_residual, lines.amount_residual_currency
              FROM lines
              JOIN res_company AS company ON company.id = lines.company_id
         LEFT JOIN res_partner AS partner ON partner.id = lines.partner_id
             WHERE lines.amount_residual != 0 OR lines.amount_residual_currency != 0
            """,
            as_of=as_of,
            companies=tuple(company_ids),
            accounts=accounts,
            aml=aml,
            columns=columns,
            limits=limits,
            where=query.where_clause or SQL("TRUE"),
            from_clause=query.from_clause,
        )

    @api.model
    def _get_receivable_balance(self, as_of, company_ids, partner_ids=None):
        """Ledger balance of the receivable accounts at a date, straight from journal items.

        Independent of the partial reconciliations: it is the figure the aging must add up to.
        """
        domain = [
            ("parent_state", "=", "posted"),
            ("date", "<=", as_of),
            ("company_id", "in", list(company_ids)),
            ("account_id.account_type", "=", "asset_receivable"),
        ]
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        [(balance,)] = self.env["account.move.line"]._read_group(domain, aggregates=["balance:sum"])
        return balance or 0.0

    def _flush_for_aging(self):
        self.env["account.move.line"].flush_model(
            [
                "move_id",
                "company_id",
                "partner_id",
                "currency_id",
                "date",
                "date_maturity",
                "invoice_date",
                "balance",
                "amount_currency",
                "amount_residual",
                "amount_residual_currency",
                "reconciled",
                "account_id",
                "parent_state",
            ]
        )
        self.env["account.move"].flush_model(["invoice_user_id"])
        self.env["res.partner"].flush_model(["collection_user_id", "credit_grade_id"])
        self.env["res.company"].flush_model(["collection_user_id"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["account.partial.reconcile"].flush_model()

    # ------------------------------------------------------------
    # COLLECTIONS (read by collection.case; apart from the report's own methods)
    # ------------------------------------------------------------

    @api.model
    def _get_collection_totals(self, as_of, company_ids, partner_ids):
        """What each customer owes at ``as_of``, read from the same open items as the aging.

        Returns ``{(partner_id, company_id): (due, overdue, days)}`` in company currency: due
        is the sum of every bucket, overdue the sum of every bucket but "not due", days the
        age of the oldest overdue item still owed (0 when nothing is overdue). One query.
        """
        if not partner_ids:
            return {}
        sql = SQL(
            """SELECT partner_id, company_id, SUM(amount_residual),
                      COALESCE(SUM(amount_residual) FILTER (WHERE days_overdue > 0), 0),
                      COALESCE(MAX(days_overdue)
                               FILTER (WHERE days_overdue > 0 AND amount_residual > 0), 0)
                 FROM (%s) AS items
             GROUP BY partner_id, company_id""",
            self._open_items_sql(as_of, company_ids, partner_ids=partner_ids),
        )
        return {
            (partner_id, company_id): (float(due), float(overdue), days)
            for partner_id, company_id, due, overdue, days in self.env.execute_query(sql)
        }
