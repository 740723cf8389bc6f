from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    portal_show_credit_info = fields.Boolean(
        related="company_id.portal_show_credit_info", readonly=False
    )
    portal_promise_min_percent = fields.Float(
        related="company_id.portal_promise_min_percent", readonly=False
    )
    portal_submissions_per_hour = fields.Integer(
        related="company_id.portal_submissions_per_hour", readonly=False
    )
