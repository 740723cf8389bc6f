from odoo import api, models
from odoo.tools import SQL


class CreditReceivableQuery(models.AbstractModel):
    """The sums the receivables KPIs are made of, from the query layer's fragments."""

    _inherit = "credit.receivable.query"

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
            partners=self._partner_filter_sql(SQL("move.commercial_partner_id"), partner_ids),
        )
        sql = SQL(
            """SELECT %(group)s, date_trunc('month', date)::date, SUM(amount)
                 FROM (%(rows)s) AS kpi_rows
             GROUP BY 1, 2""",
            group=self._kpi_group(group_by),
            rows=self._with_dimensions_sql(rows),
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
        accounts = self._receivable_account_ids()
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
                  AND %(paid_receivable)s AND %(payment_receivable)s
                  AND paid.parent_state = 'posted' AND payment.parent_state = 'posted'
                  AND (payment_move.origin_payment_id IS NOT NULL
                       OR payment_move.statement_line_id IS NOT NULL)
                  AND paid_move.origin_payment_id IS NULL AND paid_move.statement_line_id IS NULL
                  AND %(partners)s""",
            date_from=date_from,
            date_to=date_to,
            companies=tuple(company_ids),
            paid_receivable=self._receivable_accounts_sql(SQL("paid.account_id"), accounts),
            payment_receivable=self._receivable_accounts_sql(SQL("payment.account_id"), accounts),
            partners=self._partner_filter_sql(SQL("paid.partner_id"), partner_ids),
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
        accounts = self._receivable_account_ids()
        rows = SQL(
            """WITH touched AS (
                   SELECT DISTINCT line.move_id
                     FROM account_partial_reconcile AS apr
                     JOIN account_move_line AS line ON line.id = apr.debit_move_id
                    WHERE apr.max_date BETWEEN %(date_from)s AND %(date_to)s
                      AND apr.company_id IN %(companies)s
                      AND %(touched_receivable)s AND line.reconciled
               ), settled AS (
                   SELECT line.move_id, BOOL_AND(line.reconciled) AS reconciled,
                          MAX(apr.max_date) AS paid_date
                     FROM touched
                     JOIN account_move_line AS line
                          ON line.move_id = touched.move_id AND %(settled_receivable)s
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
            touched_receivable=self._receivable_accounts_sql(SQL("line.account_id"), accounts),
            settled_receivable=self._receivable_accounts_sql(SQL("line.account_id"), accounts),
            partners=self._partner_filter_sql(SQL("move.commercial_partner_id"), partner_ids),
        )
        sql = SQL(
            """SELECT %(group)s, SUM(amount), SUM(amount * days)
                 FROM (%(rows)s) AS kpi_rows
             GROUP BY %(group)s""",
            group=self._kpi_group(group_by),
            rows=self._with_dimensions_sql(rows),
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
            rows=self._with_dimensions_sql(rows),
        )
        return {group_id: float(amount) for group_id, amount in self.env.execute_query(sql)}

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

    # ------------------------------------------------------------
    # CASH-IN FORECAST (credit.cashin.forecast, credit.cashin.report)
    # ------------------------------------------------------------

    @api.model
    def _cash_received_by_day_sql(self):
        """The cash received on receivables per company, currency (the paid invoice's) and
        day: ``company_id, currency_id, date, amount`` (company currency), ``amount_currency``,
        for the cash-in report's actuals. The same cash as ``_get_kpi_cash_received``: the
        partials between a receivable line that is no payment and a payment's, dated
        ``max_date``; credit notes, write-offs and exchange differences are no cash."""
        self._flush_for_kpis()
        self.env["account.partial.reconcile"].flush_model()
        return SQL(
            """SELECT paid.company_id, paid.currency_id, apr.max_date AS date,
                      SUM(apr.amount) AS amount, SUM(apr.debit_amount_currency) AS amount_currency
                 FROM account_partial_reconcile AS apr
                 JOIN account_move_line AS paid ON paid.id = apr.debit_move_id
                 JOIN account_move AS paid_move ON paid_move.id = paid.move_id
                 JOIN account_move_line AS payment ON payment.id = apr.credit_move_id
                 JOIN account_move AS payment_move ON payment_move.id = payment.move_id
                WHERE %(paid_receivable)s AND %(payment_receivable)s
                  AND paid.parent_state = 'posted' AND payment.parent_state = 'posted'
                  AND (payment_move.origin_payment_id IS NOT NULL
                       OR payment_move.statement_line_id IS NOT NULL)
                  AND paid_move.origin_payment_id IS NULL AND paid_move.statement_line_id IS NULL
             GROUP BY paid.company_id, paid.currency_id, apr.max_date""",
            paid_receivable=self._receivable_accounts_sql(SQL("paid.account_id")),
            payment_receivable=self._receivable_accounts_sql(SQL("payment.account_id")),
        )
