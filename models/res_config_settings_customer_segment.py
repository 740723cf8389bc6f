from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_reward_months = fields.Integer(related="company_id.credit_reward_months", readonly=False)
    credit_reward_exposure_share = fields.Float(
        related="company_id.credit_reward_exposure_share", readonly=False
    )
    credit_reward_term_id = fields.Many2one(
        related="company_id.credit_reward_term_id", readonly=False
    )
    credit_reward_discount_term_id = fields.Many2one(
        related="company_id.credit_reward_discount_term_id", readonly=False
    )
