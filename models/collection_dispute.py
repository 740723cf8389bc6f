from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CollectionDispute(models.Model):
    """A customer contests an invoice: it leaves dunning until the dispute is resolved."""

    _name = "collection.dispute"
    _description = "Collection Dispute"
    _inherit = [
        "credit.decision.mixin",
        "collection.case.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _decision_fields = ("state", "credit_note_id")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    # the money disputed is the invoice's, in the invoice's currency
    currency_id = fields.Many2one(related="move_id.currency_id", string="Currency")
    amount = fields.Monetary(string="Disputed Amount", currency_field="currency_id", tracking=True)
    reason = fields.Selection(
        [
            ("quality", "Quality"),
            ("price", "Price"),
            ("delivery", "Delivery"),
            ("not_received", "Not Received"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    description = fields.Text()
    user_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user)
    rejection_reason = fields.Text(
        string="Why Rejected",
        tracking=True,
        help="Written before rejecting: the customer reads it on its portal statement.",
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("credit_note", "Resolved by Credit Note"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="open",
        tracking=True,
        index=True,
    )

    credit_note_id = fields.Many2one(
        "account.move",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Posting this credit note resolves the dispute.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("move_id", "case_id")
    def _check_move(self):
        for dispute in self:
            move = dispute.move_id.sudo()
            if (
                move.move_type != "out_invoice"
                or move.state != "posted"
                or move.commercial_partner_id != dispute.partner_id
                or move.company_id != dispute.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "A dispute of %(customer)s is about one of its posted customer invoices "
                        "in %(company)s; %(invoice)s is not one.",
                        customer=dispute.partner_id.name,
                        company=dispute.company_id.name,
                        invoice=move.display_name,
                    )
                )

    @api.constrains("amount", "move_id")
    def _check_amount(self):
        """Only what is still open on the invoice can be disputed: a credit note for more
        would credit the customer money it never owed."""
        for dispute in self:
            move = dispute.move_id.sudo()
            currency = move.currency_id
            if (
                currency.compare_amounts(dispute.amount, 0.0) <= 0
                or currency.compare_amounts(dispute.amount, move.amount_residual) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The disputed amount of %(invoice)s must be more than zero and at most "
                        "what is open on it, %(open)s.",
                        invoice=move.name,
                        open=currency.format(move.amount_residual),
                    )
                )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("move_id")
    def _compute_display_name(self):
        for dispute in self:
            dispute.display_name = self.env._(
                "Dispute on %(invoice)s", invoice=dispute.move_id.sudo().name or ""
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        disputes.case_id._mark_disputed()
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        for dispute in disputes:
            text = self.env._(
                "%(dispute)s: %(reason)s, %(amount)s",
                dispute=dispute.display_name,
                reason=reasons[dispute.reason],
                amount=dispute.currency_id.format(dispute.amount),
            )
            # a plain str: message_post escapes it, what the customer said stays text
            body = f"{text}\n{dispute.description}" if dispute.description else text
            dispute.case_id.message_post(body=body)
        return disputes

    def write(self, vals):
        if (
            "rejection_reason" in vals
            and not self.env.su
            and self.filtered(lambda dispute: dispute.state != "open")
        ):
            # the customer reads it on its portal: once decided, it stays what it was told
            raise UserError(
                self.env._(
                    "The reason is part of the decision the customer was told: it can only "
                    "be written while the dispute is open."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_resolve_credit_note(self):
        """Prepare a draft credit note of the disputed amount and open it.

        The dispute stays open, and the invoice out of dunning, until the credit note is
        posted: posting reconciles it with the invoice and resolves the dispute, and the
        invoice returns to dunning for what remains.
        """
        self.ensure_one()
        if self.state != "open":
            raise UserError(
                self.env._(
                    "The dispute on %(invoice)s is already closed.", invoice=self.move_id.name
                )
            )
        self._check_may_credit()
        if not self.credit_note_id or self.credit_note_id.sudo().state == "cancel":
            # checked above; a credit manager may lack accounting rights, and the user stays
            # the author of the credit note (sudo keeps the uid)
            self._write_decision({"credit_note_id": self.sudo()._create_credit_note().id})
        return self.action_view_credit_note()

    def _check_may_credit(self):
        if self.env.su or self.env.user.has_group("account.group_account_invoice"):
            return
        self._check_credit_manager(
            self.env._(
                "Only a credit manager or a billing user can resolve a dispute by credit note."
            )
        )

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Note"),
            "res_model": "account.move",
            "res_id": self.credit_note_id.id,
            "view_mode": "form",
            "context": {"default_move_type": "out_refund"},
        }

    def action_reject(self):
        open_disputes = self.filtered(lambda d: d.state == "open")
        if open_disputes != self:
            raise UserError(self.env._("Only an open dispute can be rejected."))
        self._resolve("rejected")
        return True

    def _create_credit_note(self):
        """A draft reversal of the invoice whose lines are scaled to the disputed amount."""
        self.ensure_one()
        invoice = self.move_id
        credit_note = invoice._reverse_moves([self._prepare_credit_note_vals()])
        # the disputed amount is in the invoice's currency, like its total
        total = invoice.amount_total
        if total and invoice.currency_id.compare_amounts(self.amount, total) < 0:
            ratio = self.amount / total
            credit_note.write(
                {
                    "invoice_line_ids": [
                        Command.update(line.id, {"price_unit": line.price_unit * ratio})
                        for line in credit_note.invoice_line_ids
                        if line.display_type == "product"
                    ]
                }
            )
        credit_note.message_post(
            body=self.env._(
                "Credit note for the dispute %(dispute)s.", dispute=self._get_html_link()
            )
        )
        return credit_note.sudo(False)

    def _prepare_credit_note_vals(self):
        invoice = self.move_id
        today = fields.Date.context_today(self)
        reason = dict(self._fields["reason"]._description_selection(self.env))[self.reason]
        lang = invoice.partner_id.lang or self.env.lang
        return {
            "ref": self.with_context(lang=lang).env._(
                "Dispute on %(invoice)s: %(reason)s", invoice=invoice.name, reason=reason
            ),
            "date": today,
            "invoice_date": today,
            "invoice_date_due": today,
            "journal_id": invoice.journal_id.id,
            "invoice_user_id": invoice.invoice_user_id.id,
            "invoice_origin": invoice.invoice_origin,
        }

    @api.model
    def _resolve_by_posted_credit_notes(self, credit_notes):
        """Credit notes were posted: resolve the open disputes they were prepared for."""
        self.search([("credit_note_id", "in", credit_notes.ids), ("state", "=", "open")])._resolve(
            "credit_note"
        )

    def _resolve(self, state):
        self._write_decision({"state": state})
        self.case_id._resume()
