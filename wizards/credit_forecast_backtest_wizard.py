import json
import time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date

from ..tools import payment_prediction

# the figures of payment_prediction.backtest, in the order of its JSON line
FIGURES = (
    "n",
    "mae_days",
    "mae_days_at_invoice_date",
    "mae_days_due_date_baseline",
    "mae_days_customer_median_baseline",
    "late_accuracy",
    "p10_p90_coverage",
    "weekly_cash_in_wape",
    "weekly_cash_in_wape_due_date_baseline",
)
RESULT_FIELDS = (*FIGURES, "result_json", "duration", "trained_count")


class CreditForecastBacktestWizard(models.TransientModel):
    """The payment-date model's backtest on the company's own ledger, for a credit
    manager: how far its expected payment dates would have been from the real ones.

    The same ``payment_prediction.backtest`` as ``make backtest CSV=...`` on the invoices
    the nightly forecast learns from (``account.move._get_settled_invoices``): every paid
    customer invoice dated on or after the cut-off is predicted from what was paid before
    its own date only, and compared with the day it was paid. ``make backtest DB=...``
    runs this wizard from the command line.
    """

    _name = "credit.forecast.backtest.wizard"
    _description = "Payment Forecast Backtest"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    date_split = fields.Date(
        string="Cut-off Date",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=6)
        ),
        help="The paid invoices dated on or after this day are tested, each predicted from "
        "the invoices paid before its own date only.",
    )
    n = fields.Integer(
        string="Invoices Tested",
        readonly=True,
        help="Paid customer invoices dated on or after the cut-off date.",
    )
    trained_count = fields.Integer(
        string="Paid Before the Cut-off",
        readonly=True,
        help="Customer invoices paid before the cut-off date: what the first test invoice "
        "was predicted from (later ones also learn from what was paid before their date).",
    )
    mae_days = fields.Float(
        string="Error, Disputes Known (days)",
        readonly=True,
        digits=(16, 2),
        help="Mean absolute error, in days, of the expected payment date when the model "
        "knows whether the invoice is disputed, as the nightly forecast does.",
    )
    mae_days_at_invoice_date = fields.Float(
        string="Error at Invoice Date (days)",
        readonly=True,
        digits=(16, 2),
        help="Mean absolute error, in days, knowing nothing but the history before the "
        "invoice date (not whether it will be disputed).",
    )
    mae_days_due_date_baseline = fields.Float(
        string="Error of the Due Date (days)",
        readonly=True,
        digits=(16, 2),
        help="Mean absolute error, in days, of expecting every invoice on its due date: "
        "the simple rule to beat.",
    )
    mae_days_customer_median_baseline = fields.Float(
        string="Error of the Customer's Median (days)",
        readonly=True,
        digits=(16, 2),
        help="Mean absolute error, in days, of expecting each invoice after the median "
        "days its customer took on the invoices it paid before.",
    )
    late_accuracy = fields.Float(
        string="Late or On Time Right",
        readonly=True,
        help="Share of invoices the model rightly expected to be paid late or on time.",
    )
    p10_p90_coverage = fields.Float(
        string="Paid Within the Range",
        readonly=True,
        help="Share of invoices paid between the early and late expected dates (P10-P90): "
        "about 80% when the range is honest.",
    )
    weekly_cash_in_wape = fields.Float(
        string="Weekly Cash-in Error",
        readonly=True,
        digits=(16, 3),
        help="Weighted absolute percentage error (WAPE) of the cash expected each week "
        "against the cash received: the sum of the weekly differences divided by the "
        "total received. 0.10 means 10% of the money was placed in the wrong week.",
    )
    weekly_cash_in_wape_due_date_baseline = fields.Float(
        string="Weekly Cash-in Error of the Due Dates",
        readonly=True,
        digits=(16, 3),
        help="The same error when every invoice is expected on its due date.",
    )
    result_json = fields.Char(
        string="JSON",
        readonly=True,
        help="The figures as the last line of make backtest prints them.",
    )
    duration = fields.Float(string="Run Time (s)", readonly=True, digits=(16, 1))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_result(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_no_result(vals)
        return super().write(vals)

    def _check_no_result(self, vals):
        """The figures are the backtest's, never typed in."""
        if set(vals) & set(RESULT_FIELDS) and not self.env.context.get("credit_backtest_run"):
            raise AccessError(
                self.env._("The backtest's figures are computed by Run Backtest, not entered.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_run(self):
        """Run the backtest and show its figures in the same window."""
        self.ensure_one()
        started = time.monotonic()
        invoices = self._get_backtest_invoices()
        figures = payment_prediction.backtest(invoices, self.date_split)
        self.with_context(credit_backtest_run=True).write(
            {
                **figures,
                "trained_count": sum(inv.settled < self.date_split for inv in invoices),
                "result_json": json.dumps(figures),
                "duration": time.monotonic() - started,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Forecast Backtest"),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_backtest_invoices(self):
        """The company's paid invoices as the nightly forecast reads them, once the
        cut-off leaves something to learn from and something to test."""
        self._check_company_allowed()
        invoices = [
            inv
            for inv in self.env["account.move"]._get_settled_invoices(self.company_id)
            if inv.settled
        ]
        if not invoices:
            raise UserError(
                self.env._(
                    "%(company)s has no paid customer invoice yet: the backtest compares "
                    "expected payment dates with the days invoices were paid.",
                    company=self.company_id.name,
                )
            )
        self._check_cut_off(invoices)
        return invoices

    def _check_cut_off(self, invoices):
        cut_off = self.date_split
        if not any(inv.settled < cut_off for inv in invoices):
            raise UserError(
                self.env._(
                    "Nothing was paid before the cut-off date %(cut_off)s: the model would "
                    "have nothing to learn from. Choose a cut-off date after %(first)s, the "
                    "first payment of an invoice.",
                    cut_off=format_date(self.env, cut_off),
                    first=format_date(self.env, min(inv.settled for inv in invoices)),
                )
            )
        if not any(inv.invoice_date >= cut_off for inv in invoices):
            raise UserError(
                self.env._(
                    "No invoice dated on or after the cut-off date %(cut_off)s is paid yet: "
                    "there is nothing to test. Choose a cut-off date on or before %(last)s, "
                    "the date of the last paid invoice.",
                    cut_off=format_date(self.env, cut_off),
                    last=format_date(self.env, max(inv.invoice_date for inv in invoices)),
                )
            )

    def _check_company_allowed(self):
        """The invoices are read in SQL, past record rules: only a company the user works
        in."""
        if not self.env.su and self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You do not work for %(company)s: choose one of your companies.",
                    company=self.company_id.name,
                )
            )
