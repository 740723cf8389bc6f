from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CollectionDispute(models.Model):
    """A customer contests an invoice: it leaves dunning until the dispute is resolved."""

    _name = "collection.dispute"
    _description = "Collection Dispute"
    _inherit = ["collection.case.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

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

    @api.constrains("amount", "move_id")
    def _check_amount(self):
        for dispute in self:
            total = abs(dispute.move_id.amount_total_signed)
            if dispute.amount < 0 or dispute.currency_id.compare_amounts(dispute.amount, total) > 0:
                raise ValidationError(
                    self.env._(
                        "The disputed amount of %(invoice)s must lie between zero and the "
                        "invoice total.",
                        invoice=dispute.move_id.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        disputes.case_id.filtered(lambda c: c.state in ("open", "in_progress", "promised")).write(
            {"state": "dispute"}
        )
        return disputes

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
        if not self.credit_note_id or self.credit_note_id.state == "cancel":
            self.credit_note_id = self._create_credit_note()
        return self.action_view_credit_note()

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
        self._resolve("rejected")
        return True

    def _create_credit_note(self):
        """A draft reversal of the invoice whose lines are scaled to the disputed amount."""
        self.ensure_one()
        invoice = self.move_id
        # a collector prepares the draft without Invoicing rights (who may work the dispute
        # is decided by its access rules); posting it stays with Invoicing
        credit_note = invoice.sudo()._reverse_moves([self._prepare_credit_note_vals()])
        total = abs(invoice.amount_total_signed)
        if total and self.currency_id.compare_amounts(self.amount, total) < 0:
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
        self.state = state
        for case in self.case_id:
            if case.state == "dispute" and not case.dispute_ids.filtered(
                lambda d: d.state == "open"
            ):
                case.state = "in_progress"
