from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import scoring

# context key: the scorecard being saved checks its factors' weights itself, once
SCORECARD_SAVING = "credit_scorecard_saving"

INDICATORS = [
    ("debt_ratio", "Debt Ratio (%)"),
    ("current_ratio", "Current Ratio"),
    ("net_margin", "Net Profit Margin (%)"),
    ("years_in_business", "Years in Business"),
    ("registered_capital", "Registered Capital"),
    ("on_time_share", "Invoices Paid on Time (%)"),
    ("avg_days_late", "Average Days Late (amount-weighted)"),
    ("max_days_overdue", "Worst Days Overdue, Last 12 Months"),
    ("dso", "Customer DSO (days)"),
    ("relationship_years", "Relationship Length (years)"),
    ("revenue_12m", "Revenue, Last 12 Months"),
    ("bureau_score", "Credit Bureau Score"),
    ("character", "5C: Character"),
    ("capacity", "5C: Capacity"),
    ("capital", "5C: Capital"),
    ("collateral", "5C: Collateral"),
    ("conditions", "5C: Conditions"),
]


class CreditScorecardFactor(models.Model):
    """One indicator of a scorecard, its weight and the bands that turn its value into points."""

    _name = "credit.scorecard.factor"
    _description = "Credit Scorecard Factor"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one(
        "credit.scorecard", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    indicator = fields.Selection(INDICATORS, required=True)
    weight = fields.Float(
        required=True, help="Share of the score (%); a scorecard's weights sum to 100."
    )
    band_ids = fields.One2many("credit.scorecard.band", "factor_id", string="Bands", copy=True)

    _indicator_uniq = models.Constraint(
        "UNIQUE(scorecard_id, indicator)", "An indicator appears only once in a scorecard."
    )
    _weight_positive = models.Constraint("CHECK(weight >= 0)", "A weight cannot be negative.")

    @api.depends("indicator")
    def _compute_display_name(self):
        labels = dict(self._fields["indicator"]._description_selection(self.env))
        for factor in self:
            factor.display_name = labels.get(factor.indicator, "")

    @api.constrains("weight", "scorecard_id")
    def _check_scorecard_weights(self):
        """A factor written on its own (JSON-RPC, import) re-checks its scorecard's weights;
        the scorecard form saves all its factors in one write and checks them once at the end
        (``SCORECARD_SAVING``), so editing two weights there never fails halfway."""
        if not self.env.context.get(SCORECARD_SAVING):
            self.scorecard_id._check_weights()

    @api.constrains("band_ids")
    def _check_bands(self):
        for factor in self:
            problem = scoring.bands_problem(factor._bands())
            if problem:
                raise ValidationError(factor._band_problem_message(*problem))

    def unlink(self):
        scorecards = self.scorecard_id
        result = super().unlink()
        if not self.env.context.get(SCORECARD_SAVING):
            scorecards.exists()._check_weights()
        return result

    def _bands(self):
        return [(band.value_from, band.value_to, band.points) for band in self.band_ids]

    def _band_problem_message(self, kind, band, following):
        fmt = {
            "factor": self.display_name,
            "band": f"{band[0]:g} - {band[1]:g}",
            "next": following and f"{following[0]:g} - {following[1]:g}",
        }
        if kind == "overlap":
            return self.env._(
                "The bands %(band)s and %(next)s of the factor %(factor)s overlap: make each "
                "band start where the previous one ends.",
                **fmt,
            )
        if kind == "gap":
            return self.env._(
                "The bands %(band)s and %(next)s of the factor %(factor)s leave a gap: make each "
                "band start where the previous one ends.",
                **fmt,
            )
        if kind == "points":
            return self.env._(
                "The band %(band)s of the factor %(factor)s gives points outside 0-100.", **fmt
            )
        return self.env._(
            "The band %(band)s of the factor %(factor)s must end above where it starts.", **fmt
        )
