from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_scorecard_id = fields.Many2one(related="company_id.credit_scorecard_id", readonly=False)
    credit_start_grade_id = fields.Many2one(
        related="company_id.credit_start_grade_id", readonly=False
    )
    credit_auto_approve_upgrades = fields.Boolean(
        related="company_id.credit_auto_approve_upgrades", readonly=False
    )
    credit_auto_approve_downgrades = fields.Boolean(
        related="company_id.credit_auto_approve_downgrades", readonly=False
    )
    credit_behaviour_threshold = fields.Float(
        related="company_id.credit_behaviour_threshold", readonly=False
    )
