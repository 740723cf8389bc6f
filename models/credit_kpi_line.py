from odoo import api, fields, models

from .res_company_receivable_kpi import KPI_DESCRIPTIONS

# the KPI of each column: field name -> key of ``_get_receivable_kpis`` ("add" would read as
# a recordset operation, so its column is ``add_days``)
KPI_FIELDS = {
    "dso": "dso",
    "countback_dso": "countback_dso",
    "best_possible_dso": "best_possible_dso",
    "add_days": "add",
    "cei": "cei",
    "overdue_rate": "overdue_rate",
    "collection_rate": "collection_rate",
    "avg_payment_days": "avg_payment_days",
    "credit_sales": "credit_sales",
    "ar_start": "ar_start",
    "ar_end": "ar_end",
    "current_ar_end": "current_ar_end",
}
# the column each grouping of the KPI engine fills with the group's record
GROUP_FIELDS = {
    "company_id": "group_company_id",
    "partner_id": "partner_id",
    "user_id": "user_id",
    "collector_id": "collector_id",
    "grade_id": "grade_id",
    "currency_id": "currency_id",
}


def _kpi_texts(key):
    """The English label and help of a KPI: Odoo translates field strings and helps itself
    (the same terms as ``_get_receivable_kpi_descriptions``)."""
    label, help_text = KPI_DESCRIPTIONS[key]
    return {"string": label._source, "help": help_text._source}


def _kpi_float(key, **kwargs):
    return fields.Float(**_kpi_texts(key), readonly=True, aggregator=False, **kwargs)


def _kpi_money(key):
    return fields.Monetary(**_kpi_texts(key), readonly=True, currency_field="company_currency_id")


class CreditKpiLine(models.TransientModel):
    """One group of a KPI analysis (a customer, a salesperson...) or a company's total row.

    Rows are written by ``credit.kpi.wizard._fill_lines`` from one call of
    ``res.company._get_receivable_kpis_grouped`` per company, so the screen, the Excel file
    and the PDF show the KPI engine's figures. A ratio the engine leaves unknown (``None``,
    its denominator is zero) is listed in ``unknown_kpis`` and shown empty, not as 0.
    """

    _name = "credit.kpi.line"
    _description = "Receivables KPI Analysis Line"
    _order = "wizard_id, company_id, is_total, ar_end desc, name, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    wizard_id = fields.Many2one("credit.kpi.wizard", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    is_total = fields.Boolean(string="Total", readonly=True)
    group_by = fields.Char(readonly=True)
    res_id = fields.Integer(string="Group Record ID", readonly=True)
    name = fields.Char(string="Group", readonly=True)
    group_company_id = fields.Many2one("res.company", string="Company Group", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    grade_id = fields.Many2one("credit.grade", string="Credit Grade", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Document Currency", readonly=True)
    unknown_kpis = fields.Char(
        readonly=True, help="The ratios whose denominator is zero: shown empty, not as 0."
    )
    dso = _kpi_float("dso")
    countback_dso = _kpi_float("countback_dso")
    best_possible_dso = _kpi_float("best_possible_dso")
    add_days = _kpi_float("add")
    cei = _kpi_float("cei")
    overdue_rate = _kpi_float("overdue_rate")
    collection_rate = _kpi_float("collection_rate")
    avg_payment_days = _kpi_float("avg_payment_days")
    credit_sales = _kpi_money("credit_sales")
    ar_start = _kpi_money("ar_start")
    ar_end = _kpi_money("ar_end")
    current_ar_end = _kpi_money("current_ar_end")
    overdue_ar_end = fields.Monetary(
        string="Overdue Receivables at the End",
        help="Receivables at the end of the period minus the part not yet due.",
        readonly=True,
        currency_field="company_currency_id",
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_customer(self):
        """A customer row opens the customer's credit file (the partner form, tab Credit)."""
        self.ensure_one()
        return self.partner_id._get_credit_file_action()

    def action_open_items(self):
        """The journal items open at the end of the period that make up this row's AR."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open items of %(group)s", group=self.name),
            "res_model": "account.move.line",
            "domain": [("id", "in", self._get_move_line_ids())],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }

    def action_export_xlsx(self):
        """The list's Export button: the Excel file of the analysis these rows belong to."""
        wizard = self.wizard_id[:1] or self.env["credit.kpi.wizard"].browse(
            self.env.context.get("kpi_wizard_id")
        )
        return wizard.action_export_xlsx()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_move_line_ids(self):
        """Journal items open at ``date_to`` behind this row, read again through the query
        layer (the open items the engine sums into ``ar_end``)."""
        wizard = self.wizard_id
        partners = wizard._get_partner_ids()
        if self.group_by == "partner_id" and not self.is_total:
            partners = self.partner_id.ids
        items = self.env["credit.receivable.query"]._get_open_items(
            wizard.date_to, self.company_id.ids, partner_ids=partners
        )
        if self.is_total:
            return [item["move_line_id"] for item in items]
        return [item["move_line_id"] for item in items if (item[self.group_by] or 0) == self.res_id]

    @api.model
    def _kpi_values(self, kpis):
        """Column values of a row from a dict of ``_get_receivable_kpis``."""
        values = {field: kpis[key] or 0.0 for field, key in KPI_FIELDS.items()}
        values["overdue_ar_end"] = kpis["ar_end"] - kpis["current_ar_end"]
        values["unknown_kpis"] = ",".join(
            field for field, key in KPI_FIELDS.items() if kpis[key] is None
        )
        return values
