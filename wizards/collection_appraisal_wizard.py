from dateutil.relativedelta import relativedelta

from odoo import fields, models


def _last_month_start(wizard):
    return fields.Date.context_today(wizard) + relativedelta(months=-1, day=1)


def _last_month_end(wizard):
    return fields.Date.context_today(wizard) + relativedelta(day=1, days=-1)


class CollectionAppraisalWizard(models.TransientModel):
    """The period and company of a collector appraisal: fills the ranking's rows
    (``collection.appraisal``) from ``collection.appraisal._get_appraisal_rows`` and opens
    them. Last month by default: an appraisal is of a closed period."""

    _name = "collection.appraisal.wizard"
    _description = "Collector Appraisal"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="From", required=True, default=_last_month_start)
    date_to = fields.Date(string="To", required=True, default=_last_month_end)
    line_ids = fields.One2many("collection.appraisal", "wizard_id", string="Ranking")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_ranking(self):
        self.ensure_one()
        self._fill_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Collector Appraisal %(date_from)s - %(date_to)s",
                date_from=self.date_from,
                date_to=self.date_to,
            ),
            "res_model": "collection.appraisal",
            "views": [(False, "list")],
            "domain": [("wizard_id", "=", self.id)],
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _fill_lines(self):
        """Replace the rows with the ranking the user may see. The rows are read only to
        everyone: they are created as superuser (the user stays their creator) once
        ``_get_appraisal_rows`` checked the user's rights and kept what they may see."""
        appraisal = self.env["collection.appraisal"]
        rows = appraisal._get_appraisal_rows(self.company_id, self.date_from, self.date_to)
        self.line_ids.sudo().unlink()
        appraisal.sudo().create([appraisal._prepare_row_vals(row, self) for row in rows])
        self.invalidate_recordset(["line_ids"])
