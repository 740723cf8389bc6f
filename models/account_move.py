from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    collection_follow_up_date = fields.Date(
        string="Follow-up Date",
        copy=False,
        tracking=True,
        help="The dunning run leaves this invoice alone until this date.",
    )
    collection_level_id = fields.Many2one(
        "collection.policy.level",
        string="Dunning Level",
        compute="_compute_collection_level_id",
        help="The highest dunning level this invoice reached.",
    )

    def _compute_collection_level_id(self):
        notices = (
            self.env["collection.notice"]
            .sudo()
            .search_fetch([("move_id", "in", self.ids)], ["move_id", "level_id"])
        )
        levels = {}
        for notice in notices:
            current = levels.get(notice.move_id.id)
            if not current or current.days < notice.level_id.days:
                levels[notice.move_id.id] = notice.level_id
        for move in self:
            move.collection_level_id = levels.get(move.id, False)
