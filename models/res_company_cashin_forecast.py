from datetime import timedelta

from odoo import api, fields, models

# how many weeks ahead the dashboard shows the expected cash-in
DASHBOARD_CASH_IN_WEEKS = 8


class ResCompany(models.Model):
    """The cash-in forecast (回款预测) on the receivables dashboard: the next weeks' expected
    cash-in with its P10-P90 band, and last month's forecast against what came in, read
    from ``credit.cashin.report`` as its graph and pivot read it."""

    _inherit = "res.company"

    # ------------------------------------------------------------
    # ACTIONS (called by the dashboard)
    # ------------------------------------------------------------

    @api.model
    @api.readonly
    def action_open_receivables_dashboard_cash_in(self):
        """Drill down: the cash-in forecast report."""
        self._check_receivables_dashboard_access()
        self.env["credit.cashin.report"].check_access("read")
        return self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.action_credit_cashin_report"
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_receivables_dashboard(
        self, date_from=None, date_to=None, compare_from=None, compare_to=None
    ):
        data = super()._get_receivables_dashboard(date_from, date_to, compare_from, compare_to)
        data["cash_in"] = self._get_dashboard_cash_in(fields.Date.context_today(self))
        return data

    def _get_dashboard_cash_in(self, today):
        """``{"weeks": [{date, expected, low, high}], "last_month": {...}}`` of this company
        in company currency: the weeks from today's on, and last month (two grouped reads)."""
        self.ensure_one()
        Report = self.env["credit.cashin.report"].with_company(self).sudo()
        company = [("company_id", "=", self.id)]
        week_start = today - timedelta(days=today.weekday())
        horizon = week_start + timedelta(weeks=DASHBOARD_CASH_IN_WEEKS)
        weeks = Report._read_group(
            [*company, ("date", ">=", today), ("date", "<", horizon)],
            ["date:week"],
            ["expected:sum", "amount_low:sum", "amount_high:sum"],
            order="date:week",
        )
        month_to = today.replace(day=1) - timedelta(days=1)
        month_from = month_to.replace(day=1)
        ((expected, low, high, actual, run_date),) = Report._read_group(
            [*company, ("date", ">=", month_from), ("date", "<=", month_to)],
            [],
            ["expected:sum", "amount_low:sum", "amount_high:sum", "actual:sum", "run_date:min"],
        )
        return {
            # accountants read the dashboard but not the forecast's screens
            "can_open": Report.with_user(self.env.user).has_access("read"),
            "weeks": [
                {
                    "date": fields.Date.to_string(week),
                    "expected": expected_week or 0.0,
                    "low": low_week or 0.0,
                    "high": high_week or 0.0,
                }
                for week, expected_week, low_week, high_week in weeks
            ],
            "last_month": {
                "date_from": fields.Date.to_string(month_from),
                "date_to": fields.Date.to_string(month_to),
                "expected": expected or 0.0,
                "low": low or 0.0,
                "high": high or 0.0,
                "actual": actual or 0.0,
                "run_date": fields.Date.to_string(run_date) if run_date else False,
                "has_forecast": bool(run_date),
            },
        }
