from odoo import api, fields, models


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
    collection_promise_max_days = fields.Integer(
        related="company_id.collection_promise_max_days", readonly=False
    )
    collection_followup_days = fields.Integer(
        related="company_id.collection_followup_days", readonly=False
    )
    collection_nobody_assigned = fields.Boolean(
        compute="_compute_collection_nobody_assigned",
        help="Neither a default collector nor a collection manager: the dunning run's work "
        "goes to salespeople or the first credit manager.",
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

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("collection_user_id", "collection_manager_id")
    def _compute_collection_nobody_assigned(self):
        for settings in self:
            settings.collection_nobody_assigned = not (
                settings.collection_user_id or settings.collection_manager_id
            )
