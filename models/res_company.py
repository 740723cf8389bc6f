from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    collection_policy_id = fields.Many2one(
        "collection.policy",
        string="Default Collection Policy",
        help="Dunning policy of the customers who have none of their own.",
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Default Collector",
        help="Collector of the cases of customers who have no collector of their own.",
    )
    collection_manager_id = fields.Many2one(
        "res.users",
        help="Receives the escalations of the dunning run.",
    )
    writeoff_account_id = fields.Many2one(
        "account.account",
        string="Bad Debt Account",
        help="Expense account debited when a credit manager writes off a receivable.",
    )
    writeoff_journal_id = fields.Many2one(
        "account.journal",
        string="Write-off Journal",
        domain=[("type", "=", "general")],
    )
