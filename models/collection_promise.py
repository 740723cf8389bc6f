from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .collection_case import OPEN_STATES as OPEN_CASE_STATES


class CollectionPromise(models.Model):
    """A customer's promise to pay an amount by a date.

    While open and not yet due it suspends the dunning of the invoices it covers; at its
    date the payments received decide whether it was kept or broken.
    """

    _name = "collection.promise"
    _description = "Promise to Pay"
    _inherit = ["credit.decision.mixin", "collection.case.mixin", "mail.thread"]
    _order = "date_promised desc, id desc"
    _check_company_auto = True
    _decision_fields = ("state", "amount_paid")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    date_promised = fields.Date(string="Promised Date", required=True, tracking=True)
    date_start = fields.Date(
        default=fields.Date.context_today,
        required=True,
        help="Payments received from this date count towards the promise.",
    )
    move_ids = fields.Many2many(
        "account.move",
        "collection_promise_account_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        help="Invoices whose dunning is suspended until the promised date.",
    )
    amount_paid = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancel", "Cancelled")],
        required=True,
        default="open",
        tracking=True,
        index=True,
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("amount", "date_promised", "partner_id")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "Promise of %(customer)s: %(amount)s by %(date)s",
                customer=promise.partner_id.name or "",
                amount=promise.currency_id.format(promise.amount) if promise.currency_id else "",
                date=promise.date_promised or "",
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("amount", "case_id")
    def _check_amount(self):
        """A promise covers money owed: more than nothing, at most what the case owes."""
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._("A promise to pay needs a positive amount; enter what was promised.")
                )
            owed = promise.case_id.amount_due
            if promise.currency_id.compare_amounts(promise.amount, owed) > 0:
                raise ValidationError(
                    self.env._(
                        "%(customer)s owes %(owed)s: a promise of %(amount)s is more than that. "
                        "Enter at most what is owed.",
                        customer=promise.partner_id.name,
                        owed=promise.currency_id.format(owed),
                        amount=promise.currency_id.format(promise.amount),
                    )
                )

    @api.constrains("date_promised", "date_start")
    def _check_dates(self):
        for promise in self:
            horizon = promise.company_id.collection_promise_max_days
            if promise.date_promised < promise.date_start:
                raise ValidationError(
                    self.env._(
                        "The promised date %(date)s is before the promise starts (%(start)s).",
                        date=promise.date_promised,
                        start=promise.date_start,
                    )
                )
            # counted from today: a start put in the future must not stretch the horizon
            limit = fields.Date.context_today(promise) + timedelta(days=horizon)
            if promise.date_promised > limit:
                raise ValidationError(
                    self.env._(
                        "A promise to pay is due at most %(days)s days ahead (by %(limit)s); for "
                        "longer, agree a payment plan.",
                        days=horizon,
                        limit=limit,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """The case's figures are refreshed first: the amount is checked against what the
        customer owes today, and a case that owes nothing takes no promise."""
        cases = self.env["collection.case"].browse(
            {vals["case_id"] for vals in vals_list if vals.get("case_id")}
        )
        cases.sudo()._refresh_amounts()
        # super() in the lambda binds to its first argument: the model, sudo or not
        promises = self._create_covering_invoices(
            lambda model, vals: super().create(vals), vals_list
        )
        today = fields.Date.context_today(self)
        for promise in promises:
            if promise.case_id.state not in OPEN_CASE_STATES:
                raise UserError(
                    self.env._(
                        "The collection case of %(customer)s is not open (nothing is owed): "
                        "there is nothing to promise.",
                        customer=promise.partner_id.name,
                    )
                )
            if promise.date_promised < today:
                raise ValidationError(
                    self.env._(
                        "The promised date %(date)s is in the past; enter the date the customer "
                        "will pay.",
                        date=promise.date_promised,
                    )
                )
        promises.case_id._mark_promised()
        return promises

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        promises = self.filtered(lambda p: p.state == "open")
        promises._write_decision({"state": "cancel"})
        promises.case_id._resume()
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _check_due_promises(self, company, today):
        """Decide the promises whose date has passed: kept if enough was paid, else broken."""
        promises = self.search(
            [("company_id", "=", company.id), ("state", "=", "open"), ("date_promised", "<", today)]
        )
        if not promises:
            return
        paid = promises._get_amounts_paid()
        for promise in promises:
            promise._write_decision({"amount_paid": paid.get(promise.id, 0.0)})
        kept = promises.filtered(
            lambda p: p.currency_id.compare_amounts(p.amount_paid, p.amount) >= 0
        )
        kept._write_decision({"state": "kept"})
        kept.case_id._resume()
        (promises - kept)._break()

    def _get_amounts_paid(self):
        """Payments received by each promise's customer between its start and promised date."""
        return self.env["credit.receivable.query"]._get_amounts_received(
            [(p.id, p.partner_id.id, p.company_id.id, p.date_start, p.date_promised) for p in self]
        )

    def _break(self):
        """A broken promise puts the case back to work, alerts whoever works it and
        escalates to the company's collection manager, each in their language."""
        self._write_decision({"state": "broken"})
        self.case_id._resume()
        todo = self.env.ref("mail.mail_activity_data_todo")
        call = self.env.ref("mail.mail_activity_data_call")
        for promise in self:
            case = promise.case_id

            def summary(env, promise=promise):
                return env._(
                    "Promise broken: %(amount)s due on %(date)s",
                    amount=promise.currency_id.format(promise.amount),
                    date=promise.date_promised,
                )

            case._schedule_for_responsible(call, summary)
            manager = case.company_id.collection_manager_id
            if manager and manager != case._get_responsible_user():
                case._schedule_for_responsible(todo, summary, first=manager)
