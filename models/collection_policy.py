from odoo import fields, models


class CollectionPolicy(models.Model):
    """How overdue money is chased: an ordered list of levels, each a step of dunning."""

    _name = "collection.policy"
    _description = "Collection Policy"
    _order = "sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the policy between companies.",
    )
    level_ids = fields.One2many("collection.policy.level", "policy_id", string="Levels", copy=True)
    note = fields.Html(translate=True)
