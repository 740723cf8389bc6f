from odoo import api, fields, models


class CreditCustomerSegmentHistory(models.Model):
    """A change of a customer's type in a company, with the figures it was decided on.

    Written by the monthly run only, when the type changes: the history of the credit file
    says when a customer became reliable or at risk, and why.
    """

    _name = "credit.customer.segment.history"
    _description = "Customer Type History"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True)
    segment_id = fields.Many2one("credit.customer.segment", string="Customer Type", required=True)
    previous_segment_id = fields.Many2one("credit.customer.segment", string="Previous Type")
    on_time_share = fields.Float(string="Paid on Time (%)")
    avg_days_late = fields.Float(string="Average Days Late")
    max_days_overdue = fields.Float(string="Worst Days Overdue")
    invoice_count = fields.Integer(string="Invoices")
    open_disputes = fields.Integer()
    disputes_12m = fields.Integer(string="Disputes (12 months)")
    overdue_now = fields.Monetary(string="Overdue", currency_field="currency_id")
    overdue_before = fields.Monetary(
        string="Overdue 3 Months Before",
        currency_field="currency_id",
        help="From the month-end snapshot three months before the last one.",
    )
    reason = fields.Char(compute="_compute_reason")

    _partner_company_date_idx = models.Index("(partner_id, company_id, date DESC)")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "date", "segment_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " · ".join(
                str(part)
                for part in (line.partner_id.display_name, line.date, line.segment_id.name)
                if part
            )

    @api.depends(
        "on_time_share", "avg_days_late", "max_days_overdue", "open_disputes", "overdue_now"
    )
    def _compute_reason(self):
        """The figures in one line, in the reader's language."""
        for line in self:
            line.reason = self.env._(
                "%(on_time)s%% paid on time, %(late)s days late on average, worst %(worst)s "
                "days overdue, %(disputes)s open disputes, overdue %(overdue)s",
                on_time=round(line.on_time_share),
                late=round(line.avg_days_late, 1),
                worst=round(line.max_days_overdue),
                disputes=line.open_disputes,
                overdue=line.currency_id.format(line.overdue_now),
            )
