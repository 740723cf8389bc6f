from odoo import fields, models


class CreditReview(models.Model):
    """A review opened by an approved reward proposal applies it: approving the review
    writes the proposed terms (``_approve``) and marks the proposal applied; refusing the
    review refuses the proposal."""

    _inherit = "credit.review"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    reward_proposal_ids = fields.One2many(
        "credit.reward.proposal", "review_id", string="Reward Proposals"
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_refuse(self):
        result = super().action_refuse()
        self.reward_proposal_ids.filtered(lambda p: p.state == "approved")._write_decision(
            {"state": "refused"}
        )
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _approve(self, apply_proposals=True):
        result = super()._approve(apply_proposals)
        self.reward_proposal_ids.filtered(lambda p: p.state == "approved")._write_decision(
            {"state": "applied"}
        )
        return result
