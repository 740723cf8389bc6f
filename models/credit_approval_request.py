from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html
from odoo.tools.misc import format_amount, format_date


class CreditApprovalRequest(models.Model):
    _name = "credit.approval.request"
    _description = "Credit Approval Request"
    _inherit = ["credit.decision.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    # a request created with state "approved" over RPC would release the order: everything
    # but the salesperson's reason is set by the request flow or the decision
    _decision_fields = (
        "state",
        "approver_id",
        "refuse_reason",
        "order_amount_total",
        "amount",
        "exposure",
        "limit",
        "excess",
        "requester_id",
        "date_expiry",
        "order_id",
        "partner_id",
        "company_id",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    order_id = fields.Many2one(
        "sale.order",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    order_currency_id = fields.Many2one(related="order_id.currency_id", string="Order Currency")
    order_amount_total = fields.Monetary(
        string="Approved Order Total",
        currency_field="order_currency_id",
        readonly=True,
        help="The order may be confirmed once with a total up to this amount, in its currency.",
    )
    amount = fields.Monetary(
        string="Order Amount", readonly=True, help="The order total in company currency."
    )
    exposure = fields.Monetary(
        readonly=True, help="The customer's exposure after this order, when requested."
    )
    limit = fields.Monetary(
        string="Credit Limit", readonly=True, help="Effective credit limit, when requested."
    )
    excess = fields.Monetary(readonly=True, help="Exposure after this order minus the limit.")
    requester_id = fields.Many2one(
        "res.users", string="Requested by", required=True, readonly=True, index=True
    )
    reason = fields.Text(required=True, readonly=True, help="Why the order should go through.")
    state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("used", "Used"),
            ("refused", "Refused"),
            ("expired", "Expired"),
            ("void", "Void"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date_expiry = fields.Date(
        string="Expires on", readonly=True, help="Not decided or not used by then: expired."
    )
    approver_id = fields.Many2one("res.users", string="Decided by", readonly=True, tracking=True)
    refuse_reason = fields.Text(readonly=True, tracking=True)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("order_id.name")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "Credit approval for %(order)s", order=request.sudo().order_id.name
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("reason")
    def _check_reason(self):
        for request in self:
            if not (request.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Say why %(order)s should go through despite the credit rules: the "
                        "credit manager decides on that reason.",
                        order=request.sudo().order_id.name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        """One-time release of the order up to the requested total."""
        self._check_decision_rights()
        # the credit manager decides on orders they may not be allowed to read
        requests = self.sudo()
        requests._write_decision({"state": "approved", "approver_id": self.env.user.id})
        for request in requests:
            request._notify_decision(
                self.env._(
                    "Credit approval granted by %(user)s: %(order)s may be confirmed once, "
                    "for a total up to %(amount)s.",
                    user=self.env.user.name,
                    order=request.order_id.name,
                    amount=request._format_order_amount(),
                )
            )
        return True

    def action_refuse_wizard(self):
        """Open the refusal dialog, which asks for the reason."""
        self._check_decision_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Credit Approval"),
            "res_model": "credit.approval.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _refuse(self, reason):
        self._check_decision_rights()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the refusal: the salesperson reads it."))
        requests = self.sudo()
        requests._write_decision(
            {"state": "refused", "approver_id": self.env.user.id, "refuse_reason": reason}
        )
        for request in requests:
            request._notify_decision(
                self.env._(
                    "Credit approval for %(order)s refused by %(user)s: %(reason)s",
                    order=request.order_id.name,
                    user=self.env.user.name,
                    reason=reason,
                )
            )

    def _check_decision_rights(self):
        """Only credit managers decide, never on their own request, and only once."""
        self._check_credit_manager(
            self.env._("Only a credit manager can approve or refuse a credit approval request.")
        )
        for request in self.sudo():
            if request.requester_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You cannot decide on your own request for %(order)s: ask another "
                        "credit manager.",
                        order=request.order_id.name,
                    )
                )
            if request.state != "pending":
                raise UserError(
                    self.env._(
                        "The request for %(order)s is no longer pending.",
                        order=request.order_id.name,
                    )
                )

    def _notify_decision(self, body):
        """Tell both chatters and close the managers' to-dos."""
        self.ensure_one()
        self.message_post(body=body)
        self.order_id.sudo().message_post(body=body, partner_ids=self.requester_id.partner_id.ids)
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])

    def _format_order_amount(self):
        return format_amount(self.env, self.order_amount_total, self.order_currency_id)

    def _schedule_manager_activities(self):
        """Give every credit manager of the company a to-do on the new requests, written in
        the manager's language; the salesperson's reason is plain text, never markup."""
        for request in self:
            deciders = request.company_id._get_credit_managers() - request.requester_id
            for user in deciders:
                request.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.with_context(lang=user.lang).env._(
                        "Approve or refuse credit for %(order)s", order=request.order_id.name
                    ),
                    note=plaintext2html(request.reason),
                    user_id=user.id,
                )

    def _void(self):
        """The order grew beyond what was approved: the approval no longer holds."""
        self._write_decision({"state": "void"})
        for request in self:
            request.sudo()._notify_decision(
                self.env._(
                    "Credit approval for %(order)s is void: the order total now exceeds the "
                    "approved %(amount)s. Request a new approval.",
                    order=request.order_id.name,
                    amount=request._format_order_amount(),
                )
            )

    @api.model
    def _cron_expire_requests(self):
        self.env["ir.cron"]._commit_progress(len(self._expire_past_requests()))

    @api.model
    def _expire_past_requests(self):
        """Expire pending and approved requests past their date: an old approval no longer
        reflects the customer's situation."""
        expired = self.search(
            [
                ("state", "in", ("pending", "approved")),
                ("date_expiry", "<", fields.Date.context_today(self)),
            ]
        )
        expired._write_decision({"state": "expired"})
        for request in expired:
            request._notify_decision(
                self.env._(
                    "Credit approval for %(order)s expired on %(date)s without being used. "
                    "Request a new approval if the order should still go through.",
                    order=request.order_id.name,
                    date=format_date(self.env, request.date_expiry),
                )
            )
        return expired

    @api.model
    def _get_expiry_date(self, company):
        return fields.Date.context_today(self) + timedelta(
            days=company.credit_approval_validity_days
        )
