from odoo import models


class CollectionPromise(models.Model):
    _inherit = "collection.promise"

    def _break(self):
        """A promise broken: the warning about broken promises is evaluated at once for the
        customers who broke one."""
        result = super()._break()
        rules = self.env["credit.alert.rule"]
        for company, promises in self.grouped("company_id").items():
            rules._evaluate_event("promise", company, promises.partner_id)
        return result
