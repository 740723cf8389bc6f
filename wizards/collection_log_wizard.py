from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.collection_log import CHANNELS, RESULTS


class CollectionLogWizard(models.TransientModel):
    """Quick entry of a call or visit from the case, with the promise it brought."""

    _name = "collection.log.wizard"
    _description = "Log a Collection Contact"

    case_id = fields.Many2one("collection.case", required=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    contact_name = fields.Char(string="Person Reached")
    result = fields.Selection(RESULTS, required=True, default="reached")
    customer_words = fields.Text()
    next_action_date = fields.Date()
    promise_amount = fields.Monetary(currency_field="currency_id")
    promise_date = fields.Date()

    @api.onchange("result")
    def _onchange_result(self):
        if self.result == "promise" and not self.promise_amount:
            self.promise_amount = self.case_id.amount_overdue or self.case_id.amount_due

    def action_confirm(self):
        self.ensure_one()
        if self.result == "promise" and not (self.promise_amount > 0 and self.promise_date):
            raise UserError(
                self.env._("Enter the amount and the date the customer promised to pay.")
            )
        self.env["collection.log"].create(self._prepare_log_vals())
        if self.result == "promise":
            self.env["collection.promise"].create(
                {
                    "case_id": self.case_id.id,
                    "amount": self.promise_amount,
                    "date_promised": self.promise_date,
                }
            )
        return {"type": "ir.actions.act_window_close"}

    def _prepare_log_vals(self):
        return {
            "case_id": self.case_id.id,
            "channel": self.channel,
            "contact_name": self.contact_name,
            "result": self.result,
            "customer_words": self.customer_words,
            "next_action_date": self.next_action_date or self.promise_date,
        }
