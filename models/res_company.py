from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_scorecard_id = fields.Many2one(
        "credit.scorecard", help="Scorecard of new credit reviews."
    )
    credit_start_grade_id = fields.Many2one(
        "credit.grade",
        string="Starting Credit Grade",
        help="Grade of a new customer about whom nothing can be scored yet.",
    )
    credit_auto_approve_upgrades = fields.Boolean(
        string="Auto-approve Upgrades",
        default=True,
        help="The daily re-evaluation approves by itself the reviews that keep or raise a grade.",
    )
    credit_auto_approve_downgrades = fields.Boolean(
        string="Auto-approve Downgrades",
        help="The daily re-evaluation approves downgrades by itself instead of asking a credit "
        "manager.",
    )
    credit_behaviour_threshold = fields.Float(
        string="Re-evaluation Threshold (points)",
        default=10.0,
        help="A customer whose score moves by at least this many points since the last review "
        "is reviewed again before its review date.",
    )
