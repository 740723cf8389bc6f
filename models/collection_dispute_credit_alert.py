from odoo import api, models


class CollectionDispute(models.Model):
    _inherit = "collection.dispute"

    @api.model_create_multi
    def create(self, vals_list):
        """A dispute opened: the warning about disputes is evaluated at once for its
        customer."""
        disputes = super().create(vals_list)
        rules = self.env["credit.alert.rule"]
        for company, company_disputes in disputes.grouped("company_id").items():
            rules._evaluate_event("dispute", company, company_disputes.partner_id)
        return disputes
