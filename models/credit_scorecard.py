from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import scoring
from .credit_scorecard_factor import SCORECARD_SAVING


class CreditScorecard(models.Model):
    """How a customer is scored: weighted factors, each turning an indicator into points."""

    _name = "credit.scorecard"
    _description = "Credit Scorecard"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the scorecard.")
    factor_ids = fields.One2many(
        "credit.scorecard.factor", "scorecard_id", string="Factors", copy=True
    )
    total_weight = fields.Float(compute="_compute_total_weight")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("factor_ids.weight")
    def _compute_total_weight(self):
        for scorecard in self:
            scorecard.total_weight = sum(scorecard.factor_ids.mapped("weight"))

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("factor_ids")
    def _check_weights(self):
        for scorecard in self.filtered("factor_ids"):
            total = scoring.weights_problem(scorecard.factor_ids.mapped("weight"))
            if total is not None:
                raise ValidationError(
                    self.env._(
                        "The weights of the scorecard %(scorecard)s add up to %(total)s: "
                        "change them so that they sum to 100.",
                        scorecard=scorecard.name,
                        total=round(total, 2),
                    )
                )
        self.factor_ids._check_bands()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        saving = self.with_context(**{SCORECARD_SAVING: True})
        return super(CreditScorecard, saving).create(vals_list).with_env(self.env)

    def write(self, vals):
        return super(CreditScorecard, self.with_context(**{SCORECARD_SAVING: True})).write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _default_for(self, company):
        """The scorecard reviews of ``company`` use: the company's choice, else the first one."""
        return company.sudo().credit_scorecard_id.sudo(False) or self.search(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)], limit=1
        )

    def _factor_table(self):
        """The factors as plain values, ``[(factor id, sequence, indicator, weight, bands)]``:
        read once, they score any number of customers without touching the ORM again."""
        self.ensure_one()
        return [
            (factor.id, factor.sequence, factor.indicator, factor.weight, factor._bands())
            for factor in self.factor_ids
        ]

    def _score(self, indicators, factor_table=None):
        """Score ``indicators`` ({indicator: value or None}) without a query.

        Returns ``(score, lines)``: the score (``None`` when nothing is known) and one dict
        per factor with its value, points, weight and weighted contribution. Give the
        ``factor_table`` of the scorecard when scoring many customers.
        """
        lines = [
            {
                "factor_id": factor_id,
                "sequence": sequence,
                "value": indicators.get(indicator),
                "weight": weight,
                "points": scoring.band_points(bands, indicators.get(indicator)),
            }
            for factor_id, sequence, indicator, weight, bands in (
                factor_table or self._factor_table()
            )
        ]
        pairs = [(line["weight"], line["points"]) for line in lines]
        for line, contribution in zip(lines, scoring.contributions(pairs), strict=True):
            line["contribution"] = contribution
        return scoring.weighted_score(pairs), lines
