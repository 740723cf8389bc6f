from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """How often an unanswered balance confirmation request is reminded."""

    _inherit = "res.company"

    balance_confirmation_reminder_days = fields.Integer(
        string="Balance Confirmation Reminder (days)",
        default=7,
        help="An unanswered balance confirmation request is reminded this many days after "
        "it was sent, then again every this many days.",
    )

    @api.constrains("balance_confirmation_reminder_days")
    def _check_balance_confirmation_reminder_days(self):
        for company in self:
            if not 1 <= company.balance_confirmation_reminder_days <= 365:
                raise ValidationError(
                    self.env._(
                        "The balance confirmation reminder interval of %(company)s is a "
                        "number of days between 1 and 365.",
                        company=company.name,
                    )
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    balance_confirmation_reminder_days = fields.Integer(
        related="company_id.balance_confirmation_reminder_days", readonly=False
    )
