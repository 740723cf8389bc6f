from odoo import fields, models, tools
from odoo.tools import SQL

from ..tools.cash_in_forecast import Z_80

SERIES = [
    ("low", "Low (P10)"),
    ("expected", "Expected"),
    ("high", "High (P90)"),
    ("actual", "Actual"),
]
BASES = [
    ("latest", "Latest run"),
    ("month", "Run before the month"),
    ("week", "Run before the week"),
    ("day", "Run before the day"),
]


class CreditCashinReport(models.Model):
    """Cash-in forecast against actual (回款预测与实际), per day, company and currency: what
    the graph, the pivot, the Excel file and the dashboard read.

    A database view, not a table: the forecast rows are those the runs stored
    (``credit.cashin.forecast``) and the actual cash is read live through the query layer,
    so a payment registered today shows at once and nothing has to be kept in step.

    * Days from the latest run on come from the latest run.
    * A past day comes from the latest run made on or before the first day of its month,
      so that a month, and every week and day in it, is compared with a forecast made
      before it started; when no run is that old (the first weeks of use), the run made
      on or before its week's first day, else on or before the day itself. ``basis`` says
      which.
    * Each day is four rows, one per ``series`` (low, expected, high, actual), so that the
      graph draws the band as lines around the expected amount and the actual beside it;
      the columns ``expected``, ``amount_low``, ``amount_high`` and ``actual`` hold the
      same figures side by side for the pivot (each is zero on the other series' rows).
    * The band of any group of days is computed from the group's mean and summed variance
      (``_read_group_select``), not summed day by day, which would make a month's band
      as wide as thirty days' bands laid end to end. Summing the days' variances leaves
      out that one invoice paid on one day is not paid on another (a negative
      covariance): the band of a week or month is somewhat wider than it should be.
    """

    _name = "credit.cashin.report"
    _description = "Cash-in Forecast Analysis"
    _auto = False
    _order = "date, company_id, currency_id, series"
    _rec_name = "date"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True, help="The invoices' currency.")
    run_date = fields.Date(
        string="Forecast Made On", readonly=True, help="The run the forecast of the day is from."
    )
    basis = fields.Selection(BASES, string="Run", readonly=True)
    series = fields.Selection(SERIES, readonly=True)
    amount = fields.Monetary(currency_field="company_currency_id", readonly=True)
    amount_currency = fields.Monetary(
        string="Amount (Currency)", currency_field="currency_id", readonly=True
    )
    expected = fields.Monetary(currency_field="company_currency_id", readonly=True)
    amount_low = fields.Monetary(
        string="Low (P10)", currency_field="company_currency_id", readonly=True
    )
    amount_high = fields.Monetary(
        string="High (P90)", currency_field="company_currency_id", readonly=True
    )
    actual = fields.Monetary(currency_field="company_currency_id", readonly=True)
    expected_currency = fields.Monetary(
        string="Expected (Currency)", currency_field="currency_id", readonly=True
    )
    actual_currency = fields.Monetary(
        string="Actual (Currency)", currency_field="currency_id", readonly=True
    )
    variance = fields.Float(readonly=True, aggregator="sum")
    band_mean = fields.Float(readonly=True, aggregator="sum")

    # ------------------------------------------------------------
    # VIEW
    # ------------------------------------------------------------

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._report_sql(),
            )
        )

    def _report_sql(self):
        return SQL(
            """
            WITH runs AS (
                SELECT company_id, run_date FROM credit_cashin_forecast
              GROUP BY company_id, run_date
            ), latest AS (
                SELECT company_id, MAX(run_date) AS run_date, MIN(run_date) AS first_run
                  FROM runs GROUP BY company_id
            ), picked AS (%(picked)s
            ), forecast AS (
                SELECT f.company_id, f.currency_id, f.date, f.run_date, p.basis, f.amount,
                       f.amount_currency, f.amount_low, f.amount_high, f.variance
                  FROM credit_cashin_forecast f
                  JOIN picked p ON p.company_id = f.company_id AND p.date = f.date
                               AND p.run_date = f.run_date
            ), actual AS (
                SELECT a.company_id, a.currency_id, a.date, a.amount, a.amount_currency
                  FROM (%(cash)s) a
                  JOIN latest l ON l.company_id = a.company_id AND a.date >= l.first_run
            ), series AS (%(series)s
            )
            SELECT row_number() OVER (ORDER BY s.company_id, s.date, s.currency_id, s.series)
                       AS id,
                   s.*, c.currency_id AS company_currency_id
              FROM series s
              JOIN res_company c ON c.id = s.company_id
            """,
            picked=self._picked_runs_sql(),
            cash=self.env["credit.receivable.query"]._cash_received_by_day_sql(),
            series=self._series_sql(),
        )

    def _picked_runs_sql(self):
        """Each (company, day) with a forecast: the run it is read from, and why."""
        return SQL(
            """
                SELECT d.company_id, d.date,
                       CASE WHEN d.date >= l.run_date THEN l.run_date
                            ELSE COALESCE(m.run_date, w.run_date, x.run_date) END AS run_date,
                       CASE WHEN d.date >= l.run_date THEN 'latest'
                            WHEN m.run_date IS NOT NULL THEN 'month'
                            WHEN w.run_date IS NOT NULL THEN 'week'
                            ELSE 'day' END AS basis
                  FROM (SELECT DISTINCT company_id, date FROM credit_cashin_forecast) d
                  JOIN latest l ON l.company_id = d.company_id
                  LEFT JOIN LATERAL (
                       SELECT MAX(r.run_date) AS run_date FROM runs r
                        WHERE r.company_id = d.company_id
                          AND r.run_date <= date_trunc('month', d.date)::date) m ON TRUE
                  LEFT JOIN LATERAL (
                       SELECT MAX(r.run_date) AS run_date FROM runs r
                        WHERE r.company_id = d.company_id
                          AND r.run_date <= date_trunc('week', d.date)::date) w ON TRUE
                  LEFT JOIN LATERAL (
                       SELECT MAX(r.run_date) AS run_date FROM runs r
                        WHERE r.company_id = d.company_id AND r.run_date <= d.date) x ON TRUE
            """
        )

    def _series_sql(self):
        """Four rows a day: the band's ends, the expected amount, the actual cash."""
        columns = (
            "company_id, currency_id, date, run_date, basis, series, amount, amount_currency, "
            "expected, amount_low, amount_high, actual, expected_currency, actual_currency, "
            "variance, band_mean"
        )
        return SQL(
            """
                SELECT %(columns)s FROM (
                SELECT company_id, currency_id, date, run_date, basis, 'low' AS series,
                       amount_low AS amount, 0 AS amount_currency, 0 AS expected,
                       amount_low, 0 AS amount_high, 0 AS actual, 0 AS expected_currency,
                       0 AS actual_currency, variance, amount AS band_mean
                  FROM forecast
                UNION ALL
                SELECT company_id, currency_id, date, run_date, basis, 'expected',
                       amount, amount_currency, amount, 0, 0, 0, amount_currency, 0,
                       variance, 0
                  FROM forecast
                UNION ALL
                SELECT company_id, currency_id, date, run_date, basis, 'high',
                       amount_high, 0, 0, 0, amount_high, 0, 0, 0, variance, amount
                  FROM forecast
                UNION ALL
                SELECT a.company_id, a.currency_id, a.date, p.run_date, p.basis, 'actual',
                       a.amount, a.amount_currency, 0, 0, 0, a.amount, 0, a.amount_currency,
                       0, 0
                  FROM actual a
             LEFT JOIN picked p ON p.company_id = a.company_id AND p.date = a.date
                ) AS rows
            """,
            columns=SQL(columns),
        )

    # ------------------------------------------------------------
    # GROUPS: the band of a group from its mean and variance
    # ------------------------------------------------------------

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec not in ("amount:sum", "amount_low:sum", "amount_high:sum"):
            return super()._read_group_select(aggregate_spec, query)
        fname = aggregate_spec.split(":")[0]

        def column(name):
            return self._field_to_sql(self._table, name, query)

        series = column("series")
        if fname != "amount":
            # the pivot's columns: the band of the group's expected amount
            mean = SQL("SUM(%s)", column("expected"))
            variance = SQL("SUM(%s) FILTER (WHERE %s = 'expected')", column("variance"), series)
            return self._band_sql(mean, variance, "low" if fname == "amount_low" else "high")
        # the graph's series: a group of low (or high) rows is the band of their mean
        mean = SQL("SUM(%s)", column("band_mean"))
        variance = SQL("SUM(%s)", column("variance"))
        return SQL(
            """CASE WHEN MIN(%(series)s) = MAX(%(series)s) AND MIN(%(series)s) = 'low' THEN %(low)s
                    WHEN MIN(%(series)s) = MAX(%(series)s) AND MIN(%(series)s) = 'high'
                         THEN %(high)s
                    ELSE SUM(%(amount)s) END""",
            series=series,
            low=self._band_sql(mean, variance, "low"),
            high=self._band_sql(mean, variance, "high"),
            amount=column("amount"),
        )

    def _band_sql(self, mean, variance, end):
        """The low or high end of the P10-P90 band of a sum of ``mean`` and ``variance``
        (``tools.cash_in_forecast.band``), rounded to the cent."""
        spread = SQL("%s * SQRT(GREATEST(COALESCE(%s, 0), 0))", Z_80, variance)
        if end == "low":
            return SQL("ROUND(GREATEST(%s - %s, LEAST(%s, 0))::numeric, 2)", mean, spread, mean)
        return SQL("ROUND((%s + %s)::numeric, 2)", mean, spread)
