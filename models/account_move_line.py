from odoo import models

from .collection_case import OPEN_STATES


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # credit exposure: the open items of a customer, read without touching the table
    _credit_open_items_idx = models.Index(
        "(partner_id, company_id) INCLUDE (account_id, amount_residual, date_maturity) "
        "WHERE amount_residual != 0 AND parent_state = 'posted'"
    )

    def reconcile(self):
        """A payment matched: the customers' open cases show what is still owed at once (and
        close when nothing is), rather than after the next daily run. Today's figures cost
        one aging query of these customers: the reconciliations dated after today, which
        the aging adds back, are next to none."""
        result = super().reconcile()
        receivables = self.filtered(lambda line: line.account_type == "asset_receivable")
        if receivables:
            self.env["collection.case"].sudo().search(
                [
                    ("partner_id", "in", receivables.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", receivables.company_id.ids),
                    ("state", "in", OPEN_STATES),
                ]
            )._refresh_amounts()
        return result
