from odoo import api, models
from odoo.tools import SQL


class CreditReceivableQuery(models.AbstractModel):
    """What the early warnings read of the receivables, from the query layer's fragments."""

    _inherit = "credit.receivable.query"

    # ------------------------------------------------------------
    # EARLY WARNINGS
    # ------------------------------------------------------------

    @api.model
    def _get_customer_open_balances(self, company_id, as_of, partner_ids=None):
        """``{commercial partner id: what it owed in the company at the end of as_of}``
        (company currency, customers owing only), from the open items at that date;
        ``partner_ids``: commercial partners (all when None). The early warnings replay the
        exposure at past dates with it."""
        contacts = None
        if partner_ids is not None:
            if not partner_ids:
                return {}
            contacts = (
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search([("commercial_partner_id", "in", list(partner_ids))])
                .ids
            ) or [0]
        sql = SQL(
            """SELECT p.commercial_partner_id, SUM(items.amount_residual)
                 FROM (%(items)s) AS items
                 JOIN res_partner p ON p.id = items.partner_id
             GROUP BY p.commercial_partner_id
               HAVING SUM(items.amount_residual) > 0""",
            items=self._open_items_sql(as_of, [company_id], partner_ids=contacts),
        )
        return {partner_id: float(amount) for partner_id, amount in self.env.execute_query(sql)}
