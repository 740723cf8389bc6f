from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import aging_buckets, analysis_params

# the context key of the analysis's parameters, set by ``credit.aging.wizard``'s action
ANALYSIS_CONTEXT = "credit_aging_analysis"
BASES = ("due", "invoice")
LAYOUTS = ("summary", "detailed")
# the open items' columns the analysis shows, in the order of its rows
ITEM_COLUMNS = (
    "move_line_id",
    "move_id",
    "partner_id",
    "user_id",
    "collector_id",
    "grade_id",
    "company_id",
    "currency_id",
    "date",
    "date_maturity",
    "reference_date",
    "days_overdue",
    "bucket",
    "amount_residual",
    "amount_residual_currency",
)


class CreditAgingLine(models.Model):
    """One receivable item open at the as-of date of an aging analysis (detailed), or the
    items of one customer, salesperson, company, currency and bucket summed (summary).

    A query model, computed where it is read: its rows are the query layer's open items at
    the date the action's context names (``credit_aging_analysis``: as-of date, basis,
    bucket limits, companies, customers, layout). Nothing is written to open the analysis,
    so the pivot, graph and list read it with Odoo's read-only ``web_read_group`` and
    ``web_search_read``, on the database replica when there is one, and a lagging replica
    cannot show an empty pivot of rows just written on the primary. The screen shows what
    the PDF and the Excel file print: the same SQL of ``credit.receivable.query``.
    """

    _name = "credit.aging.line"
    _description = "Aging Analysis Line"
    _auto = False
    _order = "partner_id, reference_date, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    grade_id = fields.Many2one("credit.grade", string="Credit Grade", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Accounting Date", readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    reference_date = fields.Date(string="Aging From", readonly=True)
    days_overdue = fields.Integer(aggregator="max", readonly=True)
    # the bucket's position; labelled with the database's limits. The views show bucket_id,
    # labelled with the limits of the analysis.
    bucket = fields.Selection(
        selection="_selection_bucket", string="Bucket Position", readonly=True
    )
    bucket_id = fields.Many2one("credit.aging.bucket", string="Aging Bucket", readonly=True)
    amount_residual = fields.Monetary(
        string="Open Amount", currency_field="company_currency_id", readonly=True
    )
    item_count = fields.Integer(string="Items", readonly=True)
    amount_residual_currency = fields.Monetary(
        string="Open Amount in Currency",
        currency_field="currency_id",
        aggregator=False,
        readonly=True,
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "move_id", "bucket_id")
    def _compute_display_name(self):
        """ "INV/2024/00001 – 61-90" for an item, "Acme – 61-90" for a customer's sum (a
        breadcrumb or an error names the row, not "credit.aging.line,3")."""
        for line in self:
            who = line.move_id.name or line.partner_id.display_name or self.env._("None")
            line.display_name = f"{who} – {line.bucket_id.name}"

    # ------------------------------------------------------------
    # SELECTION
    # ------------------------------------------------------------

    @api.model
    def _selection_bucket(self):
        labels = aging_buckets.translated_labels(self.env, aging_buckets.default_limits(self.env))
        return [(str(index), label) for index, label in enumerate(labels)]

    # ------------------------------------------------------------
    # TABLE QUERY
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        """The rows of the analysis the context names; none without one (the model read
        outside an analysis, e.g. by a generic tool)."""
        params = self._get_analysis_params()
        if params is None:
            return SQL("SELECT NULL::int AS id, %s WHERE FALSE", self._empty_columns_sql())
        items = self.env["credit.receivable.query"]._open_items_sql(**params["query"])
        return self._lines_select(items, params["layout"])

    @api.model
    def _empty_columns_sql(self):
        """The columns of an analysis row, typed, for the empty analysis."""
        types = {
            "date": "date",
            "date_maturity": "date",
            "reference_date": "date",
            "bucket": "varchar",
            "amount_residual": "numeric",
            "amount_residual_currency": "numeric",
        }
        columns = [
            SQL("NULL::%s AS %s", SQL(types.get(name, "int")), SQL.identifier(name))
            for name in (*ITEM_COLUMNS, "bucket_id", "item_count")
        ]
        return SQL(", ").join(columns)

    @api.model
    def _lines_select(self, items, layout):
        """The rows from the open-item SQL ``items``: the items themselves (detailed, the
        journal item's id as the row's), or their sums per dimension and bucket (summary,
        numbered in a fixed order, so that a row keeps its id between two reads of the same
        ledger). ``bucket_id`` is the position of the bucket plus one, the id of its
        ``credit.aging.bucket``."""
        if layout == "detailed":
            return SQL(
                """SELECT move_line_id AS id, move_line_id, move_id, partner_id, user_id,
                          collector_id, grade_id, company_id, currency_id, date,
                          date_maturity, reference_date, days_overdue,
                          bucket::varchar AS bucket, amount_residual,
                          amount_residual_currency, bucket + 1 AS bucket_id, 1 AS item_count
                     FROM (%s) AS items""",
                items,
            )
        return SQL(
            """SELECT ROW_NUMBER() OVER (
                          ORDER BY partner_id, company_id, currency_id, user_id, bucket)::int
                          AS id,
                      NULL::int AS move_line_id, NULL::int AS move_id, partner_id, user_id,
                      collector_id, grade_id, company_id, currency_id, MIN(date) AS date,
                      MIN(date_maturity) AS date_maturity,
                      MIN(reference_date) AS reference_date,
                      MAX(days_overdue) AS days_overdue, bucket::varchar AS bucket,
                      SUM(amount_residual) AS amount_residual,
                      SUM(amount_residual_currency) AS amount_residual_currency,
                      bucket + 1 AS bucket_id, COUNT(*)::int AS item_count
                 FROM (%s) AS items
             GROUP BY partner_id, user_id, collector_id, grade_id, company_id,
                      currency_id, bucket""",
            items,
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.readonly
    def action_open_journal_item(self):
        """Drill down: the journal item of a detailed row, the items summed by a summary row.

        Read-only (``api.readonly``): the button is served on the replica like the rows."""
        self.ensure_one()
        if self.move_line_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "account.move.line",
                "res_id": self.move_line_id.id,
                "views": [(False, "form")],
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open items of %(customer)s", customer=self.partner_id.display_name),
            "res_model": "account.move.line",
            "domain": [("id", "in", self._get_move_line_ids())],
            "views": [(False, "list"), (False, "form")],
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _analysis_context(self, *, as_of, basis, limits, company_ids, partner_ids, layout):
        """The context of an analysis's action: JSON the web client sends back with every
        read, checked again by ``_get_analysis_params`` each time."""
        return {
            ANALYSIS_CONTEXT: {
                "as_of": fields.Date.to_string(as_of),
                "basis": basis,
                "limits": list(limits),
                "company_ids": list(company_ids),
                "partner_ids": list(partner_ids),
                "layout": layout,
            }
        }

    @api.model
    def _get_analysis_params(self):
        """The analysis the context names, checked: ``{"query": arguments of
        ``_open_items_sql``, "layout"}``, ``None`` when the context names none.

        The context comes from the browser: every value is checked for its type and range
        (``tools/analysis_params``) and only ever reaches SQL as a parameter; companies the
        user does not work in are refused (the query layer reads past record rules)."""
        params = self.env.context.get(ANALYSIS_CONTEXT)
        if params is None:
            return None
        try:
            if not isinstance(params, dict):
                raise analysis_params.BadParameter(ANALYSIS_CONTEXT, params)
            query = {
                "as_of": analysis_params.date_param("as_of", params.get("as_of")),
                "basis": analysis_params.choice_param("basis", params.get("basis"), BASES),
                "limits": analysis_params.limits_param("limits", params.get("limits")),
                "company_ids": analysis_params.ids_param(
                    "company_ids", params.get("company_ids"), required=True
                ),
                "partner_ids": analysis_params.ids_param(
                    "partner_ids", params.get("partner_ids", [])
                ),
            }
            layout = analysis_params.choice_param("layout", params.get("layout"), LAYOUTS)
        except analysis_params.BadParameter as error:
            raise UserError(
                self.env._(
                    "The aging analysis cannot read its parameter %(name)s (“%(value)s”): "
                    "open it again from Reporting > Aging Report.",
                    name=error.name,
                    value=aging_buckets.excerpt(error.value),
                )
            ) from None
        self._check_companies(query["company_ids"])
        return {"query": query, "layout": layout}

    def _check_companies(self, company_ids):
        if self.env.su:
            return
        foreign = set(company_ids) - set(self.env.user._get_company_ids())
        if foreign:
            raise AccessError(
                self.env._(
                    "You do not work for every company of this aging analysis: open it again "
                    "with your own companies."
                )
            )

    def _get_move_line_ids(self):
        """Journal items summed by this summary row, read again through the query layer."""
        params = self._get_analysis_params()
        if params is None:
            return []
        args = params["query"] | {"partner_ids": self.partner_id.ids}
        items = self.env["credit.receivable.query"]._get_open_items(**args)
        key = (self.company_id.id, self.currency_id.id, self.user_id.id or None, int(self.bucket))
        return [
            item["move_line_id"]
            for item in items
            if (item["company_id"], item["currency_id"], item["user_id"], item["bucket"]) == key
        ]
