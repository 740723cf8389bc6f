from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CollectionPaymentPlan(models.Model):
    """Installments agreed with a customer over chosen invoices.

    While the plan is on track it suspends the dunning of its invoices; the first missed
    installment breaks it and dunning resumes.
    """

    _name = "collection.payment.plan"
    _description = "Payment Plan"
    _inherit = ["credit.decision.mixin", "collection.case.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True
    _decision_fields = ("state", "amount_paid")

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
    amount_covered = fields.Monetary(
        compute="_compute_amount_covered",
        store=True,
        currency_field="currency_id",
        help="What the customer owed on the plan's invoices when the plan was agreed: the "
        "installments add up to it.",
    )
    amount_total = fields.Monetary(
        compute="_compute_amount_total", store=True, currency_field="currency_id"
    )
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

    @api.depends("move_ids")
    def _compute_amount_covered(self):
        """Set when the invoices are chosen, not followed afterwards: payments made under
        the plan must not shrink what the plan agreed."""
        for plan in self:
            plan.amount_covered = sum(plan.move_ids.sudo().mapped("amount_residual_signed"))

    @api.depends("installment_ids.amount")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = sum(plan.installment_ids.mapped("amount"))

    @api.depends("partner_id", "amount_total", "date_start")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Payment plan of %(customer)s: %(amount)s from %(date)s",
                customer=plan.partner_id.name or "",
                amount=plan.currency_id.format(plan.amount_total) if plan.currency_id else "",
                date=plan.date_start or "",
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("amount_total", "amount_covered", "installment_ids")
    def _check_installments(self):
        """Whatever path created them (form, import, RPC on the installments), the
        installments add up to what the plan covers."""
        for plan in self:
            if not plan.installment_ids:
                raise ValidationError(
                    self.env._("A payment plan needs at least one installment; add them.")
                )
            if plan.currency_id.compare_amounts(plan.amount_total, plan.amount_covered):
                raise ValidationError(
                    self.env._(
                        "The installments of the payment plan of %(customer)s add up to "
                        "%(total)s, but its invoices leave %(covered)s to pay: make them add up "
                        "to %(covered)s.",
                        customer=plan.partner_id.name,
                        total=plan.currency_id.format(plan.amount_total),
                        covered=plan.currency_id.format(plan.amount_covered),
                    )
                )

    @api.constrains("move_ids", "case_id")
    def _check_moves(self):
        for plan in self:
            wrong = plan.move_ids.filtered(
                lambda m, plan=plan: (
                    m.move_type != "out_invoice"
                    or m.state != "posted"
                    or m.commercial_partner_id != plan.partner_id
                    or m.company_id != plan.company_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "A payment plan of %(customer)s covers only its posted invoices in "
                        "%(company)s; remove %(invoices)s.",
                        customer=plan.partner_id.name,
                        company=plan.company_id.name,
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # super() in the lambda binds to its first argument: the model, sudo or not
        return self._create_covering_invoices(lambda model, vals: super().create(vals), vals_list)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        self.filtered(lambda p: p.state == "active")._write_decision({"state": "cancel"})
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
            plan._write_decision({"amount_paid": paid.get(plan.id, 0.0)})
            plan.installment_ids._allocate(plan.amount_paid)
            due = sum(plan.installment_ids.filtered(lambda i: i.date < today).mapped("amount"))
            if plan.currency_id.compare_amounts(plan.amount_paid, plan.amount_total) >= 0:
                plan._write_decision({"state": "done"})
            elif plan.currency_id.compare_amounts(plan.amount_paid, due) < 0:
                broken |= plan
        broken._break()

    def _get_amounts_paid(self):
        """Payments received by each plan's customer since the plan started."""
        return self.env["credit.receivable.query"]._get_amounts_received(
            [(p.id, p.partner_id.id, p.company_id.id, p.date_start, None) for p in self]
        )

    def _break(self):
        """A missed installment: dunning resumes and whoever works the case is told, in
        their language."""
        self._write_decision({"state": "broken"})
        call = self.env.ref("mail.mail_activity_data_call")
        for plan in self:
            plan.case_id._schedule_for_responsible(
                call, lambda env: env._("Payment plan installment missed: dunning resumes")
            )
