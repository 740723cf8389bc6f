from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class CollectionPromise(models.Model):
    """A customer's promise to pay an amount by a date.

    While open and not yet due it suspends the dunning of the invoices it covers; at its
    date the payments received decide whether it was kept or broken.
    """

    _name = "collection.promise"
    _description = "Promise to Pay"
    _inherit = ["collection.case.mixin", "mail.thread"]
    _order = "date_promised desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    date_promised = fields.Date(string="Promised Date", required=True, tracking=True)
    date_start = fields.Date(
        default=fields.Date.context_today,
        required=True,
        help="Payments received from this date count towards the promise.",
    )
    move_ids = fields.Many2many(
        "account.move",
        "collection_promise_account_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        help="Invoices whose dunning is suspended until the promised date.",
    )
    amount_paid = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancel", "Cancelled")],
        required=True,
        default="open",
        tracking=True,
        index=True,
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("amount")
    def _check_amount(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._("A promise to pay needs a positive amount; enter what was promised.")
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises.filtered(lambda p: not p.move_ids):
            promise.move_ids = promise.case_id.invoice_ids
        promises.case_id.filtered(lambda c: c.state in ("open", "in_progress")).state = "promised"
        return promises

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        self.state = "cancel"
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _check_due_promises(self, company, today):
        """Decide the promises whose date has passed: kept if enough was paid, else broken."""
        promises = self.search(
            [("company_id", "=", company.id), ("state", "=", "open"), ("date_promised", "<", today)]
        )
        if not promises:
            return
        paid = promises._get_amounts_paid()
        for promise in promises:
            promise.amount_paid = paid.get(promise.id, 0.0)
        kept = promises.filtered(
            lambda p: p.currency_id.compare_amounts(p.amount_paid, p.amount) >= 0
        )
        kept.state = "kept"
        kept.case_id.filtered(lambda c: c.state == "promised").state = "in_progress"
        (promises - kept)._break()

    def _get_amounts_paid(self):
        """Payments received by each promise's customer between its start and promised date."""
        self.env["account.move.line"].flush_model()
        self.flush_recordset()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pr.id, COALESCE(SUM(aml.credit), 0)
                  FROM collection_promise pr
                  JOIN res_partner p ON p.commercial_partner_id = pr.partner_id
                  JOIN account_move_line aml ON aml.partner_id = p.id
                                            AND aml.company_id = pr.company_id
                  JOIN account_account a ON a.id = aml.account_id
                                        AND a.account_type = 'asset_receivable'
                                            AND aml.parent_state = 'posted'
                                            AND aml.credit > 0
                                            AND aml.date BETWEEN pr.date_start AND pr.date_promised
                 WHERE pr.id = ANY(%s)
                 GROUP BY pr.id
                """,
                self.ids,
            )
        )
        return dict(rows)

    def _break(self):
        """A broken promise puts the case back to work, alerts its collector and escalates
        to the company's collection manager."""
        self.state = "broken"
        for promise in self:
            case = promise.case_id
            if case.state == "promised":
                case.state = "in_progress"
            summary = self.env._(
                "Promise broken: %(amount)s due on %(date)s",
                amount=promise.currency_id.format(promise.amount),
                date=promise.date_promised,
            )
            case.activity_schedule(
                "mail.mail_activity_data_call",
                user_id=case.user_id.id or self.env.uid,
                summary=summary,
            )
            manager = case.company_id.collection_manager_id
            if manager and manager != case.user_id:
                case.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=manager.id, summary=summary
                )
