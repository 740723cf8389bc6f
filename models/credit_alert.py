from odoo import Command, api, fields, models

from .credit_alert_rule import SEVERITIES


class CreditAlert(models.Model):
    """An early warning raised for a customer by a rule, with the evidence it was raised on.

    At most one alert per customer, rule and company is open at a time (a unique partial
    index): the daily run and the events re-evaluate a rule and the open alert stays, its
    evidence refreshed; it closes by itself when the condition clears, or when its owner
    closes it. Its state moves through the actions only.
    """

    _name = "credit.alert"
    _description = "Early Warning"
    _inherit = ["credit.decision.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_opened desc, id desc"
    _check_company_auto = True
    _decision_fields = ("state", "date_closed", "close_reason", "rule_id", "partner_id")

    _one_open_per_customer_and_rule = models.UniqueIndex(
        "(rule_id, partner_id, company_id) WHERE state = 'open'"
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    rule_id = fields.Many2one("credit.alert.rule", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(related="rule_id.kind", store=True)
    severity = fields.Selection(SEVERITIES, required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Owner", tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        required=True,
        default="open",
        tracking=True,
        index=True,
    )
    date_opened = fields.Date(required=True, default=fields.Date.context_today)
    date_closed = fields.Date(readonly=True)
    close_reason = fields.Selection(
        [("cleared", "Condition cleared"), ("manual", "Closed by its owner")], readonly=True
    )
    summary = fields.Char(readonly=True)
    evidence = fields.Json(readonly=True)
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _sync_rule(self, rule, company, today, found, partners=None):
        """Bring the alerts of ``rule`` in ``company`` in line with ``found`` (what the
        rule's evaluator answered, for ``partners`` when given, else for every customer):
        open an alert for each new customer, refresh the evidence of those still open,
        close those no longer found. Returns ``(opened, closed)``."""
        domain = [
            ("rule_id", "=", rule.id),
            ("company_id", "=", company.id),
            ("state", "=", "open"),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        current = self.sudo().search(domain)
        by_partner = {alert.partner_id.id: alert for alert in current}
        closed = current.filtered(lambda alert: alert.partner_id.id not in found)
        closed._write_decision({"state": "closed", "date_closed": today, "close_reason": "cleared"})
        for partner_id, evidence in found.items():
            alert = by_partner.get(partner_id)
            if alert and alert.summary != evidence["summary"]:
                alert.sudo().write(self._prepare_evidence_vals(evidence))
        new_ids = [pid for pid in found if pid not in by_partner]
        owners = self.env["res.partner"].browse(new_ids)._get_collection_user(company)
        opened = self.sudo().create(
            [
                {
                    "rule_id": rule.id,
                    "partner_id": partner_id,
                    "company_id": company.id,
                    "severity": rule.severity,
                    "user_id": owners.get(partner_id) or False,
                    "date_opened": today,
                    **self._prepare_evidence_vals(found[partner_id]),
                }
                for partner_id in new_ids
            ]
        )
        return opened, closed

    @api.model
    def _prepare_evidence_vals(self, evidence):
        return {
            "summary": evidence["summary"],
            "evidence": evidence.get("values") or {},
            "move_ids": [Command.set(evidence.get("move_ids") or [])],
        }
