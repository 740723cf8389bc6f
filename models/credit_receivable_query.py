from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import aging_buckets

# the account type of the receivable accounts: named here and nowhere else in the addon
RECEIVABLE = "asset_receivable"

# columns of the open items an aging can be summed by, and the model of their ids
AGING_GROUPS = {
    "partner_id": "res.partner",
    "user_id": "res.users",
    "collector_id": "res.users",
    "grade_id": "credit.grade",
}


class CreditReceivableQuery(models.AbstractModel):
    """The one query layer of the receivables: which journal items are receivable, what is
    open at a date, how many days it is overdue, balances, and the parts of the exposure.

    Exposure, payment behaviour, dunning notices, case totals, promises and plans, the
    aging, statements and letters are built from its fragments, so that every figure the
    addon shows adds up to the same ledger.

    An item's open amount at a date is its balance minus the partial reconciliations whose
    both sides existed at that date (``max_date <= as_of``): a payment or credit note
    received after the date does not count, and an unreconciled payment is a negative open
    item. Summed over all receivable lines this is the receivable balance at that date,
    because every partial counted takes the same amount off its debit and its credit side.
    It is computed as Odoo's stored residual plus the partials made after the date.

    Days overdue at a date are that date minus the item's due date, the accounting date
    when it has none (as Odoo's follow-up reads it): negative while not due.
    """

    _name = "credit.receivable.query"
    _description = "Receivables query layer"

    # ------------------------------------------------------------
    # RECEIVABLE LINES
    # ------------------------------------------------------------

    @api.model
    def _receivable_accounts_sql(self, column, accounts="subquery"):
        """``column`` (SQL) is a receivable account of any company, archived ones included
        (their items are still owed). How the accounts are named is a matter of plans:

        * ``"subquery"``: ``IN (SELECT ...)``, which the planner joins like a table: for
          queries over many lines (payment history, dunning), in parallel when it pays;
        * ``"array"``: ``= ANY(ARRAY(SELECT ...))``, computed once before the query: for a
          per-customer index scan, where each row is checked against a few ids (exposure);
        * ``"literal"``: the ids looked up first and written in the query (one query more;
          a list of ids from ``_receivable_account_ids`` saves it when named twice): for the
          long aging and KPI queries the planner then knows how many lines they hold and
          reads the open ones through Odoo's partial index WHERE reconciled IS NOT TRUE.
        """
        self.env["account.account"].flush_model(["account_type"])
        lookup = SQL("SELECT id FROM account_account WHERE account_type = %s", RECEIVABLE)
        if accounts == "subquery":
            return SQL("%s IN (%s)", column, lookup)
        if accounts == "array":
            return SQL("%s = ANY(ARRAY(%s))", column, lookup)
        ids = self._receivable_account_ids() if accounts == "literal" else list(accounts)
        return SQL("%s = ANY(%s::int[])", column, ids)

    @api.model
    def _receivable_account_ids(self):
        return (
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("account_type", "=", RECEIVABLE)])
            .ids
        )

    @api.model
    def _receivable_domain(self):
        """The ORM domain of the posted receivable journal items."""
        return [("parent_state", "=", "posted"), ("account_id.account_type", "=", RECEIVABLE)]

    @api.model
    def _filter_receivable(self, lines):
        """The receivable ones among journal items."""
        return lines.filtered(lambda line: line.account_type == RECEIVABLE)

    @api.model
    def _receivable_line_sql(self, alias="aml", accounts="subquery"):
        """The condition of a posted receivable journal item (``alias`` names the table;
        ``accounts``: see ``_receivable_accounts_sql``)."""
        return SQL(
            "%s.parent_state = 'posted' AND %s",
            SQL.identifier(alias),
            self._receivable_accounts_sql(SQL.identifier(alias, "account_id"), accounts),
        )

    @api.model
    def _open_line_sql(self, alias="aml", accounts="subquery"):
        """The condition of a receivable item open today. The covering index of
        ``account.move.line`` holds exactly these lines, so a customer's open items cost
        what they are, never their history."""
        return SQL(
            "%s AND %s.amount_residual != 0",
            self._receivable_line_sql(alias, accounts),
            SQL.identifier(alias),
        )

    @api.model
    def _partner_filter_sql(self, column, partner_ids=None):
        """``column`` (SQL) among ``partner_ids``; no condition when none are given."""
        if not partner_ids:
            return SQL("TRUE")
        return SQL("%s = ANY(%s)", column, list(partner_ids))

    @api.model
    def _due_date_sql(self, alias="aml"):
        """An item's due date, its accounting date when it has none."""
        return SQL(
            "COALESCE(%s, %s)",
            SQL.identifier(alias, "date_maturity"),
            SQL.identifier(alias, "date"),
        )

    @api.model
    def _days_overdue_sql(self, as_of, due_date):
        """Days overdue at ``as_of`` (a date or an SQL expression) of an item due on
        ``due_date`` (SQL): the one definition the aging, the dunning, the exposure and the
        payment behaviour share; zero or less while not due."""
        if not isinstance(as_of, SQL):
            as_of = SQL("%s::date", fields.Date.to_date(as_of))
        return SQL("(%s - %s)", as_of, due_date)

    @api.model
    def _open_invoice_domain(self):
        """The ORM domain of the customer invoices not paid yet."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]

    # ------------------------------------------------------------
    # OPEN ITEMS AT A DATE (aging, statements, letters, case totals)
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
        """The SQL of the open items at ``as_of``, columns as ``_open_item_columns``;
        callers wrap it.

        Odoo stores what is open today (``amount_residual``, ``reconciled``). What was open
        at ``as_of`` is that plus what the partial reconciliations made after the date took
        off. So the query reads the unreconciled receivable lines (a partial index of
        Odoo's covers them) and the few lines a later reconciliation touched, instead of
        every receivable line ever posted and all their reconciliations.

        The collector is the customer's own in that company, else the company's; the grade
        is the customer's credit grade.
        """
        as_of = fields.Date.to_date(as_of)
        self._flush_for_aging()
        return SQL(
            """
            WITH late AS (%(late)s), lines AS (%(lines)s)
            SELECT items.move_line_id, items.move_id, items.company_id, items.partner_id,
                   items.user_id, items.collector_id, items.grade_id,
                   items.currency_id, items.company_currency_id, items.date,
                   items.date_maturity, items.reference_date,
                   %(days)s AS days_overdue,
                   width_bucket(%(days)s - 1, %(limits)s::int[]) AS bucket,
                   items.amount_residual, items.amount_residual_currency
              FROM (%(items)s) AS items
             WHERE items.amount_residual != 0 OR items.amount_residual_currency != 0
            """,
            items=self._with_dimensions_sql(SQL("SELECT * FROM lines")),
            late=self._late_partials_sql(as_of, company_ids),
            lines=self._lines_open_at_sql(as_of, company_ids, basis, partner_ids),
            days=self._days_overdue_sql(as_of, SQL("items.reference_date")),
            limits=list(limits or aging_buckets.DEFAULT_LIMITS),
        )

    @api.model
    def _late_partials_sql(self, as_of, company_ids):
        """What the reconciliations made after ``as_of`` took off each line: ``late``
        (line_id, amount, amount_currency), added back to the stored residual."""
        return SQL(
            """
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
            """,
            as_of=as_of,
            companies=tuple(company_ids),
        )

    @api.model
    def _lines_open_at_sql(self, as_of, company_ids, basis, partner_ids):
        """The receivable lines dated by ``as_of`` with their open amount at that date:
        the unreconciled ones, plus the reconciled ones a later reconciliation touched
        (they were open then). Reads the CTE ``late``."""
        domain = [("date", "<=", as_of), ("company_id", "in", list(company_ids))]
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        query = self.env["account.move.line"]._search(domain, bypass_access=True)
        aml = SQL.identifier(query.table)
        reference = (
            self._due_date_sql(query.table)
            if basis == "due"
            else SQL(
                "COALESCE(%s, %s)",
                SQL.identifier(query.table, "invoice_date"),
                SQL.identifier(query.table, "date"),
            )
        )
        columns = SQL(
            """%(aml)s.id AS move_line_id, %(aml)s.move_id, %(aml)s.company_id,
               %(aml)s.partner_id, %(aml)s.currency_id, %(aml)s.company_currency_id,
               %(aml)s.date, %(aml)s.date_maturity,
               %(reference)s AS reference_date,
               %(aml)s.amount_residual + COALESCE(late.amount, 0) AS amount_residual,
               %(aml)s.amount_residual_currency + COALESCE(late.amount_currency, 0)
                   AS amount_residual_currency""",
            aml=aml,
            reference=reference,
        )
        where = SQL(
            "%s AND %s",
            self._receivable_line_sql(query.table, accounts="literal"),
            query.where_clause or SQL("TRUE"),
        )
        return SQL(
            """
                SELECT %(columns)s
                  FROM %(from_clause)s
             LEFT JOIN late ON late.line_id = %(aml)s.id
                 WHERE %(aml)s.reconciled IS NOT TRUE AND %(where)s
             UNION ALL
                SELECT %(columns)s
                  FROM %(from_clause)s
                  JOIN late ON late.line_id = %(aml)s.id
                 WHERE %(aml)s.reconciled IS TRUE AND %(where)s
            """,
            columns=columns,
            from_clause=query.from_clause,
            aml=aml,
            where=where,
        )

    @api.model
    def _with_dimensions_sql(self, rows):
        """``rows`` (with ``move_id, company_id, partner_id``) plus the columns the figures are
        grouped by: the salesperson of the move, the customer's collector in that company
        (else the company's), the customer's credit grade there."""
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
    def _get_receivable_balance(self, as_of, company_ids, partner_ids=None):
        """Ledger balance of the receivable accounts at the end of ``as_of``, straight from
        journal items: independent of the reconciliations, it is the figure the aging must
        add up to."""
        return sum(self._get_receivable_balances(as_of, company_ids, partner_ids).values())

    @api.model
    def _get_receivable_balances(self, as_of, company_ids, partner_ids=None):
        """``{partner: ledger balance at the end of as_of}`` (a statement's opening)."""
        domain = [
            *self._receivable_domain(),
            ("date", "<=", as_of),
            ("company_id", "in", list(company_ids)),
        ]
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        return dict(
            self.env["account.move.line"]
            .sudo()
            ._read_group(domain, ["partner_id"], ["balance:sum"])
        )

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
        self.env["account.partial.reconcile"].flush_model()

    # ------------------------------------------------------------
    # OPEN ITEMS TODAY (exposure, dunning): Odoo's stored residuals
    # ------------------------------------------------------------

    @api.model
    def _flush_open_lines(self):
        self.env["account.move.line"].flush_model(
            [
                "account_id",
                "amount_residual",
                "company_id",
                "date",
                "date_maturity",
                "move_id",
                "parent_state",
                "partner_id",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    @api.model
    def _customer_open_balance_sql(self, company_id, partner, cutoff):
        """The open receivable of one contact in a company: ``total`` and ``overdue`` (what
        falls due before ``cutoff``), for a LATERAL join; ``partner`` and ``cutoff`` are
        SQL of the outer row.

        Reads the covering index of ``account.move.line`` (open items only): its cost
        follows the customer's open items, never their history. A plain aggregate over
        the index scan, where a join then a GROUP BY sorted the items first.
        """
        self._flush_open_lines()
        return SQL(
            """
            SELECT SUM(aml.amount_residual) AS total,
                   SUM(aml.amount_residual) FILTER (
                       WHERE %(due)s < %(cutoff)s AND aml.amount_residual > 0) AS overdue
              FROM account_move_line aml
             WHERE aml.partner_id = %(partner)s
               AND aml.company_id = %(company)s
               AND %(open)s
            """,
            due=self._due_date_sql("aml"),
            cutoff=cutoff,
            partner=partner,
            company=company_id,
            open=self._open_line_sql("aml", accounts="array"),
        )

    @api.model
    def _get_customers_owing(self, company_id):
        """The commercial partners who owe the company something today, net of what it
        owes them (one query): a customer whose unapplied payments or credit notes cover
        its open invoices owes nothing, and is neither dunned nor watched for it."""
        self._flush_open_lines()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %s AND %s
              GROUP BY p.commercial_partner_id
                HAVING SUM(aml.amount_residual) > 0
                """,
                company_id,
                self._open_line_sql("aml"),
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _open_invoices_sql(self, company_id, as_of, partner_ids=None):
        """The customer invoices of ``partner_ids`` (commercial partners; all when None)
        owing in the company: ``move_id, partner_id, residual, days`` (days overdue at
        ``as_of`` of its oldest owing instalment), for the dunning to decide the level each
        reached and for the payment forecast."""
        self._flush_open_lines()
        self.env["account.move"].flush_model(["move_type"])
        return SQL(
            """
            SELECT aml.move_id, p.commercial_partner_id AS partner_id,
                   SUM(aml.amount_residual) AS residual, MAX(%(days)s) AS days
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id AND m.move_type = 'out_invoice'
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE aml.company_id = %(company)s
               AND %(partners)s
               AND %(open)s
               AND aml.amount_residual > 0
          GROUP BY aml.move_id, p.commercial_partner_id
            """,
            days=self._days_overdue_sql(as_of, self._due_date_sql("aml")),
            company=company_id,
            partners=self._partner_filter_sql(SQL("p.commercial_partner_id"), partner_ids),
            open=self._open_line_sql("aml"),
        )

    # ------------------------------------------------------------
    # PAYMENTS AND HISTORY (promises, plans, payment behaviour)
    # ------------------------------------------------------------

    @api.model
    def _get_amounts_received(self, windows):
        """What each customer paid on its receivables within a window of dates.

        ``windows``: ``[(key, commercial partner id, company id, date_from, date_to)]``,
        ``date_to`` None for no end. Returns ``{key: credits posted on the customer's
        receivable accounts dated in the window}`` (payments and credit notes), one query.
        """
        if not windows:
            return {}
        self._flush_open_lines()
        self.env["account.move.line"].flush_model(["credit"])
        keys, partners, companies, starts, ends = zip(*windows, strict=True)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT w.key, COALESCE(SUM(aml.credit), 0)
                  FROM unnest(%(keys)s::int[], %(partners)s::int[], %(companies)s::int[],
                              %(starts)s::date[], %(ends)s::date[])
                       AS w(key, partner_id, company_id, date_from, date_to)
                  JOIN res_partner p ON p.commercial_partner_id = w.partner_id
                  JOIN account_move_line aml ON aml.partner_id = p.id
                                            AND aml.company_id = w.company_id
                                            AND aml.credit > 0
                                            AND aml.date >= w.date_from
                                            AND (w.date_to IS NULL OR aml.date <= w.date_to)
                 WHERE %(receivable)s
              GROUP BY w.key
                """,
                keys=list(keys),
                partners=list(partners),
                companies=list(companies),
                starts=list(starts),
                ends=list(ends),
                receivable=self._receivable_line_sql("aml"),
            )
        )
        return dict(rows)

    @api.model
    def _invoice_history_sql(self, company_id, partner_ids=None):
        """The receivable lines of the customer invoices and credit notes of
        ``partner_ids`` (every customer when None) in the company, each with the date it
        was settled: ``id, move_id, partner_id, balance, amount_residual, reconciled,
        due_date, invoice_date, move_type, paid_date``. A settled invoice is paid on the
        date of the last reconciliation that paid it; ``paid_date`` is NULL while open."""
        self._flush_open_lines()
        self.env["account.move.line"].flush_model(["balance", "reconciled"])
        self.env["account.move"].flush_model(["move_type", "invoice_date"])
        self.env["account.partial.reconcile"].flush_model()
        return SQL(
            """
            WITH invoice_line AS MATERIALIZED (
                SELECT aml.id, aml.move_id, aml.partner_id, aml.balance, aml.amount_residual,
                       aml.reconciled, %(due_date)s AS due_date, am.invoice_date, am.move_type
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE aml.company_id = %(company)s
                   AND %(partners)s
                   AND %(receivable)s
                   AND am.move_type IN ('out_invoice', 'out_refund')
            ), paid AS (
                SELECT apr.debit_move_id AS id, MAX(apr.max_date) AS paid_date
                  FROM account_partial_reconcile apr
                  JOIN invoice_line ON invoice_line.id = apr.debit_move_id
                 WHERE invoice_line.reconciled
              GROUP BY apr.debit_move_id
            )
            SELECT invoice_line.*, paid.paid_date
              FROM invoice_line
         LEFT JOIN paid ON paid.id = invoice_line.id
            """,
            company=company_id,
            partners=self._partner_filter_sql(SQL("aml.partner_id"), partner_ids),
            receivable=self._receivable_line_sql("aml"),
            due_date=self._due_date_sql("aml"),
        )

    # ------------------------------------------------------------
    # CASE TOTALS (collection.case, the write-off)
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
