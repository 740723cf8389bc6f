from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # the aging as of a date adds back the reconciliations made after it
    # (credit.receivable.query): an index finds them without reading every reconciliation
    _max_date_idx = models.Index("(max_date)")

    def unlink(self):
        lines = self.debit_move_id | self.credit_move_id
        result = super().unlink()
        self.env["collection.case"]._refresh_cases_of_lines(lines.exists())
        return result
