from odoo import api, fields, models


class ResPartner(models.Model):
    """The early warnings of a customer: a hold they set, and their count on its form."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_hold_origin = fields.Selection(selection_add=[("alert", "Early warning")])
    credit_alert_count = fields.Integer(
        string="Open Early Warnings",
        compute="_compute_credit_alert_count",
        groups="credit_collection.group_credit_collector",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_alert_count(self):
        counts = dict(
            self.env["credit.alert"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "open"),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.credit_alert_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.action_credit_alerts"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_open": 1}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _put_on_alert_hold(self, reason, origin="alert"):
        """Hold these customers in the env company for an early warning, like the dunning
        run's hold (``_put_on_collection_hold``): as the system, with the reason the
        salesperson reads, ``origin`` ``alert`` (the rule's action: the dunning run never
        lifts it, a credit manager does) or ``manual`` (a credit manager's button, rights
        checked by the caller). Customers already held keep their hold and reason."""
        to_hold = self.commercial_partner_id.filtered(lambda p: not p.credit_hold)
        to_hold.sudo().write(
            {"credit_hold": True, "credit_hold_reason": reason, "credit_hold_origin": origin}
        )
        return to_hold
