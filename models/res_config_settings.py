from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    collection_policy_id = fields.Many2one(
        related="company_id.collection_policy_id", readonly=False
    )
    collection_user_id = fields.Many2one(related="company_id.collection_user_id", readonly=False)
    collection_manager_id = fields.Many2one(
        related="company_id.collection_manager_id", readonly=False
    )
    writeoff_account_id = fields.Many2one(related="company_id.writeoff_account_id", readonly=False)
    writeoff_journal_id = fields.Many2one(related="company_id.writeoff_journal_id", readonly=False)
