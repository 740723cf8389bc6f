from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import payment_prediction


class AccountMove(models.Model):
    """The expected payment dates of one customer's open invoices, forecast again at once
    when its payment is matched (``account.move.line._credit_after_matching``), with the
    same model and the same scoring as the nightly run.

    Scoring one customer must not read the whole ledger: the nightly run stores the
    ledger-wide figures the model needs on the company (``payment_forecast_ledger``,
    ``payment_prediction.ledger_summary``), and a customer's scoring reads its own settled
    and open invoices, its promises and plans, and those figures: a handful of queries
    whatever the size of the ledger or of the customer.
    """

    _inherit = "account.move"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _forecast_payments(self, company, today=None, commit=True, batch_size=1000):
        """The nightly run, then the ledger's figures it used, stored for the day."""
        count = super()._forecast_payments(company, today, commit, batch_size)
        self._store_forecast_ledger(company, today or fields.Date.context_today(self))
        return count

    @api.model
    def _store_forecast_ledger(self, company, today):
        """Store the ledger's figures as of ``today`` on ``company`` (nothing when they
        did not change)."""
        history = payment_prediction.History(self._get_settled_invoices(company))
        figures = payment_prediction.ledger_summary(
            history.ledger(today),
            {group: history.ledger_of(today, group) for group in history.groups()},
        )
        company = company.sudo()
        if company.payment_forecast_ledger != figures:
            company.write({"payment_forecast_ledger": figures})
        if company.payment_forecast_ledger_date != today:
            company.write({"payment_forecast_ledger_date": today})

    @api.model
    def _forecast_customers(self, company, partner_ids, today=None, matched_move_ids=()):
        """Forecast again the open invoices of ``partner_ids`` (commercial partners) in
        ``company``, and clear the forecast of ``matched_move_ids`` no longer owing. Before
        the first nightly run (no ledger figures stored) only the clearing is done."""
        today = today or fields.Date.context_today(self)
        open_invoices = self._get_open_invoices(company, today, partner_ids)
        self._clear_paid_forecasts(matched_move_ids, [inv.key for inv in open_invoices])
        ledger = company.sudo().payment_forecast_ledger
        if not ledger or not open_invoices:
            return 0
        history = payment_prediction.CustomerHistory(
            self._get_settled_invoices(company, partner_ids), ledger
        )
        overrides = self._get_forecast_overrides(company, today, partner_ids)
        self._write_payment_forecasts(
            [
                (invoice.key, *self._forecast_one(invoice, history, overrides, today))
                for invoice in open_invoices
            ]
        )
        return len(open_invoices)

    def _clear_paid_forecasts(self, move_ids, open_ids):
        """The matched invoices no longer owing expect no payment."""
        move_ids = list(set(move_ids) - set(open_ids))
        if not move_ids:
            return
        self.env.execute_query(
            SQL(
                """UPDATE account_move
                      SET payment_forecast_date = NULL, payment_forecast_date_early = NULL,
                          payment_forecast_date_late = NULL, payment_forecast_basis = NULL
                    WHERE id = ANY(%s) AND payment_forecast_date IS NOT NULL""",
                move_ids,
            )
        )
        self.invalidate_model(self._payment_forecast_fields())
