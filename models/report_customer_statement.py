from odoo import api, models
from odoo.addons.base.models.ir_actions_report import _wkhtml
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
            # Debian's wkhtmltopdf (no patched Qt) does not print the layout's header: the
            # statement then names the company, with its address, in its body
            "company_in_body": not _wkhtml().is_patched_qt,
        }
