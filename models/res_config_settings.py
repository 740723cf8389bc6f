from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_check_mode = fields.Selection(related="company_id.credit_check_mode", readonly=False)
    credit_default_limit = fields.Monetary(
        related="company_id.credit_default_limit", readonly=False
    )
    credit_check_overdue = fields.Boolean(related="company_id.credit_check_overdue", readonly=False)
    credit_overdue_days = fields.Integer(related="company_id.credit_overdue_days", readonly=False)
    credit_overdue_amount = fields.Monetary(
        related="company_id.credit_overdue_amount", readonly=False
    )
    credit_deduct_guarantees = fields.Boolean(
        related="company_id.credit_deduct_guarantees", readonly=False
    )
    credit_check_invoice = fields.Boolean(related="company_id.credit_check_invoice", readonly=False)
    credit_approval_validity_days = fields.Integer(
        related="company_id.credit_approval_validity_days", readonly=False
    )
    collection_policy_id = fields.Many2one(
        related="company_id.collection_policy_id", readonly=False
    )
    collection_user_id = fields.Many2one(related="company_id.collection_user_id", readonly=False)
    collection_manager_id = fields.Many2one(
        related="company_id.collection_manager_id", readonly=False
    )
    writeoff_account_id = fields.Many2one(related="company_id.writeoff_account_id", readonly=False)
    writeoff_journal_id = fields.Many2one(related="company_id.writeoff_journal_id", readonly=False)
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
    credit_auto_apply_proposals = fields.Boolean(
        related="company_id.credit_auto_apply_proposals", readonly=False
    )
    credit_behaviour_threshold = fields.Float(
        related="company_id.credit_behaviour_threshold", readonly=False
    )
