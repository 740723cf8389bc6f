from odoo import api, fields, models
from odoo.tools import SQL


class CreditReceivableQuery(models.AbstractModel):
    """How each invoice was paid as it was known on a date: what the behavioural early
    warnings (first late invoice, paying later than predicted, days late rising) read."""

    _inherit = "credit.receivable.query"

    # ------------------------------------------------------------
    # PAYMENT BEHAVIOUR AS OF A DATE (early warnings and their backtest)
    # ------------------------------------------------------------

    @api.model
    def _invoice_timeline_sql(self, company_id, as_of, partner_ids=None):
        """The customer invoices of the company dated on or before ``as_of``, of
        ``partner_ids`` (commercial partners; every customer when None), one row each:
        ``move_id, partner_id`` (the commercial partner), ``invoice_date, due_date``,
        ``amount`` (company currency) and ``paid_date``: the day it was fully settled when
        that was on or before ``as_of``, else NULL (it was still owed that day).

        Only what was known on ``as_of``: a payment or credit note matched later leaves
        the invoice open, so the same query replays any past day."""
        as_of = fields.Date.to_date(as_of)
        contacts = None
        if partner_ids is not None:
            contacts = (
                self.env["res.partner"]
                .with_context(active_test=False)
                .sudo()
                .search([("commercial_partner_id", "in", list(partner_ids))])
                .ids
            ) or [0]
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return SQL(
            """
            SELECT h.move_id, p.commercial_partner_id AS partner_id,
                   MIN(h.invoice_date) AS invoice_date, MAX(h.due_date) AS due_date,
                   SUM(h.balance) AS amount,
                   CASE WHEN BOOL_AND(h.reconciled) AND MAX(h.paid_date) <= %(as_of)s
                        THEN MAX(h.paid_date) END AS paid_date
              FROM (%(history)s) AS h
              JOIN res_partner p ON p.id = h.partner_id
             WHERE h.move_type = 'out_invoice'
               AND h.invoice_date IS NOT NULL
               AND h.invoice_date <= %(as_of)s
          GROUP BY h.move_id, p.commercial_partner_id
            """,
            as_of=as_of,
            history=self._invoice_history_sql(company_id, contacts),
        )

    @api.model
    def _get_invoice_timeline(self, company_id, as_of, partner_ids=None):
        """The rows of ``_invoice_timeline_sql`` as dicts (one query)."""
        columns = ("move_id", "partner_id", "invoice_date", "due_date", "amount", "paid_date")
        rows = self.env.execute_query(self._invoice_timeline_sql(company_id, as_of, partner_ids))
        return [dict(zip(columns, row, strict=True)) for row in rows]
