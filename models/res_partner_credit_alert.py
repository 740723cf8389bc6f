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
