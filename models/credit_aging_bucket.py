from odoo import fields, models


class CreditAgingBucket(models.TransientModel):
    """One bucket of an aging analysis, labelled with the limits of its wizard ("1-15",
    "16-45", "Over 45"): the analysis lines point to it, so the pivot, graph and list show
    the analysis's own buckets, in their order, whatever limits the user typed."""

    _name = "credit.aging.bucket"
    _description = "Aging Bucket"
    _order = "sequence"

    wizard_id = fields.Many2one(
        "credit.aging.wizard", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(required=True, help="Position of the bucket: 0 is not due.")
    name = fields.Char(required=True)
