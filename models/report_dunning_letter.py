from odoo import api, models
from odoo.addons.base.models.ir_actions_report import _wkhtml


class ReportDunningLetter(models.AbstractModel):
    """Values of the dunning letter (催款函): the cases, and whether the body names the company."""

    _name = "report.credit_collection.report_dunning_letter"
    _description = "Dunning Letter Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        return {
            "doc_ids": docids,
            "doc_model": "collection.case",
            "docs": self.env["collection.case"].browse(docids),
            # Debian's wkhtmltopdf (no patched Qt) does not print the layout's header: a
            # letter must still say who writes it
            "company_in_body": not _wkhtml().is_patched_qt,
        }
