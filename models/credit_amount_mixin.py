from odoo import api, models
from odoo.exceptions import ValidationError


class CreditAmountMixin(models.AbstractModel):
    """Records whose amount the database requires to be positive (a CHECK constraint).

    A zero, a negative amount or one that rounds to nothing in the currency would reach the
    CHECK and come back as an integrity error; it is refused first with a message that says
    what to enter (``_positive_amount_message``, the model's own wording).
    """

    _name = "credit.amount.mixin"
    _description = "Positive amount checked before the database"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_amount_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_amount_vals(vals)
        return super().write(vals)

    def _check_amount_vals(self, vals):
        if "amount" not in vals:
            return
        company = self.env["res.company"].browse(vals.get("company_id")) or (
            self.company_id[:1] or self.env.company
        )
        # compared as stored: rounded to the currency
        if not company.currency_id.round(vals["amount"] or 0.0) > 0:
            raise ValidationError(self._positive_amount_message(vals["amount"]))

    def _positive_amount_message(self, amount):
        """What to tell the user who entered ``amount``."""
        raise NotImplementedError
