from odoo import api, fields, models

WRITEOFF_REASONS = [
    ("bankruptcy", "Bankruptcy"),
    ("uncollectible", "Uncollectible"),
    ("settlement", "Settlement"),
    ("small_balance", "Small Balance"),
    ("other", "Other"),
]


class CollectionWriteoff(models.Model):
    """One bad debt written off: what, why, by whom, and who sold it.

    The record is the audit trail of a credit manager's decision and the row of the bad-debt
    analysis (by reason, grade, salesperson, month). Only the write-off wizard creates it,
    after its rights check, as superuser: nobody has create or write access, and every
    field is a decision field, so nothing can be forged over RPC.
    """

    _name = "collection.writeoff"
    _inherit = ["credit.decision.mixin"]
    _description = "Bad Debt Write-off"
    _order = "date desc, id desc"
    _check_company_auto = True
    _decision_fields = (
        "case_id",
        "partner_id",
        "company_id",
        "date",
        "reason",
        "note",
        "amount",
        "move_id",
        "user_id",
        "grade_id",
        "salesperson_id",
        "invoice_ids",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    case_id = fields.Many2one(
        "collection.case", required=True, readonly=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    reason = fields.Selection(WRITEOFF_REASONS, required=True, readonly=True)
    note = fields.Text(readonly=True)
    amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        aggregator="sum",
        help="Charged to the bad debt account, in company currency at the write-off date.",
    )
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    user_id = fields.Many2one("res.users", string="Written Off By", readonly=True)
    grade_id = fields.Many2one(
        "credit.grade", string="Credit Grade", readonly=True, help="The customer's grade that day."
    )
    salesperson_id = fields.Many2one("res.users", readonly=True)
    invoice_ids = fields.Many2many("account.move", string="Invoices", readonly=True)

    @api.depends("partner_id", "amount", "date")
    def _compute_display_name(self):
        for writeoff in self:
            writeoff.display_name = self.env._(
                "Write-off of %(customer)s: %(amount)s on %(date)s",
                customer=writeoff.partner_id.name or "",
                amount=writeoff.currency_id.format(writeoff.amount),
                date=writeoff.date or "",
            )


class CollectionCase(models.Model):
    """The write-offs of a case, declared beside the write-off model they list."""

    _inherit = "collection.case"

    writeoff_ids = fields.One2many(
        "collection.writeoff",
        "case_id",
        string="Write-offs",
        groups="credit_collection.group_credit_collector",
    )
