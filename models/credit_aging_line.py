from odoo import api, fields, models

from ..tools import aging_buckets


class CreditAgingLine(models.TransientModel):
    """One receivable item open at the as-of date of an aging wizard, for pivot/graph/list.

    Rows are written by ``credit.aging.wizard._fill_lines`` in one INSERT ... SELECT from the
    query layer, so the screen shows exactly what the PDF and the Excel file print.
    """

    _name = "credit.aging.line"
    _description = "Aging Analysis Line"
    _order = "partner_id, reference_date, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    wizard_id = fields.Many2one(
        "credit.aging.wizard", required=True, ondelete="cascade", index=True
    )
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
    # SELECTION
    # ------------------------------------------------------------

    @api.model
    def _selection_bucket(self):
        labels = aging_buckets.translated_labels(self.env, aging_buckets.default_limits(self.env))
        return [(str(index), label) for index, label in enumerate(labels)]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_journal_item(self):
        """Drill down: the journal item of a detailed row, the items summed by a summary row."""
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

    def _get_move_line_ids(self):
        """Journal items summed by this summary row, read again through the query layer."""
        args = self.wizard_id._query_args() | {"partner_ids": self.partner_id.ids}
        items = self.env["credit.receivable.query"]._get_open_items(**args)
        key = (self.company_id.id, self.currency_id.id, self.user_id.id or None, int(self.bucket))
        return [
            item["move_line_id"]
            for item in items
            if (item["company_id"], item["currency_id"], item["user_id"], item["bucket"]) == key
        ]
