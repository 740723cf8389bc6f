from odoo import fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_hold = fields.Boolean(
        string="Customer on Credit Hold",
        related="partner_id.commercial_partner_id.credit_hold",
    )
    credit_hold_reason = fields.Char(
        string="Credit Hold Reason",
        related="partner_id.commercial_partner_id.credit_hold_reason",
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        """Refuse the confirmation of orders whose customer fails the credit checks.

        Every confirmation path (backend button, portal signature or payment,
        e-commerce, other modules) ends in ``action_confirm``, so checking here
        catches them all.
        """
        self._check_credit_on_confirm()
        return super().action_confirm()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_credit_on_confirm(self):
        messages = [message for order in self for message in order._get_credit_block_messages()]
        if messages:
            raise UserError("\n\n".join(messages))

    def _get_credit_block_messages(self):
        """Return the reasons, readable by the salesperson, why this order may not be
        confirmed. Extension point: each credit rule appends its own message."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if not customer.credit_hold:
            return []
        return [
            self.env._(
                "%(order)s cannot be confirmed: customer %(customer)s is on credit hold "
                "(reason: %(reason)s). Ask a credit manager to release the hold, then confirm "
                "the order again.",
                order=self.name,
                customer=customer.display_name,
                reason=customer.credit_hold_reason,
            )
        ]
