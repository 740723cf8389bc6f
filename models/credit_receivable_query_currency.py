from odoo import api, models
from odoo.tools import SQL


class CreditReceivableQuery(models.AbstractModel):
    """What a customer owes at a date in each currency it was invoiced in."""

    _inherit = "credit.receivable.query"

    # ------------------------------------------------------------
    # OPEN BALANCES PER DOCUMENT CURRENCY (balance confirmation)
    # ------------------------------------------------------------

    @api.model
    def _get_open_balances_by_currency(self, as_of, company_ids, partner_ids):
        """``{partner_id: {currency_id: (amount in that currency, amount in company
        currency)}}`` of the items open at ``as_of``: the same open items as the aging, so
        the company-currency amounts add up to the receivable balance. One query."""
        if not partner_ids:
            return {}
        sql = SQL(
            """SELECT partner_id, currency_id,
                      SUM(amount_residual_currency), SUM(amount_residual)
                 FROM (%s) AS items
             GROUP BY partner_id, currency_id""",
            self._open_items_sql(as_of, company_ids, partner_ids=partner_ids),
        )
        balances = {}
        for partner_id, currency_id, amount_currency, amount in self.env.execute_query(sql):
            balances.setdefault(partner_id, {})[currency_id] = (
                float(amount_currency),
                float(amount),
            )
        return balances
