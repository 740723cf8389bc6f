from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import xlsx_formats

GRANULARITIES = [("day", "Day"), ("week", "Week"), ("month", "Month")]


class CreditCashinExportWizard(models.TransientModel):
    """The cash-in forecast against actual in Excel: per company, period and currency,
    the expected amount with its P10-P90 band and what came in, read from
    ``credit.cashin.report`` as the graph and pivot read it (the band of each period
    computed from the period's mean and variance)."""

    _name = "credit.cashin.export.wizard"
    _description = "Cash-in Forecast Export"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_dates()[0]
    )
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_dates()[1])
    granularity = fields.Selection(GRANULARITIES, string="Per", required=True, default="week")

    @api.model
    def _default_dates(self):
        today = fields.Date.context_today(self)
        return today - relativedelta(months=3), today + timedelta(weeks=13)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_export_xlsx(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(
                self.env._(
                    "The export starts on %(date_from)s, after it ends on %(date_to)s: "
                    "swap the two dates.",
                    date_from=self.date_from,
                    date_to=self.date_to,
                )
            )
        name = self.env._(
            "Cash-in forecast %(date_from)s - %(date_to)s.xlsx",
            date_from=self.date_from,
            date_to=self.date_to,
        )
        return xlsx_formats.download_action(self, name, self._render_xlsx())

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_rows(self):
        """``[(company, period start, currency, {measure: amount}, run date)]`` of the
        chosen dates, one ``_read_group`` (record rules apply: the user's companies)."""
        measures = (
            "expected_currency",
            "actual_currency",
            "expected",
            "amount_low",
            "amount_high",
            "actual",
        )
        groups = self.env["credit.cashin.report"]._read_group(
            [("date", ">=", self.date_from), ("date", "<=", self.date_to)],
            ["company_id", f"date:{self.granularity}", "currency_id"],
            [f"{measure}:sum" for measure in measures] + ["run_date:min"],
            order=f"company_id, date:{self.granularity}, currency_id",
        )
        return [
            (company, period, currency, dict(zip(measures, figures[:-1], strict=True)), figures[-1])
            for company, period, currency, *figures in groups
        ]

    def _render_xlsx(self):
        rows = self._get_rows()

        def fill(workbook, formats):
            sheet = workbook.add_worksheet(self.env._("Cash-in Forecast"))
            sheet.write(0, 0, self.env._("Cash-in Forecast against Actual"), formats["title"])
            headers = [
                self.env._("Company"),
                self.env._("Period"),
                self.env._("Currency"),
                self.env._("Expected (Currency)"),
                self.env._("Actual (Currency)"),
                self.env._("Expected"),
                self.env._("Low (P10)"),
                self.env._("High (P90)"),
                self.env._("Actual"),
                self.env._("Forecast Made On"),
            ]
            for col, header in enumerate(headers):
                sheet.write(2, col, header, formats["header"])
            sheet.set_column(0, 2, 18)
            sheet.set_column(3, 9, 16)
            for index, (company, period, currency, figures, run_date) in enumerate(rows):
                row = 3 + index
                sheet.write(row, 0, company.name, formats["text"])
                xlsx_formats.write_date(sheet, row, 1, period, formats)
                sheet.write(row, 2, currency.name, formats["text"])
                for col, measure in enumerate(figures, start=3):
                    sheet.write_number(row, col, figures[measure] or 0.0, formats["money"])
                xlsx_formats.write_date(sheet, row, 9, run_date, formats)

        return xlsx_formats.workbook_bytes(fill)
