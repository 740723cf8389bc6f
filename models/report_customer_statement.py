from odoo import api, models
from odoo.exceptions import UserError


class ReportCustomerStatement(models.AbstractModel):
    """Values of the statement template: the numbers of ``credit.statement.wizard``."""

    _name = "report.credit_collection.report_customer_statement"
    _description = "Customer Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizard = self.env["credit.statement.wizard"].browse((data or {}).get("statement_wizard_id"))
        if not wizard.exists():
            raise UserError(
                self.env._("Print customer statements from the Customer Statements wizard.")
            )
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": wizard._get_statements_data(partners),
        }
