from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _credit_after_matching(self):
        """A payment matched: the early warnings a payment raises or clears (the exposure
        against the limit) are evaluated again at once, for the customers of the matched
        receivable items only, company by company."""
        result = super()._credit_after_matching()
        receivable = self.env["credit.receivable.query"]._filter_receivable(self)
        rules = self.env["credit.alert.rule"]
        for company, lines in receivable.grouped("company_id").items():
            rules._evaluate_event("payment", company, lines.partner_id)
        return result
