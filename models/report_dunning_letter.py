from odoo import api, models


class ReportDunningLetter(models.AbstractModel):
    """Values of the dunning letter: the lines and totals per currency of every case printed,
    given to the template as ``letters`` (by case id), whether one letter is printed from its
    case or a batch of the dunning run is printed as one PDF."""

    _name = "report.credit_collection.report_dunning_letter"
    _description = "Dunning Letter Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        cases = self.env["collection.case"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "collection.case",
            "docs": cases,
            "letters": {case.id: case._get_letter_data() for case in cases},
        }
