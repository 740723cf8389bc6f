from odoo import fields, models


class CollectionCaseMixin(models.AbstractModel):
    """What every record hanging off a collection case shares: the case, and the customer
    and company copied from it and stored, so that lists group by customer and record
    rules filter by company without a join."""

    _name = "collection.case.mixin"
    _description = "Collection Case Record"

    case_id = fields.Many2one("collection.case", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="case_id.partner_id", store=True, string="Customer")
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
