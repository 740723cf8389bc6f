from odoo import api, fields, models
from odoo.exceptions import AccessError


class CreditReviewLine(models.Model):
    """One factor of a review: what was measured and what it adds to the score.

    The lines are the scoring's proof of the score: only the scoring writes them (as
    superuser, through the review's ``_write_decision``), so that nobody edits the points
    behind an approved grade over JSON-RPC.
    """

    _name = "credit.review.line"
    _description = "Credit Review Factor"
    _order = "review_id, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    review_id = fields.Many2one("credit.review", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    factor_id = fields.Many2one("credit.scorecard.factor", ondelete="set null")
    indicator = fields.Selection(related="factor_id.indicator")
    value = fields.Float(help="Value of the indicator when the review was made.")
    known = fields.Boolean(help="Without a value the factor is left out of the score.")
    points = fields.Float(help="Points (0-100) of the band holding the value.")
    weight = fields.Float(help="Weight (%) of the factor in the scorecard.")
    contribution = fields.Float(
        string="Weighted Contribution",
        help="Points times weight over the weights of the known factors: the score is their sum.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("review_id.name", "factor_id.indicator")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(review)s: %(factor)s",
                review=line.review_id.display_name or "",
                factor=line.factor_id.display_name or self.env._("removed factor"),
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_scoring_only()
        return super().create(vals_list)

    def write(self, vals):
        self._check_scoring_only()
        return super().write(vals)

    def unlink(self):
        self._check_scoring_only()
        return super().unlink()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_scoring_only(self):
        if self.env.su:
            return
        raise AccessError(
            self.env._(
                "The factors of a credit review are written by its scoring: change the "
                "review's inputs (draft reviews only) and the factors follow."
            )
        )
