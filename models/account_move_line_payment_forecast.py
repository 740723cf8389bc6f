from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _credit_after_matching(self):
        """A customer's payment matched: its other open invoices are forecast again at
        once, and the invoices it paid expect nothing more."""
        result = super()._credit_after_matching()
        lines = self.env["credit.receivable.query"]._filter_receivable(self)
        for company, company_lines in lines.filtered("partner_id").grouped("company_id").items():
            self.env["account.move"].with_company(company)._forecast_customers(
                company,
                company_lines.partner_id.commercial_partner_id.ids,
                matched_move_ids=company_lines.move_id.ids,
            )
        return result
