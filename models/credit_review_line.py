from odoo import fields, models


class CreditReviewLine(models.Model):
    """One factor of a review: what was measured and what it adds to the score."""

    _name = "credit.review.line"
    _description = "Credit Review Factor"
    _order = "review_id, sequence, id"

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
