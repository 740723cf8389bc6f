from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import cash_in_forecast, payment_prediction

FORECAST_BASES = [
    ("history", "Customer's history"),
    ("ledger", "Company's history"),
    ("promise", "Promise to pay"),
    ("plan", "Payment plan"),
]
# an invoice already open longer than its customer ever took: expected within a dunning
# cycle, at the earliest tomorrow, at the latest in a month
OVERDUE_RANGE_DAYS = (1, 7, 30)


class AccountMove(models.Model):
    """The expected payment date (预计回款日期) of each open customer invoice, with its
    P10-P90 range, written every night from the company's own settled invoices by
    ``tools/payment_prediction.py``, the model its backtest chose (docs/forecasting.md).

    What is known that night is used: the customer's history, the invoice's terms and age,
    its open dispute. An open promise to pay or payment plan replaces the prediction with
    its own date; a customer who broke promises gets the model's spread after it.
    """

    _inherit = "account.move"

    payment_forecast_date = fields.Date(
        string="Expected Payment",
        readonly=True,
        copy=False,
        help="When this invoice is expected to be paid: the median of what its customer "
        "took on earlier invoices (the company's when it has none), or the date of an open "
        "promise to pay or payment plan instalment. Updated every night.",
    )
    payment_forecast_date_early = fields.Date(
        string="Expected Payment (Early)", readonly=True, copy=False
    )
    payment_forecast_date_late = fields.Date(
        string="Expected Payment (Late)",
        readonly=True,
        copy=False,
        help="Nine invoices out of ten like this one are paid between the early and late "
        "expected dates.",
    )
    payment_forecast_basis = fields.Selection(
        FORECAST_BASES, string="Forecast Basis", readonly=True, copy=False
    )

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_forecast_payments(self, commit=True, today=None):
        """Nightly: the expected payment dates of every company's open invoices.

        A planner: one batch per company (``credit.cron.batch``), so that the batch workers
        forecast different companies side by side. A company is not split further: its
        forecast reads the company's whole settled history once, clears the forecasts of
        the invoices paid since, and stores one cash-in run that must add up to its open
        receivables; split by customers, each batch would read that history again and
        the run would be assembled from pieces. ``commit=False`` (tests) runs it here."""
        self.env["credit.cron.batch"]._plan("forecast", today, commit)

    @api.model
    def _plan_cron_batches(self, company, today):
        """One batch: the whole company (see ``_cron_forecast_payments``)."""
        return [{}]

    @api.model
    def _run_cron_batch(self, batch):
        """Forecast the batch's company as of the batch's day, in the batch's transaction
        (committing inside it would release the worker's claim on the batch)."""
        self._forecast_payments(batch.company_id, batch.date, commit=False)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _forecast_payments(self, company, today=None, commit=True, batch_size=1000):
        """Forecast the open invoices of ``company`` as of ``today`` and store what changed,
        a batch at a time (committed with ``commit``); invoices paid since lose theirs. A
        second run the same day writes nothing."""
        today = today or fields.Date.context_today(self)
        history = payment_prediction.History(self._get_settled_invoices(company))
        overrides = self._get_forecast_overrides(company, today)
        rows, spreads = [], []
        for invoice in self._get_open_invoices(company, today):
            dates, days = self._forecast_one_spread(invoice, history, overrides, today)
            rows.append((invoice.key, *dates))
            spreads.append((invoice.key, days))
        self._clear_payment_forecasts(company, [row[0] for row in rows])
        for start in range(0, len(rows), batch_size):
            self._write_payment_forecasts(rows[start : start + batch_size])
            if commit:
                self.env["ir.cron"]._commit_progress(len(rows[start : start + batch_size]))
        # the cash-in forecast (回款预测) of the run, from the same forecasts
        self.env["credit.cashin.forecast"]._store_forecast_run(company, today, spreads)
        if commit:
            self.env["ir.cron"]._commit_progress()
        return len(rows)

    @api.model
    def _forecast_one(self, invoice, history, overrides, today):
        """``(early, expected, late, basis)`` of one open invoice."""
        return self._forecast_one_spread(invoice, history, overrides, today)[0]

    @api.model
    def _forecast_one_spread(self, invoice, history, overrides, today):
        """``((early, expected, late, basis), payment days)`` of one open invoice: its
        dates, and the equally likely days its payment is spread over for the cash-in
        forecast (a promise's or a plan's date alone; the days of its customer's history
        still ahead of it; its three dates when it is older than all of them)."""
        if invoice.key in overrides:
            dates = overrides[invoice.key]
            return dates, [max(dates[1], today)]
        known = history.has_history(today, invoice.customer)
        forecast = payment_prediction.forecast(invoice, history, as_of=today)
        age = (today - invoice.invoice_date).days
        days = payment_prediction.condition_on_age(forecast, age)
        if days is None:
            early, expected, late = (today + timedelta(days=d) for d in OVERDUE_RANGE_DAYS)
            spread = None
        else:
            early, expected, late = (invoice.invoice_date + timedelta(days=round(d)) for d in days)
            spread = cash_in_forecast.payment_days(invoice, forecast, today)
        spread = spread or [max(day, today) for day in (early, expected, late)]
        return (early, expected, late, "history" if known else "ledger"), spread

    @api.model
    def _get_settled_invoices(self, company, partner_ids=None):
        """The company's fully paid customer invoices as the model reads them (one query):
        customer, invoice and due dates, amount, the date of the last payment, disputed.
        ``partner_ids``: of these customers only (every customer when None)."""
        history = self.env["credit.receivable.query"]._invoice_history_sql(company.id, partner_ids)
        self.env["collection.dispute"].flush_model(["move_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT h.move_id, h.partner_id, MIN(h.invoice_date), MAX(h.due_date),
                          SUM(h.balance),
                          EXISTS (SELECT 1 FROM collection_dispute d WHERE d.move_id = h.move_id),
                          MAX(h.paid_date)
                     FROM (%s) AS h
                    WHERE h.move_type = 'out_invoice' AND h.invoice_date IS NOT NULL
                 GROUP BY h.move_id, h.partner_id
                   HAVING BOOL_AND(h.reconciled) AND MAX(h.paid_date) IS NOT NULL""",
                history,
            )
        )
        return self._prediction_invoices(rows)

    @api.model
    def _get_open_invoices(self, company, today, partner_ids=None):
        """The company's customer invoices still owing (one query), each knowing whether
        it is in an open dispute: the nightly forecast may use it. ``partner_ids``: of
        these customers only (every customer when None)."""
        invoices = self.env["credit.receivable.query"]._open_invoices_sql(
            company.id, today, partner_ids
        )
        self.flush_model(["invoice_date", "invoice_date_due", "amount_residual_signed"])
        self.env["collection.dispute"].flush_model(["move_id", "state"])
        rows = self.env.execute_query(
            SQL(
                """SELECT inv.move_id, inv.partner_id, m.invoice_date, m.invoice_date_due,
                          inv.residual,
                          EXISTS (SELECT 1 FROM collection_dispute d
                                   WHERE d.move_id = inv.move_id AND d.state = 'open'),
                          NULL::date
                     FROM (%s) AS inv
                     JOIN account_move m ON m.id = inv.move_id
                    WHERE m.invoice_date IS NOT NULL""",
                invoices,
            )
        )
        return self._prediction_invoices(rows)

    @api.model
    def _prediction_invoices(self, rows):
        """The model's invoices from rows of ``move_id, partner_id, invoice_date, due_date,
        amount, disputed, settled`` (settled: NULL while open)."""
        return [
            payment_prediction.Invoice(
                key=move_id,
                customer=partner_id,
                invoice_date=invoice_date,
                due_date=due_date or invoice_date,
                amount=float(amount),
                disputed=disputed,
                settled=settled,
            )
            for move_id, partner_id, invoice_date, due_date, amount, disputed, settled in rows
        ]

    @api.model
    def _get_forecast_overrides(self, company, today, partner_ids=None):
        """``{move id: (early, expected, late, basis)}`` of the open invoices an open promise
        or an active payment plan covers. A promise's date stands; a customer who broke
        more than one promise in ten is expected up to its usual spread later. A plan's
        invoice is expected on the next instalment not yet paid, at the latest on its last.
        ``partner_ids``: of these customers only (every customer when None)."""
        query = self.env["credit.receivable.query"]
        for model in ("collection.promise", "collection.payment.plan"):
            self.env[model].flush_model()
        self.env["collection.payment.plan.installment"].flush_model()
        promises = self.env.execute_query(
            SQL(
                """SELECT r.move_id, MIN(pr.date_promised),
                          BOOL_OR(kept.broken_share > 0.1)
                     FROM collection_promise pr
                     JOIN collection_promise_account_move_rel r ON r.promise_id = pr.id
                LEFT JOIN LATERAL (
                          SELECT AVG((past.state = 'broken')::int) AS broken_share
                            FROM collection_promise past
                           WHERE past.partner_id = pr.partner_id
                             AND past.company_id = pr.company_id
                             AND past.state IN ('kept', 'broken')
                          ) kept ON TRUE
                    WHERE pr.company_id = %s AND pr.state = 'open' AND %s
                 GROUP BY r.move_id""",
                company.id,
                query._partner_filter_sql(SQL("pr.partner_id"), partner_ids),
            )
        )
        plans = self.env.execute_query(
            SQL(
                """SELECT r.move_id,
                          MIN(i.date) FILTER (WHERE COALESCE(i.amount_paid, 0) < i.amount),
                          MAX(i.date)
                     FROM collection_payment_plan pl
                     JOIN collection_payment_plan_account_move_rel r ON r.plan_id = pl.id
                     JOIN collection_payment_plan_installment i ON i.plan_id = pl.id
                    WHERE pl.company_id = %s AND pl.state = 'active' AND %s
                 GROUP BY r.move_id""",
                company.id,
                query._partner_filter_sql(SQL("pl.partner_id"), partner_ids),
            )
        )
        overrides = {}
        for move_id, next_date, last_date in plans:
            overrides[move_id] = (next_date or last_date, next_date or last_date, last_date, "plan")
        for move_id, promised, breaks_promises in promises:
            late = promised + timedelta(days=OVERDUE_RANGE_DAYS[2] if breaks_promises else 0)
            overrides[move_id] = (promised, promised, late, "promise")
        return overrides

    def _clear_payment_forecasts(self, company, open_ids):
        """Invoices paid (or cancelled) since the last run no longer expect a payment."""
        self.env.execute_query(
            SQL(
                """UPDATE account_move
                      SET payment_forecast_date = NULL, payment_forecast_date_early = NULL,
                          payment_forecast_date_late = NULL, payment_forecast_basis = NULL
                    WHERE company_id = %s AND payment_forecast_date IS NOT NULL
                      AND id != ALL(%s)""",
                company.id,
                list(open_ids),
            )
        )
        self.invalidate_model(self._payment_forecast_fields())

    def _write_payment_forecasts(self, rows):
        """Store ``[(move id, early, expected, late, basis)]`` where they changed, one
        UPDATE for the batch."""
        if not rows:
            return
        values = SQL(", ").join(SQL("(%s, %s::date, %s::date, %s::date, %s)", *row) for row in rows)
        self.env.execute_query(
            SQL(
                """UPDATE account_move m
                      SET payment_forecast_date_early = v.early,
                          payment_forecast_date = v.expected,
                          payment_forecast_date_late = v.late,
                          payment_forecast_basis = v.basis
                     FROM (VALUES %s) AS v(id, early, expected, late, basis)
                    WHERE m.id = v.id
                      AND (m.payment_forecast_date_early, m.payment_forecast_date,
                           m.payment_forecast_date_late, m.payment_forecast_basis)
                          IS DISTINCT FROM (v.early, v.expected, v.late, v.basis)""",
                values,
            )
        )
        self.invalidate_model(self._payment_forecast_fields())

    @api.model
    def _payment_forecast_fields(self):
        return [
            "payment_forecast_date",
            "payment_forecast_date_early",
            "payment_forecast_date_late",
            "payment_forecast_basis",
        ]
