from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Settings of the monthly customer-type run and of the rewards for good payers."""

    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    customer_segment_run_date = fields.Date(
        string="Last Customer Type Run",
        readonly=True,
        copy=False,
        help="The monthly run types the customers again on its first run after a month starts.",
    )
    credit_reward_months = fields.Integer(
        string="Reward After (Months on Time)",
        default=6,
        help="A customer whose invoices due in this many months were all paid on time is "
        "proposed better terms.",
    )
    credit_reward_exposure_share = fields.Float(
        string="Reward Below Exposure Use (%)",
        default=50.0,
        help="Only customers using less than this share of their credit limit are proposed "
        "better terms; customers without a limit are not.",
    )
    credit_reward_term_id = fields.Many2one(
        "account.payment.term",
        string="Longer Payment Terms",
        help="Terms proposed to good payers on shorter terms; empty: 60 days.",
    )
    credit_reward_discount_term_id = fields.Many2one(
        "account.payment.term",
        string="Early Payment Discount Terms",
        domain=[("early_discount", "=", True)],
        help="Terms with an early payment discount proposed to good payers already on the "
        "longer terms; empty: Odoo's 2/7 Net 30.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("credit_reward_months", "credit_reward_exposure_share")
    def _check_credit_reward_settings(self):
        for company in self:
            if not 1 <= company.credit_reward_months <= 60:
                raise ValidationError(
                    self.env._(
                        "The months paid on time before a reward, in %(company)s, are a number "
                        "between 1 and 60.",
                        company=company.name,
                    )
                )
            if not 0 < company.credit_reward_exposure_share <= 100:
                raise ValidationError(
                    self.env._(
                        "The exposure use below which %(company)s rewards good payers is a "
                        "percentage above 0 and at most 100.",
                        company=company.name,
                    )
                )
