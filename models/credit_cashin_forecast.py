from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import cash_in_forecast

# daily runs are kept this many days; older, only the first run of each month
KEEP_DAILY_RUNS_DAYS = 90


class CreditCashinForecast(models.Model):
    """The cash-in forecast (回款预测) as each nightly run made it: per company, run date,
    day and currency, the open receivables expected to come in that day, with the P10-P90
    band of that day. Written by ``account.move._forecast_payments`` (nobody else writes
    it); kept run by run so that a past period's forecast can be set against what came in
    (``credit.cashin.report``). A second run the same day replaces that day's rows.
    """

    _name = "credit.cashin.forecast"
    _description = "Cash-in Forecast Run"
    _order = "company_id, run_date desc, date, currency_id"
    _rec_name = "date"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    company_currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    run_date = fields.Date(required=True, readonly=True, help="The night the forecast was made.")
    date = fields.Date(string="Day", required=True, readonly=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, readonly=True, help="The invoices' currency."
    )
    amount_currency = fields.Monetary(
        string="Expected (Currency)", currency_field="currency_id", readonly=True
    )
    amount = fields.Monetary(string="Expected", currency_field="company_currency_id", readonly=True)
    amount_low = fields.Monetary(
        string="Low (P10)", currency_field="company_currency_id", readonly=True
    )
    amount_high = fields.Monetary(
        string="High (P90)", currency_field="company_currency_id", readonly=True
    )
    variance = fields.Float(
        readonly=True,
        help="Variance of the day's amount (company currency squared), which the band of "
        "a week or a month is computed from.",
    )

    _run_day_uniq = models.Constraint(
        "UNIQUE(company_id, run_date, date, currency_id)",
        "A forecast run has one row per day and currency.",
    )
    _company_run_idx = models.Index("(company_id, run_date)")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _store_forecast_run(self, company, run_date, spreads):
        """Store the run of ``company`` made on ``run_date`` from ``spreads``: ``[(move id,
        payment days)]`` of its open invoices. The run's rows of that day, if any, are
        replaced; old runs are thinned out. Returns the number of rows."""
        residuals = self._get_invoice_residuals([move_id for move_id, _days in spreads])
        vals_list = self._prepare_forecast_rows(company, run_date, spreads, residuals)
        self.env.execute_query(
            SQL(
                "DELETE FROM credit_cashin_forecast WHERE company_id = %s AND run_date = %s",
                company.id,
                run_date,
            )
        )
        self.invalidate_model()
        self.sudo().create(vals_list)
        self._purge_forecast_runs(company, run_date)
        return len(vals_list)

    @api.model
    def _get_invoice_residuals(self, move_ids):
        """``{move id: (currency id, residual, residual in currency)}`` of the open invoices
        the run forecast (the query layer found them): Odoo's own residuals of each invoice,
        in company currency and in its currency, read in batches."""
        moves = self.env["account.move"].sudo().browse(move_ids)
        moves.fetch(["currency_id", "amount_residual", "amount_residual_signed"])
        return {
            move.id: (move.currency_id.id, move.amount_residual_signed, move.amount_residual)
            for move in moves
        }

    @api.model
    def _prepare_forecast_rows(self, company, run_date, spreads, residuals):
        """The rows of one run: each invoice's residual (both currencies, in their smallest
        unit, so that they add up exactly) spread over its payment days."""
        currencies = self.env["res.currency"].browse({row[0] for row in residuals.values()})
        scale = {currency.id: 10**currency.decimal_places for currency in currencies}
        company_currency = company.currency_id
        company_scale = 10**company_currency.decimal_places
        entries = []
        for move_id, days in spreads:
            if move_id not in residuals or not days:
                continue
            currency_id, residual, residual_currency = residuals[move_id]
            units = round(residual_currency * scale[currency_id])
            entries.append((currency_id, days, units, round(residual * company_scale)))
        vals_list = []
        for (currency_id, day), totals in cash_in_forecast.aggregate(entries).items():
            units, company_units, variance = totals
            amount = company_units / company_scale
            variance /= company_scale**2
            low, high = cash_in_forecast.band(amount, variance)
            vals_list.append(
                {
                    "company_id": company.id,
                    "company_currency_id": company_currency.id,
                    "run_date": run_date,
                    "date": day,
                    "currency_id": currency_id,
                    "amount_currency": units / scale[currency_id],
                    "amount": amount,
                    "amount_low": company_currency.round(low),
                    "amount_high": company_currency.round(high),
                    "variance": variance,
                }
            )
        return vals_list

    @api.model
    def _purge_forecast_runs(self, company, run_date):
        """Keep the daily runs of the last ``KEEP_DAILY_RUNS_DAYS`` days and, before, the
        first run of each month: enough to compare any past month with its forecast."""
        self.env.execute_query(
            SQL(
                """DELETE FROM credit_cashin_forecast
                    WHERE company_id = %(company)s AND run_date < %(cutoff)s
                      AND run_date NOT IN (
                          SELECT MIN(run_date) FROM credit_cashin_forecast
                           WHERE company_id = %(company)s
                        GROUP BY date_trunc('month', run_date))""",
                company=company.id,
                cutoff=run_date - timedelta(days=KEEP_DAILY_RUNS_DAYS),
            )
        )
        self.invalidate_model()
