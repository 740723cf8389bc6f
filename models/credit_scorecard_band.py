from odoo import api, fields, models


class CreditScorecardBand(models.Model):
    """A range of an indicator's values and the points it is worth (from included, to excluded)."""

    _name = "credit.scorecard.band"
    _description = "Credit Scorecard Band"
    _order = "factor_id, value_from, id"

    factor_id = fields.Many2one(
        "credit.scorecard.factor", required=True, ondelete="cascade", index=True
    )
    value_from = fields.Float(
        string="From",
        help="Included. The lowest band also takes every value below it.",
    )
    value_to = fields.Float(
        string="To",
        help="Excluded. The highest band also takes every value above it.",
    )
    points = fields.Float(required=True, help="0 to 100.")

    @api.depends("factor_id", "value_from", "value_to", "points")
    def _compute_display_name(self):
        for band in self:
            band.display_name = self.env._(
                "%(factor)s %(start)g - %(end)g: %(points)g points",
                factor=band.factor_id.display_name or "",
                start=band.value_from,
                end=band.value_to,
                points=band.points,
            )

    @api.constrains("value_from", "value_to", "points")
    def _check_factor_bands(self):
        self.factor_id._check_bands()
