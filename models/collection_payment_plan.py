from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class CollectionPaymentPlan(models.Model):
    """Installments agreed with a customer over chosen invoices.

    While the plan is on track it suspends the dunning of its invoices; the first missed
    installment breaks it and dunning resumes.
    """

    _name = "collection.payment.plan"
    _description = "Payment Plan"
    _inherit = ["collection.case.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    date_start = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="Payments received from this date count towards the installments.",
    )
    move_ids = fields.Many2many(
        "account.move",
        "collection_payment_plan_account_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
    )
    installment_ids = fields.One2many(
        "collection.payment.plan.installment", "plan_id", string="Installments", copy=True
    )
    amount_total = fields.Monetary(compute="_compute_amount_total", currency_field="currency_id")
    amount_paid = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Selection(
        [("active", "On Track"), ("done", "Paid"), ("broken", "Broken"), ("cancel", "Cancelled")],
        required=True,
        default="active",
        tracking=True,
        index=True,
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("installment_ids.amount")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = sum(plan.installment_ids.mapped("amount"))

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("installment_ids")
    def _check_installments(self):
        for plan in self:
            if any(i.amount <= 0 for i in plan.installment_ids):
                raise ValidationError(
                    self.env._("Every installment of a payment plan needs a positive amount.")
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        for plan in plans.filtered(lambda p: not p.move_ids):
            plan.move_ids = plan.case_id.invoice_ids
        return plans

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        self.state = "cancel"
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _check_active_plans(self, company, today):
        """Compare what was paid with what is due so far: done, on track or broken."""
        plans = self.search([("company_id", "=", company.id), ("state", "=", "active")])
        if not plans:
            return
        paid = plans._get_amounts_paid()
        broken = self.browse()
        for plan in plans:
            plan.amount_paid = paid.get(plan.id, 0.0)
            plan.installment_ids._allocate(plan.amount_paid)
            due = sum(plan.installment_ids.filtered(lambda i: i.date < today).mapped("amount"))
            if plan.currency_id.compare_amounts(plan.amount_paid, plan.amount_total) >= 0:
                plan.state = "done"
            elif plan.currency_id.compare_amounts(plan.amount_paid, due) < 0:
                broken |= plan
        broken._break()

    def _get_amounts_paid(self):
        self.env["account.move.line"].flush_model()
        self.flush_recordset()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pl.id, COALESCE(SUM(aml.credit), 0)
                  FROM collection_payment_plan pl
                  JOIN res_partner p ON p.commercial_partner_id = pl.partner_id
                  JOIN account_move_line aml ON aml.partner_id = p.id
                                            AND aml.company_id = pl.company_id
                                            AND aml.parent_state = 'posted'
                                            AND aml.credit > 0
                                            AND aml.date >= pl.date_start
                  JOIN account_account a ON a.id = aml.account_id
                                        AND a.account_type = 'asset_receivable'
                 WHERE pl.id = ANY(%s)
                 GROUP BY pl.id
                """,
                self.ids,
            )
        )
        return dict(rows)

    def _break(self):
        self.state = "broken"
        for plan in self:
            plan.case_id.activity_schedule(
                "mail.mail_activity_data_call",
                user_id=plan.case_id.user_id.id or self.env.uid,
                summary=self.env._("Payment plan installment missed: dunning resumes"),
            )
