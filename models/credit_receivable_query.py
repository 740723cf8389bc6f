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

    # ------------------------------------------------------------
    # KPI
    # ------------------------------------------------------------
    # The sums the receivables KPIs are made of (tools/receivable_kpis.py turns them into
    # ratios). Each is one set-based query whatever the number of groups; the groups are
    # columns of the open items: company_id, partner_id (the commercial partner),
    # user_id (salesperson), collector_id, grade_id, currency_id (the document's).

    @api.model
    def _kpi_group_columns(self):
        """The open-item columns the KPIs can be grouped by, with the model of their ids."""
        return {
            "company_id": "res.company",
            "partner_id": "res.partner",
            "user_id": "res.users",
            "collector_id": "res.users",
            "grade_id": "credit.grade",
            "currency_id": "res.currency",
        }

    @api.model
    def _kpi_group(self, group_by):
        if group_by not in self._kpi_group_columns():
            raise ValueError(f"cannot group receivables KPIs by {group_by!r}")
        return SQL.identifier(group_by)

    @api.model
    def _get_kpi_receivables(self, as_of, company_ids, group_by, partner_ids=None):
        """AR and current AR at the end of ``as_of`` per group: ``{group id: (ar, current)}``.

        AR is the aging's total (every open item of ``_open_items_sql``), current AR its part
        not yet due at that date (``days_overdue <= 0``, aged by due date). One query.
        """
        sql = SQL(
            """SELECT %(group)s, SUM(amount_residual),
                      COALESCE(SUM(amount_residual) FILTER (WHERE days_overdue <= 0), 0)
                 FROM (%(items)s) AS items
             GROUP BY %(group)s""",
            group=self._kpi_group(group_by),
            items=self._open_items_sql(as_of, company_ids, partner_ids=partner_ids),
        )
        return {
            group_id: (float(ar), float(current))
            for group_id, ar, current in self.env.execute_query(sql)
        }

    @api.model
    def _get_kpi_credit_sales(self, date_from, date_to, company_ids, group_by, partner_ids=None):
        """Credit sales per group and calendar month: ``{group id: {first day of month: S}}``.

        Posted customer invoices minus customer credit notes whose invoice date is in the
        period, taxes included, in company currency (``amount_total_signed``). One query.
        """
        self._flush_for_kpis()
        rows = SQL(
            """SELECT move.id AS move_id, move.company_id,
                      move.commercial_partner_id AS partner_id, move.currency_id,
                      move.invoice_date AS date, move.amount_total_signed AS amount
                 FROM account_move AS move
                WHERE move.state = 'posted' AND move.move_type IN ('out_invoice', 'out_refund')
                  AND move.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                  AND move.company_id IN %(companies)s
                  AND %(partners)s""",
            date_from=date_from,
            date_to=date_to,
            companies=tuple(company_ids),
            partners=self._kpi_partner_filter(SQL("move.commercial_partner_id"), partner_ids),
        )
        sql = SQL(
            """SELECT %(group)s, date_trunc('month', date)::date, SUM(amount)
                 FROM (%(rows)s) AS kpi_rows
             GROUP BY 1, 2""",
            group=self._kpi_group(group_by),
            rows=self._kpi_dimensions_sql(rows),
        )
        sales = {}
        for group_id, month, amount in self.env.execute_query(sql):
            sales.setdefault(group_id, {})[month] = float(amount)
        return sales

    @api.model
    def _get_kpi_cash_received(self, date_from, date_to, company_ids, group_by, partner_ids=None):
        """Cash received on receivables per group in the period: ``{group id: amount}``.

        The partial reconciliations dated (``max_date``) in the period between a receivable
        line that is not itself a payment (an invoice, a journal entry: the debit side) and
        the receivable line of a payment or bank statement line (the credit side), in company
        currency, grouped by the paid line. A credit note settling an invoice is no cash: it
        is left out here because it is already in the period's credit sales (or earlier AR)
        with its minus sign, so that AR(start - 1) + S - cash = AR(end) when nothing else
        moved. Write-offs and exchange differences are no cash either. One query.
        """
        self._flush_for_kpis()
        rows = SQL(
            """SELECT paid.move_id, paid.company_id, paid.partner_id, paid.currency_id,
                      apr.max_date AS date, apr.amount
                 FROM account_partial_reconcile AS apr
                 JOIN account_move_line AS paid ON paid.id = apr.debit_move_id
                 JOIN account_move AS paid_move ON paid_move.id = paid.move_id
                 JOIN account_move_line AS payment ON payment.id = apr.credit_move_id
                 JOIN account_move AS payment_move ON payment_move.id = payment.move_id
                WHERE apr.max_date BETWEEN %(date_from)s AND %(date_to)s
                  AND apr.company_id IN %(companies)s
                  AND paid.account_id IN %(accounts)s AND payment.account_id IN %(accounts)s
                  AND paid.parent_state = 'posted' AND payment.parent_state = 'posted'
                  AND (payment_move.origin_payment_id IS NOT NULL
                       OR payment_move.statement_line_id IS NOT NULL)
                  AND paid_move.origin_payment_id IS NULL AND paid_move.statement_line_id IS NULL
                  AND %(partners)s""",
            date_from=date_from,
            date_to=date_to,
            companies=tuple(company_ids),
            accounts=self._kpi_receivable_accounts(),
            partners=self._kpi_partner_filter(SQL("paid.partner_id"), partner_ids),
        )
        return self._kpi_sum(rows, group_by)

    @api.model
    def _get_kpi_paid_invoices(self, date_from, date_to, company_ids, group_by, partner_ids=None):
        """Invoices fully paid in the period per group: ``{group id: (amount, amount x days)}``.

        An invoice is fully paid when every receivable line of it is reconciled, on the date
        of the last partial reconciliation of those lines (the greatest ``max_date``, as the
        payment behaviour of the credit evaluation reads it); its days are that date minus
        its invoice date, its amount ``amount_total_signed`` (company currency). The invoices
        are found from the partials dated in the period. One query.
        """
        self._flush_for_kpis()
        rows = SQL(
            """WITH touched AS (
                   SELECT DISTINCT line.move_id
                     FROM account_partial_reconcile AS apr
                     JOIN account_move_line AS line ON line.id = apr.debit_move_id
                    WHERE apr.max_date BETWEEN %(date_from)s AND %(date_to)s
                      AND apr.company_id IN %(companies)s
                      AND line.account_id IN %(accounts)s AND line.reconciled
               ), settled AS (
                   SELECT line.move_id, BOOL_AND(line.reconciled) AS reconciled,
                          MAX(apr.max_date) AS paid_date
                     FROM touched
                     JOIN account_move_line AS line
                          ON line.move_id = touched.move_id AND line.account_id IN %(accounts)s
                LEFT JOIN account_partial_reconcile AS apr ON apr.debit_move_id = line.id
                 GROUP BY line.move_id
               )
               SELECT move.id AS move_id, move.company_id,
                      move.commercial_partner_id AS partner_id, move.currency_id,
                      settled.paid_date AS date, move.amount_total_signed AS amount,
                      settled.paid_date - move.invoice_date AS days
                 FROM settled
                 JOIN account_move AS move ON move.id = settled.move_id
                WHERE settled.reconciled
                  AND settled.paid_date BETWEEN %(date_from)s AND %(date_to)s
                  AND move.state = 'posted' AND move.move_type = 'out_invoice'
                  AND %(partners)s""",
            date_from=date_from,
            date_to=date_to,
            companies=tuple(company_ids),
            accounts=self._kpi_receivable_accounts(),
            partners=self._kpi_partner_filter(SQL("move.commercial_partner_id"), partner_ids),
        )
        sql = SQL(
            """SELECT %(group)s, SUM(amount), SUM(amount * days)
                 FROM (%(rows)s) AS kpi_rows
             GROUP BY %(group)s""",
            group=self._kpi_group(group_by),
            rows=self._kpi_dimensions_sql(rows),
        )
        return {
            group_id: (float(amount), float(amount_days))
            for group_id, amount, amount_days in self.env.execute_query(sql)
        }

    @api.model
    def _kpi_sum(self, rows, group_by):
        sql = SQL(
            "SELECT %(group)s, SUM(amount) FROM (%(rows)s) AS kpi_rows GROUP BY %(group)s",
            group=self._kpi_group(group_by),
            rows=self._kpi_dimensions_sql(rows),
        )
        return {group_id: float(amount) for group_id, amount in self.env.execute_query(sql)}

    @api.model
    def _kpi_dimensions_sql(self, rows):
        """``rows`` (with ``move_id, company_id, partner_id, currency_id``) plus the other
        group columns, read as the open items read them: the salesperson of the move, the
        customer's collector in that company (else the company's), the customer's grade."""
        return SQL(
            """SELECT rows.*,
                      (SELECT invoice_user_id FROM account_move WHERE id = rows.move_id)
                          AS user_id,
                      COALESCE(
                          (partner.collection_user_id ->> rows.company_id::text)::int,
                          company.collection_user_id
                      ) AS collector_id,
                      (partner.credit_grade_id ->> rows.company_id::text)::int AS grade_id
                 FROM (%s) AS rows
                 JOIN res_company AS company ON company.id = rows.company_id
            LEFT JOIN res_partner AS partner ON partner.id = rows.partner_id""",
            rows,
        )

    @api.model
    def _kpi_partner_filter(self, column, partner_ids):
        if not partner_ids:
            return SQL("TRUE")
        return SQL("%s IN %s", column, tuple(partner_ids))

    @api.model
    def _kpi_receivable_accounts(self):
        return tuple(
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("account_type", "=", "asset_receivable")])
            .ids
        ) or (0,)

    def _flush_for_kpis(self):
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "invoice_date",
                "amount_total_signed",
                "company_id",
                "commercial_partner_id",
                "currency_id",
                "invoice_user_id",
                "origin_payment_id",
                "statement_line_id",
            ]
        )
        self.env["account.move.line"].flush_model(
            [
                "move_id",
                "account_id",
                "company_id",
                "partner_id",
                "currency_id",
                "reconciled",
                "parent_state",
            ]
        )
        self.env["account.partial.reconcile"].flush_model()
        self.env["res.partner"].flush_model(["collection_user_id", "credit_grade_id"])
        self.env["res.company"].flush_model(["collection_user_id"])
        self.env["account.account"].flush_model(["account_type"])
