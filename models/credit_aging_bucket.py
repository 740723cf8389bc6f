from odoo import fields, models
from odoo.tools import SQL

from ..tools import aging_buckets


class CreditAgingBucket(models.Model):
    """One bucket of an aging analysis, labelled with the analysis's limits ("1-15",
    "16-45", "Over 45"): the analysis lines point to it, so the pivot, graph and list show
    the analysis's own buckets, in their order, whatever limits the user typed.

    A query model: the labels are computed from the limits in the context of the analysis
    (``credit.aging.line``), the database's limits without one, and nothing is stored; the
    id of a bucket is its position plus one."""

    _name = "credit.aging.bucket"
    _description = "Aging Bucket"
    _auto = False
    # the id is the position plus one: Odoo joins a many2one's comodel by its table to sort
    # by its ``_order``, which a query model has not, unless that order is the id
    _order = "id"

    sequence = fields.Integer(readonly=True, help="Position of the bucket: 0 is not due.")
    name = fields.Char(readonly=True)

    @property
    def _table_query(self):
        params = self.env["credit.aging.line"]._get_analysis_params()
        limits = params["query"]["limits"] if params else aging_buckets.default_limits(self.env)
        return SQL(
            """SELECT position::int AS id, (position - 1)::int AS sequence, label AS name
                 FROM unnest(%s::varchar[]) WITH ORDINALITY AS bucket(label, position)""",
            aging_buckets.translated_labels(self.env, limits),
        )
