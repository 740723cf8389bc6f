from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CollectionPaymentPlanInstallment(models.Model):
    """One agreed payment of a plan: its date, amount and what was paid against it."""

    _name = "collection.payment.plan.installment"
    _inherit = ["credit.decision.mixin"]
    _description = "Payment Plan Installment"
    _order = "plan_id, date, id"
    _decision_fields = ("amount_paid",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    plan_id = fields.Many2one(
        "collection.payment.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    amount_paid = fields.Monetary(currency_field="currency_id", readonly=True)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("amount", "date")
    def _compute_display_name(self):
        for installment in self:
            installment.display_name = self.env._(
                "Installment of %(amount)s on %(date)s",
                amount=(
                    installment.currency_id.format(installment.amount)
                    if installment.currency_id
                    else installment.amount
                ),
                date=installment.date or "",
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("amount", "date", "plan_id")
    def _check_amount_and_date(self):
        for installment in self:
            if installment.currency_id.compare_amounts(installment.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "Every installment of a payment plan needs a positive amount "
                        "(%(date)s: %(amount)s).",
                        date=installment.date,
                        amount=installment.amount,
                    )
                )
            if installment.date < installment.plan_id.date_start:
                raise ValidationError(
                    self.env._(
                        "The installment of %(date)s falls before the plan starts "
                        "(%(start)s); move it on or after that date.",
                        date=installment.date,
                        start=installment.plan_id.date_start,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _allocate(self, amount_paid):
        """Spread the payments received over the installments, oldest first."""
        for installment in self.sorted("date"):
            paid = min(installment.amount, amount_paid)
            if installment.amount_paid != paid:
                installment._write_decision({"amount_paid": paid})
            amount_paid -= paid
