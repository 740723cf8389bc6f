from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import CREDIT_EVALUATION_TRACKED


class ResPartner(models.Model):
    """The credit evaluation of customers: their payment behaviour read from the ledger,
    and the batch write of approved evaluations with their chatter messages."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_payment_behaviour(self, company, date=None):
        """Payment behaviour of the commercial partners ``self`` with ``company``, in one query.

        Read from posted receivable lines of customer invoices and the partial reconciliations
        that paid them (an invoice is paid on the last reconciliation's date). Returns
        ``{partner_id: {on_time_share, avg_days_late, max_days_overdue, dso, relationship_years,
        revenue_12m, first_invoice_date, open_balance, invoice_count}}``; customers without
        invoices are absent. One query whatever the number of customers: the cron scores them
        all with it.
        """
        if not self:
            return {}
        today = date or fields.Date.context_today(self)
        rows = self.env.execute_query_dict(self._payment_behaviour_query(company, today))
        return {row["partner_id"]: self._payment_behaviour_figures(row, today) for row in rows}

    def _payment_behaviour_query(self, company, today):
        query = self.env["credit.receivable.query"]
        # days late of an invoice: paid date (or today while open) minus due date, never < 0
        late = SQL(
            "GREATEST(%s, 0)",
            query._days_overdue_sql(
                SQL("COALESCE(CASE WHEN reconciled THEN paid_date END, %s)", today),
                SQL("due_date"),
            ),
        )
        due = SQL("move_type = 'out_invoice' AND (reconciled OR due_date < %s)", today)
        return SQL(
            """
            SELECT partner_id,
                   COUNT(*) FILTER (WHERE move_type = 'out_invoice') AS invoice_count,
                   COUNT(*) FILTER (WHERE %(due)s) AS due_count,
                   COUNT(*) FILTER (WHERE %(due)s AND reconciled AND paid_date <= due_date)
                       AS on_time_count,
                   SUM(balance * %(late)s) FILTER (WHERE %(due)s) AS late_amount_days,
                   SUM(balance) FILTER (WHERE %(due)s) AS due_amount,
                   MAX(%(late)s) FILTER (
                       WHERE move_type = 'out_invoice'
                         AND (NOT reconciled OR due_date >= %(year_ago)s)
                   ) AS max_days_overdue,
                   MIN(invoice_date) AS first_invoice_date,
                   SUM(balance) FILTER (WHERE invoice_date >= %(year_ago)s) AS revenue_12m,
                   SUM(amount_residual) AS open_balance
              FROM (%(history)s) AS receivable
          GROUP BY partner_id
            """,
            history=query._invoice_history_sql(company.id, self.ids),
            due=due,
            late=late,
            year_ago=today - relativedelta(years=1),
        )

    @api.model
    def _payment_behaviour_figures(self, row, today):
        """Turn the sums of the behaviour query into the indicators of the scorecard."""
        revenue = row["revenue_12m"] or 0.0
        first = row["first_invoice_date"]
        # DSO over the period the revenue covers: a customer of 75 days has 75 days of
        # revenue, and dividing by a year's days would make it look four times slower
        period = min(365, max((today - first).days, 1)) if first else 365
        return {
            "invoice_count": row["invoice_count"],
            "on_time_share": 100.0 * row["on_time_count"] / row["due_count"]
            if row["due_count"]
            else None,
            "avg_days_late": (row["late_amount_days"] or 0.0) / row["due_amount"]
            if row["due_amount"]
            else None,
            "max_days_overdue": row["max_days_overdue"] or 0.0,
            "dso": (row["open_balance"] or 0.0) / revenue * period if revenue > 0 else None,
            "relationship_years": (today - first).days / 365.25 if first else None,
            "first_invoice_date": first,
            "revenue_12m": revenue,
            "open_balance": row["open_balance"] or 0.0,
        }

    def _write_credit_evaluation(self, values):
        """Write approved evaluations, ``{partner: vals}``, in ``self``'s company.

        The daily re-evaluation approves hundreds of reviews at once, so this costs the same
        number of queries for 10 customers as for 500: the partners and their contacts (to
        which Odoo copies the commercial fields ``credit_limit`` and payment terms) are read
        in one go before the writes, partners with identical values share one ``write``,
        the ORM flushes every write of a field set in one ``UPDATE``, and the chatter
        messages of grade, score, limit and terms are created together
        (``_log_credit_evaluation``) instead of one by one at commit.
        """
        partners = self.browse([partner.id for partner in values])
        fnames = [fname for fname in CREDIT_EVALUATION_TRACKED if fname in partners._fields]
        initial = partners._credit_tracking_initial_values(fnames)
        partners._prefetch_commercial_sync()
        groups = defaultdict(list)
        for partner, vals in values.items():
            groups[tuple(sorted(vals.items()))].append(partner.id)
        for items, ids in groups.items():
            group = partners.browse(ids).with_prefetch(partners._prefetch_ids)
            group.with_context(mail_notrack=True).write(dict(items))
        partners._log_credit_evaluation(fnames, initial)

    def _credit_tracking_initial_values(self, fnames):
        """Values of ``fnames`` before the evaluation is written; a change of the same fields
        already waiting for the commit is taken over, so the chatter shows it once."""
        pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        initial = {}
        for partner in self:
            waiting = pending.get(partner.id) or {}
            initial[partner.id] = {
                fname: waiting.pop(fname) if fname in waiting else partner[fname]
                for fname in fnames
            }
        return initial

    def _prefetch_commercial_sync(self):
        """Read at once what ``res.partner.write`` reads partner by partner when commercial
        fields change: the users of the partners, their contacts and the contacts' own."""
        contacts = self.child_ids
        (self | contacts).user_ids.mapped("active")
        contacts.child_ids.mapped("is_company")
        contacts.fetch(
            ["parent_id", "type", "is_company", "commercial_partner_id", *CREDIT_EVALUATION_TRACKED]
        )

    def _log_credit_evaluation(self, fnames, initial):
        """One chatter message per partner with the changes of ``fnames`` since ``initial``,
        formatted by Odoo's tracking (``_mail_track``), all messages in one batch."""
        described = self.fields_get(
            fnames, attributes=("string", "type", "selection", "currency_field")
        )
        changed = {}
        for partner in self:
            _changes, tracking_values = partner._mail_track(described, initial[partner.id])
            if tracking_values:
                changed[partner.id] = tracking_values
        if not changed:
            return
        partners = self.browse(list(changed))
        messages = partners._message_log_batch(bodies={})
        self.env["mail.tracking.value"].sudo().create(
            [
                {**command[2], "mail_message_id": message.id}
                for message, partner in zip(messages, partners, strict=True)
                for command in changed[partner.id]
            ]
        )
