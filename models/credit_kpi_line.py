import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import aging_buckets, analysis_params
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
# the context key of the analysis's parameters, set by ``credit.kpi.wizard``'s action
ANALYSIS_CONTEXT = "credit_kpi_analysis"
# the columns of a row and their SQL types, as ``_table_query`` reads them from JSON
ROW_COLUMNS = {
    "id": "int",
    "company_id": "int",
    "is_total": "boolean",
    "group_by": "varchar",
    "res_id": "int",
    "name": "varchar",
    "group_company_id": "int",
    "partner_id": "int",
    "user_id": "int",
    "collector_id": "int",
    "grade_id": "int",
    "currency_id": "int",
    "unknown_kpis": "varchar",
    **{field: "float8" for field in list(KPI_FIELDS)[:8]},
    **{field: "numeric" for field in list(KPI_FIELDS)[8:]},
    "overdue_ar_end": "numeric",
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


class CreditKpiLine(models.Model):
    """One group of a KPI analysis (a customer, a salesperson...) or a company's total row.

    A query model, computed where it is read: the rows are the KPI engine's figures
    (``res.company._get_receivable_kpis_grouped``, one call per company) for the analysis
    the action's context names (``credit_kpi_analysis``: period, grouping, companies,
    customers), handed to PostgreSQL as one JSON parameter. Nothing is written to open the
    analysis, so its list and graph are read with Odoo's read-only calls, on the database
    replica when there is one, where a lagging replica cannot show rows just written on the
    primary. The rows are computed once per request (the engine's ratios are Python, not
    SQL), not once per read of the request. A ratio the engine leaves unknown (``None``, its
    denominator is zero) is listed in ``unknown_kpis`` and shown empty, not as 0.
    """

    _name = "credit.kpi.line"
    _description = "Receivables KPI Analysis Line"
    _auto = False
    _order = "company_id, is_total, ar_end desc, name, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one("res.company", readonly=True)
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
    # TABLE QUERY
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        """The rows of the analysis the context names, as one JSON parameter; none
        without one."""
        columns = SQL(", ").join(
            SQL("%s %s", SQL.identifier(name), SQL(sql_type))
            for name, sql_type in ROW_COLUMNS.items()
        )
        return SQL(
            "SELECT * FROM jsonb_to_recordset(%s::jsonb) AS rows(%s)",
            json.dumps(self._get_analysis_rows()),
            columns,
        )

    @api.model
    def _get_analysis_rows(self):
        """The rows (JSON-able dicts with ids), computed once per request: the list's
        search then its count, the graph's read, reuse them while the transaction reads a
        fixed snapshot and has written nothing (always so on a read-only cursor)."""
        params = self._get_analysis_params()
        if params is None:
            return []
        key = (self.env.uid, self.env.lang, json.dumps(params, default=str, sort_keys=True))
        memo = self.env.cr.cache.setdefault("credit_kpi_analysis_rows", {})
        if key in memo and self._reads_are_repeatable():
            return memo[key]
        rows = self._compute_analysis_rows(params)
        if self._reads_are_repeatable():
            memo[key] = rows
        return rows

    @api.model
    def _reads_are_repeatable(self):
        """Whether what this transaction read can be read again unchanged: a read-only
        cursor, or one that has written nothing yet (Odoo's transactions are REPEATABLE
        READ: other transactions' commits stay unseen). Pending ORM writes are flushed
        first, so that they count as written."""
        if self.env.cr.readonly:
            return True
        self.env.flush_all()
        [(unwritten,)] = self.env.execute_query(SQL("SELECT txid_current_if_assigned() IS NULL"))
        return unwritten

    @api.model
    def _compute_analysis_rows(self, params):
        """The wizard's rows (``credit.kpi.wizard._get_line_values``), numbered in a fixed
        order so that a row keeps its id between two reads of the same ledger."""
        values = self._analysis_wizard(params)._get_line_values()
        values.sort(key=lambda row: (row["company_id"], row["is_total"], row["res_id"]))
        rows = []
        for index, row in enumerate(values, start=1):
            rows.append(
                {
                    name: (row.get(name) or None)
                    if ROW_COLUMNS[name] == "int"
                    else _json_number(row.get(name))
                    for name in ROW_COLUMNS
                }
                | {"id": index}
            )
        return rows

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.readonly
    def action_open_customer(self):
        """A customer row opens the customer's credit file (the partner form, tab Credit).
        Read-only (``api.readonly``): served on the replica like the rows."""
        self.ensure_one()
        return self.partner_id._get_credit_file_action()

    @api.readonly
    def action_open_items(self):
        """The journal items open at the end of the period that make up this row's AR.
        Read-only (``api.readonly``): served on the replica like the rows."""
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
        """The list's Export button: the Excel file of the analysis these rows belong to
        (it keeps the file as an attachment: served on the primary)."""
        wizard = self.env["credit.kpi.wizard"].browse(self.env.context.get("kpi_wizard_id"))
        return wizard.action_export_xlsx()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _analysis_context(self, wizard):
        """The context of an analysis's action: JSON the web client sends back with every
        read, checked again by ``_get_analysis_params`` each time."""
        return {
            ANALYSIS_CONTEXT: {
                "date_from": fields.Date.to_string(wizard.date_from),
                "date_to": fields.Date.to_string(wizard.date_to),
                "group_by": wizard.group_by,
                "company_ids": wizard.company_ids.ids,
                "partner_ids": wizard.partner_ids.ids,
            }
        }

    @api.model
    def _get_analysis_params(self):
        """The analysis the context names, checked (``tools/analysis_params``), ``None``
        when the context names none. The context comes from the browser: a bad value is
        refused with a message; the companies are checked by the wizard's rules."""
        params = self.env.context.get(ANALYSIS_CONTEXT)
        if params is None:
            return None
        try:
            if not isinstance(params, dict):
                raise analysis_params.BadParameter(ANALYSIS_CONTEXT, params)
            checked = {
                "date_from": analysis_params.date_param("date_from", params.get("date_from")),
                "date_to": analysis_params.date_param("date_to", params.get("date_to")),
                "group_by": analysis_params.choice_param(
                    "group_by", params.get("group_by"), tuple(GROUP_FIELDS)
                ),
                "company_ids": analysis_params.ids_param(
                    "company_ids", params.get("company_ids"), required=True
                ),
                "partner_ids": analysis_params.ids_param(
                    "partner_ids", params.get("partner_ids", [])
                ),
            }
        except analysis_params.BadParameter as error:
            raise UserError(
                self.env._(
                    "The KPI analysis cannot read its parameter %(name)s (“%(value)s”): "
                    "open it again from Reporting > Receivables KPIs.",
                    name=error.name,
                    value=aging_buckets.excerpt(error.value),
                )
            ) from None
        return checked

    @api.model
    def _analysis_wizard(self, params):
        """An unsaved ``credit.kpi.wizard`` holding ``params``: the engine's calls, the
        company check and the group names are the wizard's, whatever reads the rows."""
        wizard = self.env["credit.kpi.wizard"].new(
            {
                "period": "custom",
                "date_from": params["date_from"],
                "date_to": params["date_to"],
                "group_by": params["group_by"],
                "company_ids": [fields.Command.set(params["company_ids"])],
                "partner_ids": [fields.Command.set(params["partner_ids"])],
            }
        )
        wizard._check_companies()
        return wizard

    def _get_move_line_ids(self):
        """Journal items open at ``date_to`` behind this row, read again through the query
        layer (the open items the engine sums into ``ar_end``)."""
        params = self._get_analysis_params()
        if params is None:
            return []
        wizard = self._analysis_wizard(params)
        partners = wizard._get_partner_ids()
        if self.group_by == "partner_id" and not self.is_total:
            partners = self.partner_id.ids
        items = self.env["credit.receivable.query"]._get_open_items(
            params["date_to"], self.company_id.ids, partner_ids=partners
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


def _json_number(value):
    """A value as JSON holds it: Decimal amounts as floats, the rest as they are."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return float(value)
