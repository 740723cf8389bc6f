from odoo import api, models

from .credit_alert_rule import SEVERITIES

# how many of the newest open warnings the dashboard lists
DASHBOARD_ALERTS = 8


class ResCompany(models.Model):
    """The early warnings (风险预警) on the receivables dashboard: how many are open by
    severity, and the newest ones, each opening its alert."""

    _inherit = "res.company"

    # ------------------------------------------------------------
    # ACTIONS (called by the dashboard)
    # ------------------------------------------------------------

    @api.model
    @api.readonly
    def action_open_receivables_dashboard_alerts(self, alert_id=None):
        """Drill down: the open warnings, or one of them; with the reader's own rights (an
        accountant reads the dashboard, not the warnings)."""
        self._check_receivables_dashboard_access()
        alerts = self.env["credit.alert"]
        alerts.check_access("read")
        if alert_id:
            alert = alerts.browse(int(alert_id))
            alert.check_access("read")
            return {
                "type": "ir.actions.act_window",
                "res_model": "credit.alert",
                "res_id": alert.id,
                "views": [(False, "form")],
            }
        return self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.action_credit_alerts"
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_receivables_dashboard(
        self, date_from=None, date_to=None, compare_from=None, compare_to=None
    ):
        data = super()._get_receivables_dashboard(date_from, date_to, compare_from, compare_to)
        data["alerts"] = self._get_dashboard_alerts()
        return data

    def _get_dashboard_alerts(self):
        """``{"can_open", "by_severity": [{severity, label, count}], "latest": [...]}`` of the
        company's open warnings (one grouped read, one search)."""
        self.ensure_one()
        Alert = self.env["credit.alert"].sudo()
        domain = [("company_id", "=", self.id), ("state", "=", "open")]
        counts = dict(Alert._read_group(domain, ["severity"], ["__count"]))
        labels = dict(self.env["credit.alert"]._fields["severity"]._description_selection(self.env))
        latest = Alert.search(domain, order="date_opened desc, id desc", limit=DASHBOARD_ALERTS)
        return {
            # accountants read the dashboard but not the warnings
            "can_open": self.env["credit.alert"].with_user(self.env.user).has_access("read"),
            "by_severity": [
                {"severity": key, "label": labels[key], "count": counts.get(key, 0)}
                for key, __ in reversed(SEVERITIES)
            ],
            "latest": [
                {
                    "id": alert.id,
                    "customer": alert.partner_id.display_name,
                    "rule": alert.rule_id.name,
                    "severity": alert.severity,
                    "severity_label": labels[alert.severity],
                    "summary": alert.summary or "",
                    "date": alert.date_opened.isoformat(),
                }
                for alert in latest
            ],
        }
