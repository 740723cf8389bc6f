from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("amount", "move_id")
    def _check_amount(self):
        for dispute in self:
            if dispute.amount < 0 or dispute.amount > dispute.move_id.amount_total:
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
        """Resolve by crediting the invoice: opens Odoo's reversal wizard."""
        self.ensure_one()
        self._resolve("credit_note")
        action = self.move_id.action_reverse()
        action["context"] = dict(
            self.env.context, active_model="account.move", active_ids=self.move_id.ids
        )
        return action

    def action_reject(self):
        self._resolve("rejected")
        return True

    def _resolve(self, state):
        self.state = state
        for case in self.case_id:
            if case.state == "dispute" and not case.dispute_ids.filtered(
                lambda d: d.state == "open"
            ):
                case.state = "in_progress"
