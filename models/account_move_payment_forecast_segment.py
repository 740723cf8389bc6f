import dataclasses

from odoo import api, models
from odoo.tools import SQL


class AccountMove(models.Model):
    """The payment forecast leans on the customer's type (客户类型, ``credit.customer.segment``
    on the customer) rather than on the whole ledger: a customer with no history of its own
    is expected like its type's customers pay, and a short history is shrunk towards its
    type's spread, once the type has enough settled invoices
    (``payment_prediction.MIN_GROUP_SETTLED``); else the company's whole ledger."""

    _inherit = "account.move"

    @api.model
    def _get_settled_invoices(self, company, partner_ids=None):
        return self._with_customer_segments(
            company, super()._get_settled_invoices(company, partner_ids)
        )

    @api.model
    def _get_open_invoices(self, company, today, partner_ids=None):
        return self._with_customer_segments(
            company, super()._get_open_invoices(company, today, partner_ids)
        )

    @api.model
    def _with_customer_segments(self, company, invoices):
        """The model's invoices, each with its customer's type in ``company`` as its group
        (one query)."""
        customers = list({invoice.customer for invoice in invoices})
        if not customers:
            return invoices
        self.env["res.partner"].flush_model(["customer_segment_id"])
        segments = dict(
            self.env.execute_query(
                SQL(
                    """SELECT id, (customer_segment_id ->> %(key)s)::int
                         FROM res_partner
                        WHERE id = ANY(%(ids)s) AND customer_segment_id ->> %(key)s IS NOT NULL""",
                    key=str(company.id),
                    ids=customers,
                )
            )
        )
        if not segments:
            return invoices
        return [
            dataclasses.replace(invoice, group=segments[invoice.customer])
            if invoice.customer in segments
            else invoice
            for invoice in invoices
        ]
