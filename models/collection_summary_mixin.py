from odoo import fields, models

SUMMARY_FIELDS = (
    "collection_summary_state",
    "collection_summary_currency_id",
    "collection_summary_overdue",
    "collection_summary_days",
    "collection_summary_level",
    "collection_summary_last_contact",
)


class CollectionSummaryMixin(models.AbstractModel):
    """Where the collection of a customer stands, as a salesperson may know it: declared
    once for the customer and the order, each computing it in its own company
    (``_compute_collection_summary``) from ``res.partner._get_collection_summary``."""

    _name = "collection.summary.mixin"
    _description = "Collection Summary"

    collection_summary_state = fields.Char(
        string="Collection Status", compute="_compute_collection_summary"
    )
    collection_summary_currency_id = fields.Many2one(
        "res.currency", compute="_compute_collection_summary"
    )
    collection_summary_overdue = fields.Monetary(
        string="Amount Overdue",
        currency_field="collection_summary_currency_id",
        compute="_compute_collection_summary",
    )
    collection_summary_days = fields.Integer(
        string="Days Overdue", compute="_compute_collection_summary"
    )
    collection_summary_level = fields.Char(
        string="Dunning Level", compute="_compute_collection_summary"
    )
    collection_summary_last_contact = fields.Datetime(
        string="Last Contact", compute="_compute_collection_summary"
    )

    def _compute_collection_summary(self):
        raise NotImplementedError
