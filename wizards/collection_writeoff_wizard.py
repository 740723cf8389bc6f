from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class CollectionWriteoffWizard(models.TransientModel):
    """Write off what a customer will never pay: one posted entry against the bad debt account.

    Only credit managers may use it (access rights); the reason category is kept on the case
    so bad debts can be analysed.
    """

    _name = "collection.writeoff.wizard"
    _description = "Write Off Bad Debt"

    case_id = fields.Many2one("collection.case", required=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount = fields.Monetary(related="case_id.amount_due", string="Amount to Write Off")
    reason = fields.Selection(
        selection=lambda self: self.env["collection.case"]._fields["writeoff_reason"].selection,
        required=True,
    )
    note = fields.Text()
    date = fields.Date(required=True, default=fields.Date.context_today)
    account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.writeoff_account_id,
    )
    journal_id = fields.Many2one(
        "account.journal",
        required=True,
        check_company=True,
        domain=[("type", "=", "general")],
        default=lambda self: self._default_journal(),
    )

    @api.model
    def _default_journal(self):
        return self.env.company.writeoff_journal_id or self.env["account.journal"].search(
            [("company_id", "=", self.env.company.id), ("type", "=", "general")], limit=1
        )

    def action_confirm(self):
        self.ensure_one()
        receivables = self._get_open_receivable_lines()
        if not receivables:
            raise UserError(
                self.env._(
                    "%(customer)s owes nothing in this company: there is nothing to write off.",
                    customer=self.case_id.partner_id.display_name,
                )
            )
        # the credit manager's decision (only they may open this wizard) is booked without
        # Invoicing rights: the entry is posted and matched as superuser, authored by them
        move = self.env["account.move"].sudo().create(self._prepare_move_vals(receivables))
        move.action_post()
        for line in receivables.sudo():
            (
                line + move.line_ids.filtered(lambda ml, src=line: ml.name == src.move_id.name)
            ).reconcile()
        move = move.sudo(False)
        self.case_id.write(
            {"state": "written_off", "writeoff_reason": self.reason, "writeoff_move_id": move.id}
        )
        self.case_id.message_post(
            body=self.env._(
                "Written off: %(amount)s (%(move)s).",
                amount=self.currency_id.format(
                    -sum(move.line_ids.filtered("credit").mapped("balance"))
                ),
                move=move.name,
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _get_open_receivable_lines(self):
        return self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.case_id.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
                ("move_id.move_type", "=", "out_invoice"),
            ]
        )

    def _prepare_move_vals(self, receivables):
        label = self.env._(
            "Bad debt write-off: %(customer)s", customer=self.case_id.partner_id.name
        )
        lines = [
            Command.create(
                {
                    "name": line.move_id.name,
                    "account_id": line.account_id.id,
                    "partner_id": line.partner_id.id,
                    "credit": line.amount_residual,
                }
            )
            for line in receivables
        ]
        lines.append(
            Command.create(
                {
                    "name": label,
                    "account_id": self.account_id.id,
                    "partner_id": self.case_id.partner_id.id,
                    "debit": sum(receivables.mapped("amount_residual")),
                }
            )
        )
        return {
            "move_type": "entry",
            "journal_id": self.journal_id.id,
            "date": self.date,
            "ref": label,
            "narration": self.note,
            "line_ids": lines,
        }
