import json

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from .credit_alert_rule import SEVERITIES, summary_in

_lt = LazyTranslate(__name__)

# how the figures of the evidence read on the alert; a figure without a label shows its key
EVIDENCE_LABELS = {
    "exposure": _lt("Exposure"),
    "limit": _lt("Credit limit"),
    "share": _lt("Share of the limit (%)"),
    "receivable": _lt("Open invoices"),
    "sale_orders": _lt("Orders to invoice"),
    "draft_invoices": _lt("Draft invoices"),
    "guarantees": _lt("Guarantees deducted"),
    "previous_grade": _lt("Previous grade"),
    "grade": _lt("New grade"),
    "score": _lt("Score"),
    "previous_score": _lt("Previous score"),
    "review_date": _lt("Review date"),
    "amount": _lt("Amount"),
    "amount_paid": _lt("Amount paid"),
    "date_promised": _lt("Promised date"),
    "count": _lt("Number"),
    "first_date": _lt("First end date"),
    "items": _lt("Ending"),
    "days_overdue": _lt("Days overdue"),
    "settled_on_time": _lt("Invoices settled on time"),
    "grace_days": _lt("Grace days"),
    "recent_days_late": _lt("Average days late (last 30 days)"),
    "previous_days_late": _lt("Average days late (3 months before)"),
    "rise_threshold": _lt("Rise threshold (days)"),
    "days_beyond_expected": _lt("Days beyond the expected date"),
    "expected_date": _lt("Expected payment date"),
    "spread_days": _lt("Usual spread (days)"),
    "spreads": _lt("Spreads"),
}


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
    # what the rule found and what was decided: written by the evaluation and the buttons
    _decision_fields = (
        "state",
        "date_closed",
        "close_reason",
        "rule_id",
        "partner_id",
        "company_id",
        "severity",
        "date_opened",
        "summary",
        "evidence",
        "move_ids",
        "review_id",
        "condition_cleared",
    )

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
    summary = fields.Char(readonly=True, translate=True)
    evidence = fields.Json(readonly=True)
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    review_id = fields.Many2one("credit.review", string="Credit Review", readonly=True)
    condition_cleared = fields.Boolean(
        readonly=True,
        copy=False,
        help="Technical: the rule no longer finds the customer. Until then an alert closed "
        "by hand keeps a new one from opening.",
    )
    evidence_text = fields.Text(string="Figures", compute="_compute_evidence_text")
    partner_credit_hold = fields.Boolean(
        string="Customer on Hold", compute="_compute_partner_credit_hold"
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("rule_id.name", "partner_id.name")
    def _compute_display_name(self):
        for alert in self:
            alert.display_name = self.env._(
                "%(rule)s: %(customer)s",
                rule=alert.rule_id.name or "",
                customer=alert.partner_id.name or "",
            )

    @api.depends("evidence")
    def _compute_evidence_text(self):
        for alert in self:
            alert.evidence_text = "\n".join(
                f"{EVIDENCE_LABELS.get(key, key)}: "
                f"{'; '.join(map(str, value)) if isinstance(value, list) else value}"
                for key, value in (alert.evidence or {}).items()
            )

    @api.depends("partner_id", "company_id")
    def _compute_partner_credit_hold(self):
        for alert in self:
            alert.partner_credit_hold = alert.partner_id.with_company(alert.company_id).credit_hold

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_close(self):
        """Its owner or a credit manager closes the alert: seen and dealt with."""
        self._check_owner_or_manager()
        self._check_open()
        self._write_decision(
            {
                "state": "closed",
                "date_closed": fields.Date.context_today(self),
                "close_reason": "manual",
            }
        )
        return True

    def action_credit_hold(self):
        """A credit manager stops the customer's sales in the alert's company."""
        self.env["credit.decision.mixin"]._check_credit_manager()
        self._check_open()
        self._hold_customers(origin="manual")
        return True

    def action_request_review(self):
        """Its owner or a credit manager asks for a credit review of the customer."""
        self._check_owner_or_manager()
        self._check_open()
        self._request_reviews()
        return True

    def action_open_customer(self):
        self.ensure_one()
        return self.partner_id._get_credit_file_action(self.company_id)

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"create": False}
        return action

    def _check_owner_or_manager(self):
        if self.env.su or self.env.user.has_group("credit_collection.group_credit_manager"):
            return
        others = self.filtered(lambda alert: alert.user_id != self.env.user)
        if others:
            raise AccessError(
                self.env._(
                    "The alert %(alert)s is %(owner)s's: only its owner or a credit manager "
                    "can act on it.",
                    alert=others[0].display_name,
                    owner=others[0].user_id.name or self.env._("nobody"),
                )
            )

    def _check_open(self):
        closed = self.filtered(lambda alert: alert.state != "open")
        if closed:
            raise UserError(
                self.env._(
                    "The alert %(alert)s is already closed: nothing to do. A new alert opens "
                    "if the condition comes back.",
                    alert=closed[0].display_name,
                )
            )

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
            ("condition_cleared", "=", False),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        # open alerts, and those closed by hand while the condition still holds: closing
        # one says "seen", it does not open again until the condition has cleared once
        watched = self.sudo().search(domain)
        current = watched.filtered(lambda alert: alert.state == "open")
        by_partner = {alert.partner_id.id: alert for alert in watched}
        cleared = watched.filtered(lambda alert: alert.partner_id.id not in found)
        closed = cleared & current
        closed._write_decision(
            {
                "state": "closed",
                "date_closed": today,
                "close_reason": "cleared",
                "condition_cleared": True,
            }
        )
        (cleared - closed)._write_decision({"condition_cleared": True})
        summaries = self._refresh_evidence(current, found)
        new_ids = [pid for pid in found if pid not in by_partner]
        if new_ids:
            rule._lock_for_opening()
        owners = self.env["res.partner"].browse(new_ids)._get_collection_user(company)
        # nobody collects for the company: the alert is its first credit manager's
        fallback = company._get_credit_managers()[:1].id if new_ids else False
        opened = self.sudo().create(
            [
                {
                    "rule_id": rule.id,
                    "partner_id": partner_id,
                    "company_id": company.id,
                    "severity": rule.severity,
                    "user_id": owners.get(partner_id) or fallback,
                    "date_opened": today,
                    **self._prepare_evidence_vals(found[partner_id]),
                }
                for partner_id in new_ids
            ]
        )
        summaries.update(zip(opened.ids, (found[pid]["summary"] for pid in new_ids), strict=True))
        self._store_summaries(summaries)
        return opened, closed

    @api.model
    def _refresh_evidence(self, alerts, found):
        """Write the new evidence of the open ``alerts`` whose summary changed; return the
        summaries to store, ``{alert id: lazy translation}``."""
        summaries = {}
        lang = self.env.lang or "en_US"
        for alert in alerts:
            evidence = found.get(alert.partner_id.id)
            if evidence and alert.summary != summary_in(evidence["summary"], lang):
                alert._write_decision(self._prepare_evidence_vals(evidence))
                summaries[alert.id] = evidence["summary"]
        return summaries

    @api.model
    def _store_summaries(self, summaries):
        """Write each alert's summary (``{alert id: lazy translation}``) in every installed
        language, in one statement: the daily run evaluates in its own language, and
        English and Chinese credit managers read the same alert."""
        if not summaries:
            return
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        self.flush_model(["summary"])
        ids = list(summaries)
        texts = [
            json.dumps({lang: summary_in(summaries[alert_id], lang) for lang in langs})
            for alert_id in ids
        ]
        self.env.execute_query(
            SQL(
                """UPDATE credit_alert AS a SET summary = d.summary::jsonb
                     FROM unnest(%s::int[], %s::text[]) AS d(id, summary)
                    WHERE a.id = d.id""",
                ids,
                texts,
            )
        )
        self.browse(ids).invalidate_recordset(["summary"])

    @api.model
    def _prepare_evidence_vals(self, evidence):
        return {
            "evidence": evidence.get("values") or {},
            "move_ids": [Command.set(evidence.get("move_ids") or [])],
        }
