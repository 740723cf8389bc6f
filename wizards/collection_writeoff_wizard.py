from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..models.collection_case import OPEN_STATES
from ..models.collection_writeoff import WRITEOFF_REASONS


class CollectionWriteoffWizard(models.TransientModel):
    """Write off what a customer will never pay: one posted entry against the bad debt account.

    The credit manager chooses the invoices (the overdue ones by default) and may write off
    less than they owe, taken from the oldest first. A foreign-currency invoice is written
    off in its own currency, so that it ends paid and Odoo books the exchange difference.
    Credit managers decide write-offs even without accounting rights: the wizard checks the
    group, then posts as superuser with the user kept as author of the entry, the
    ``collection.writeoff`` record and the chatter message.
    """

    _name = "collection.writeoff.wizard"
    _description = "Write Off Bad Debt"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    case_id = fields.Many2one("collection.case", required=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    partner_id = fields.Many2one(related="case_id.partner_id")
    available_invoice_ids = fields.Many2many(
        "account.move", compute="_compute_available_invoice_ids"
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_invoice_ids",
        store=True,
        readonly=False,
        domain="[('id', 'in', available_invoice_ids)]",
        help="The case's open invoices to write off; by default those past their due date.",
    )
    amount_open = fields.Monetary(
        string="Open Amount",
        compute="_compute_amount_open",
        help="What the selected invoices still owe, in company currency at the write-off "
        "date's rates.",
    )
    amount = fields.Monetary(
        string="Amount to Write Off",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="At most the open amount; a smaller amount is taken from the oldest invoices first.",
    )
    reason = fields.Selection(WRITEOFF_REASONS, required=True)
    note = fields.Text()
    date = fields.Date(required=True, default=fields.Date.context_today)
    account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account",
        compute="_compute_account_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        check_company=True,
    )
    journal_id = fields.Many2one(
        "account.journal",
        compute="_compute_journal_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        check_company=True,
        domain=[("type", "=", "general")],
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("case_id")
    def _compute_available_invoice_ids(self):
        for wizard in self:
            # the case's invoices, read for a credit manager who may lack accounting rights
            wizard.available_invoice_ids = wizard.case_id.sudo().invoice_ids

    @api.depends("case_id")
    def _compute_invoice_ids(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.invoice_ids = wizard.available_invoice_ids.filtered(
                lambda move: move.invoice_date_due and move.invoice_date_due < today
            )

    @api.depends("invoice_ids", "date")
    def _compute_amount_open(self):
        for wizard in self:
            lines = wizard._get_open_receivable_lines()
            wizard.amount_open = sum(wizard._open_amount(line) for line in lines)

    @api.depends("amount_open")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.amount_open

    @api.depends("case_id")
    def _compute_account_id(self):
        for wizard in self:
            wizard.account_id = wizard.company_id.sudo().writeoff_account_id

    @api.depends("case_id")
    def _compute_journal_id(self):
        for wizard in self:
            company = wizard.company_id.sudo()
            wizard.journal_id = company.writeoff_journal_id or self.env[
                "account.journal"
            ].sudo().search([("company_id", "=", company.id), ("type", "=", "general")], limit=1)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        self.ensure_one()
        self.env["credit.decision.mixin"]._check_credit_manager(
            self.env._("Only a credit manager can write off a bad debt.")
        )
        self._check_writeoff()
        # controlled elevation: the user is a credit manager; posting needs accounting
        # rights he may not have. sudo() keeps the uid, so he stays the author.
        wizard = self.sudo().with_company(self.company_id)
        allocation = wizard._allocate(wizard._get_open_receivable_lines())
        move = wizard._post_move(allocation)
        writeoff = wizard._create_writeoff(move, allocation)
        wizard._update_case(writeoff)
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_writeoff(self):
        """Refuse what the form would not offer: anything can be sent over RPC."""
        case = self.case_id
        if case.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "The case of %(customer)s is no longer open: there is nothing to write off.",
                    customer=case.partner_id.display_name,
                )
            )
        foreign = self.invoice_ids._origin - self.available_invoice_ids._origin
        if foreign:
            raise UserError(
                self.env._(
                    "%(invoices)s are not open invoices of %(customer)s in %(company)s: "
                    "choose among the case's open invoices.",
                    invoices=", ".join(foreign.sudo().mapped("display_name")),
                    customer=case.partner_id.display_name,
                    company=case.company_id.name,
                )
            )
        if not self._get_open_receivable_lines():
            raise UserError(
                self.env._("Choose at least one open invoice of the customer to write off.")
            )
        self._check_amount()
        if self.account_id.sudo().account_type in ("asset_receivable", "liability_payable"):
            raise UserError(
                self.env._(
                    "Charge the write-off to an expense account for bad debts, not to the "
                    "receivable or payable account %(account)s.",
                    account=self.account_id.sudo().display_name,
                )
            )

    def _check_amount(self):
        currency = self.currency_id
        if currency.compare_amounts(self.amount, 0.0) <= 0 or (
            currency.compare_amounts(self.amount, self.amount_open) > 0
        ):
            raise UserError(
                self.env._(
                    "Write off an amount above zero and at most %(open)s, what the chosen "
                    "invoices owe (you entered %(amount)s).",
                    open=currency.format(self.amount_open),
                    amount=currency.format(self.amount),
                )
            )

    def _get_open_receivable_lines(self):
        """The open receivable items of the selected invoices, oldest due date first."""
        # _origin: in the dialog (onchange) the records are new ones wrapping the invoices
        available = self.available_invoice_ids._origin
        lines = (
            self.env["credit.receivable.query"]
            ._filter_receivable(self.invoice_ids._origin.sudo().line_ids)
            .filtered(
                lambda line: (
                    not line.reconciled
                    and line.parent_state == "posted"
                    and line.move_id in available
                    and line.currency_id.compare_amounts(line.amount_residual_currency, 0.0) > 0
                )
            )
        )
        return lines.sorted(lambda line: (line.date_maturity or line.date, line.id))

    def _open_amount(self, line):
        """What the item owes in company currency at the write-off date: a foreign item at
        that day's rate, as the entry will book it."""
        if line.currency_id == line.company_currency_id:
            return line.amount_residual
        return line.currency_id._convert(
            line.amount_residual_currency,
            line.company_currency_id,
            line.company_id,
            self.date or fields.Date.context_today(self),
        )

    def _allocate(self, lines):
        """``[(line, balance, amount in the line's currency)]``: the amount to write off
        spread over the items, oldest first. An item written off in full gives its whole
        residual in its own currency, so it ends paid whatever the rate."""
        currency = self.currency_id
        remaining = self.amount
        allocation = []
        for line in lines:
            if currency.compare_amounts(remaining, 0.0) <= 0:
                break
            full = self._open_amount(line)
            if currency.compare_amounts(remaining, full) >= 0:
                balance, amount_currency = full, line.amount_residual_currency
            else:
                balance = remaining
                amount_currency = line.currency_id.round(
                    line.amount_residual_currency * remaining / full
                )
            remaining = currency.round(remaining - balance)
            allocation.append((line, balance, amount_currency))
        return allocation

    def _post_move(self, allocation):
        move = self.env["account.move"].create(self._prepare_move_vals(allocation))
        move.action_post()
        counterparts = self.env["credit.receivable.query"]._filter_receivable(move.line_ids)
        self.env["account.move.line"]._reconcile_plan(
            [
                line + counterpart
                for (line, __, __), counterpart in zip(allocation, counterparts, strict=True)
            ]
        )
        return move

    def _prepare_move_vals(self, allocation):
        label = self.env._(
            "Bad debt write-off: %(customer)s", customer=self.case_id.partner_id.name
        )
        lines = [
            Command.create(
                {
                    "name": line.move_id.name,
                    "account_id": line.account_id.id,
                    "partner_id": line.partner_id.id,
                    "currency_id": line.currency_id.id,
                    "amount_currency": -amount_currency,
                    "balance": -balance,
                }
            )
            for line, balance, amount_currency in allocation
        ]
        total = self.currency_id.round(sum(balance for __, balance, __ in allocation))
        lines.append(
            Command.create(
                {
                    "name": label,
                    "account_id": self.account_id.id,
                    "partner_id": self.case_id.partner_id.id,
                    "currency_id": self.currency_id.id,
                    "amount_currency": total,
                    "balance": total,
                }
            )
        )
        return {
            "move_type": "entry",
            "journal_id": self.journal_id.id,
            "date": self.date,
            "ref": label,
            "narration": plaintext2html(self.note) if self.note else False,
            "line_ids": lines,
        }

    def _create_writeoff(self, move, allocation):
        case = self.case_id
        partner = case.partner_id.with_company(case.company_id)
        return self.env["collection.writeoff"].create(
            {
                "case_id": case.id,
                "partner_id": partner.id,
                "company_id": case.company_id.id,
                "date": self.date,
                "reason": self.reason,
                "note": self.note,
                "amount": self.currency_id.round(sum(balance for __, balance, __ in allocation)),
                "move_id": move.id,
                "user_id": self.env.uid,
                "grade_id": partner.credit_grade_id.id,
                "salesperson_id": partner.user_id.id,
                "invoice_ids": [Command.set([line.move_id.id for line, __, __ in allocation])],
            }
        )

    def _update_case(self, writeoff):
        """Nothing left to pay closes the case as written off; otherwise it stays open with
        what is still owed."""
        case = self.case_id
        today = fields.Date.context_today(self)
        due = (
            self.env["credit.receivable.query"]
            ._get_collection_totals(today, case.company_id.ids, case.partner_id.ids)
            .get((case.partner_id.id, case.company_id.id), (0.0, 0.0, 0))[0]
        )
        if self.currency_id.compare_amounts(due, 0.0) <= 0:
            case._mark_written_off(writeoff)
            return
        case._refresh_amounts(today)
        case.message_post(
            body=self.env._(
                "Partly written off: %(amount)s (%(move)s); %(due)s still owed.",
                amount=self.currency_id.format(writeoff.amount),
                move=writeoff.move_id.name,
                due=self.currency_id.format(due),
            )
        )
