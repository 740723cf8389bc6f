from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # credit exposure: the open items of a customer, read without touching the table
    # (credit.receivable.query._customer_open_balance_sql reads these columns only)
    _credit_open_items_idx = models.Index(
        "(partner_id, company_id) INCLUDE (account_id, amount_residual, date_maturity, date) "
        "WHERE amount_residual != 0 AND parent_state = 'posted'"
    )

    def reconcile(self):
        result = super().reconcile()
        self.env["collection.case"]._refresh_cases_of_lines(self)
        self._credit_after_matching()
        return result

    def remove_move_reconcile(self):
        """Undoing a match (a payment reset to draft, a wrong match taken back) opens the
        invoices again: what follows a match follows its undoing too, on both sides."""
        lines = self | self.matched_debit_ids.debit_move_id | self.matched_credit_ids.credit_move_id
        result = super().remove_move_reconcile()
        self.env["collection.case"]._refresh_cases_of_lines(lines)
        lines._credit_after_matching()
        return result

    def _credit_after_matching(self):
        """Runs once these journal items were matched (a payment, a credit note, a write-off)
        or their match was undone: what must follow a customer's payment at once (its other
        invoices' expected dates, its early warnings) extends this, each in the file of its
        own feature."""
        return None
