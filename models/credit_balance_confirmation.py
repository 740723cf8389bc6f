import uuid
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount, format_date

COLLECTOR_GROUP = "credit_collection.group_credit_collector"
REQUEST_TEMPLATE = "credit_collection.mail_template_balance_confirmation"
STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("confirmed", "Confirmed"),
    ("contested", "Contested"),
    ("cancelled", "Cancelled"),
]


class CreditBalanceConfirmation(models.Model):
    """A balance confirmation request (对账确认): the company asks a customer to confirm
    what it owed at a date, and the customer answers once, on the portal.

    The balance is photographed when the request is made, from the query layer, in company
    currency and in each currency the customer was invoiced in. Everything but the chatter
    is a decision field (``credit.decision.mixin``): the request is made by
    ``_create_requests`` and ``action_send``, moved by ``action_send_reminder`` and
    ``action_cancel``, and answered by ``_portal_answer``; a ``create``/``write`` from a
    user (as over JSON-RPC) cannot set a state, a balance or an answer.
    """

    _name = "credit.balance.confirmation"
    _description = "Balance Confirmation Request"
    _inherit = ["credit.decision.mixin", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _decision_fields = (
        "company_id",
        "partner_id",
        "date",
        "balance",
        "currency_balances",
        "state",
        "sent_date",
        "sent_by_id",
        "answer_date",
        "answer_partner_id",
        "answer_user_id",
        "answer_ip",
        "amount_believed",
        "answer_comment",
        "reminder_count",
        "last_reminder_date",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    date = fields.Date(string="As of", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The customer's receivable balance at the end of the as-of date, in company currency.",
    )
    currency_balances = fields.Json(
        readonly=True,
        help="What was open at the as-of date in each invoice currency: "
        "{currency id: [amount in that currency, amount in company currency]}.",
    )
    currency_balance_text = fields.Char(
        string="Balance per Currency", compute="_compute_currency_balance_text"
    )
    state = fields.Selection(
        STATES, required=True, default="draft", readonly=True, tracking=True, index=True
    )
    sent_date = fields.Datetime(string="Sent on", readonly=True)
    sent_by_id = fields.Many2one("res.users", string="Sent by", readonly=True)
    answer_date = fields.Datetime(string="Answered on", readonly=True)
    answer_partner_id = fields.Many2one("res.partner", string="Answered by", readonly=True)
    answer_user_id = fields.Many2one("res.users", string="Answering User", readonly=True)
    answer_ip = fields.Char(string="IP Address", readonly=True)
    amount_believed = fields.Monetary(
        string="Balance per Customer",
        currency_field="currency_id",
        readonly=True,
        help="The balance the customer believes it owed, when it contests ours.",
    )
    difference = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_difference",
        help="Balance per customer minus our balance, when contested.",
    )
    answer_comment = fields.Text(string="Customer's Comment", readonly=True)
    reminder_count = fields.Integer(string="Reminders Sent", readonly=True)
    last_reminder_date = fields.Date(string="Last Reminder", readonly=True)

    _partner_date_idx = models.Index("(partner_id, date)")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_access_url(self):
        for request in self:
            request.access_url = f"/my/balance_confirmation/{request.id}"

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(customer)s as of %(date)s",
                customer=request.partner_id.name or "",
                date=format_date(self.env, request.date) if request.date else "",
            )

    @api.depends("currency_balances")
    def _compute_currency_balance_text(self):
        for request in self:
            request.currency_balance_text = "; ".join(
                format_amount(self.env, amount_currency, currency)
                for currency, amount_currency, _amount in request._get_currency_balances()
            )

    @api.depends("state", "amount_believed", "balance")
    def _compute_difference(self):
        for request in self:
            contested = request.state == "contested"
            request.difference = request.amount_believed - request.balance if contested else 0.0

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_send(self):
        """Email the request with its portal link; draft requests become sent."""
        self._check_may_send()
        drafts = self.filtered(lambda request: request.state == "draft")
        drafts._check_emails()
        now = fields.Datetime.now()
        for request in drafts:
            request._write_decision({"state": "sent", "sent_date": now})
            request._email(reminder=False)
        return True

    def action_send_reminder(self):
        """Remind the customers of unanswered requests, whatever the interval."""
        self._check_may_send()
        answered = self.filtered(lambda request: request.state != "sent")
        if answered:
            raise UserError(
                self.env._(
                    "Only unanswered requests get reminders; %(requests)s are not waiting "
                    "for an answer.",
                    requests=", ".join(answered.mapped("display_name")),
                )
            )
        self._check_emails()
        self._remind()
        return True

    def action_cancel(self):
        """Withdraw requests not answered yet: their portal page no longer takes answers."""
        self._check_may_send()
        answered = self.filtered(lambda request: request.state in ("confirmed", "contested"))
        if answered:
            raise UserError(
                self.env._(
                    "%(requests)s already got an answer, which stays on record: it cannot be "
                    "cancelled.",
                    requests=", ".join(answered.mapped("display_name")),
                )
            )
        self._write_decision({"state": "cancelled"})
        return True

    def action_preview(self):
        """The request's portal page, as the customer sees it."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self", "url": self.get_portal_url()}

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _create_requests(self, partners, company, as_of):
        """One draft request per customer (commercial partner) as of ``as_of``, with the
        balance from the query layer and its portal token: as many queries for one customer
        as for a hundred."""
        self._check_may_send()
        customers = partners.commercial_partner_id
        query = self.env["credit.receivable.query"]
        balances = query._get_receivable_balances(as_of, company.ids, customers.ids)
        by_currency = query._get_open_balances_by_currency(as_of, company.ids, customers.ids)
        requests = self.sudo().create(
            [
                {
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "date": as_of,
                    "balance": balances.get(customer, 0.0),
                    "currency_balances": {
                        str(currency_id): list(amounts)
                        for currency_id, amounts in by_currency.get(customer.id, {}).items()
                    },
                    "sent_by_id": self.env.user.id,
                    "access_token": str(uuid.uuid4()),
                }
                for customer in customers
            ]
        )
        # the sender follows the request: the customer's answer reaches them
        requests.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        return requests.sudo(False)

    @api.model
    def _check_may_send(self):
        if self.env.su or self.env.user.has_group(COLLECTOR_GROUP):
            return
        raise AccessError(
            self.env._(
                "Only collectors and credit managers can request balance confirmations from "
                "customers."
            )
        )

    def _check_emails(self):
        self._check_customer_emails(self.partner_id)

    @api.model
    def _check_customer_emails(self, customers):
        missing = customers.filtered(lambda partner: not partner.email)
        if missing:
            raise UserError(
                self.env._(
                    "Add an email address to %(customers)s before requesting a balance "
                    "confirmation.",
                    customers=", ".join(missing.mapped("display_name")),
                )
            )

    def _remind(self):
        """Send the reminder email and count it."""
        today = fields.Date.context_today(self)
        for request in self:
            request._email(reminder=True)
            request._write_decision(
                {"reminder_count": request.reminder_count + 1, "last_reminder_date": today}
            )

    def _email(self, reminder):
        """The request (or its reminder) by email to the customer, in the customer's
        language and from the request's company, logged in the request's chatter."""
        self.ensure_one()
        template = self.env.ref(REQUEST_TEMPLATE).with_company(self.company_id)
        sender = self.sent_by_id.partner_id or self.env.user.partner_id
        self.with_company(self.company_id).with_context(
            mail_notify_force_send=False, balance_confirmation_reminder=reminder
        ).message_post_with_source(
            template,
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.partner_id.ids,
            author_id=sender.id,
            email_from=template._render_field("email_from", self.ids)[self.id],
        )

    def _get_currency_balances(self):
        """``[(currency, amount in it, amount in company currency)]`` of the request."""
        self.ensure_one()
        rows = self.currency_balances or {}
        currencies = self.env["res.currency"].browse([int(key) for key in rows]).exists()
        return sorted(
            [(currency, *rows[str(currency.id)]) for currency in currencies],
            key=lambda row: row[0].name,
        )

    def _has_foreign_currency(self):
        self.ensure_one()
        return any(row[0] != self.currency_id for row in self._get_currency_balances())

    # ------------------------------------------------------------
    # REMINDERS
    # ------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self, batch_size=100):
        """Daily: remind the customers of requests unanswered for the company's interval,
        at most once per interval (the last reminder's date is the mark: a second run on
        the same day finds nothing to send)."""
        for company in self.env["res.company"].search([]):
            due = self.with_company(company)._reminders_due(company)
            self.env["ir.cron"]._commit_progress(remaining=len(due))
            for start in range(0, len(due), batch_size):
                batch = due[start : start + batch_size]
                batch.filtered(lambda request: request.partner_id.email)._remind()
                if not self.env["ir.cron"]._commit_progress(len(batch)):
                    return  # out of time: the next run goes on where this one stopped

    @api.model
    def _reminders_due(self, company):
        """Unanswered requests of ``company`` sent or last reminded at least the company's
        reminder interval ago."""
        today = fields.Date.context_today(self)
        cutoff = today - timedelta(days=company.balance_confirmation_reminder_days)
        sent_before = datetime.combine(cutoff + timedelta(days=1), time.min)
        return self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
                "|",
                ("last_reminder_date", "<=", cutoff),
                "&",
                ("last_reminder_date", "=", False),
                ("sent_date", "<", sent_before),
            ],
            order="id",
        )
