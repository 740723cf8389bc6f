from odoo import api, fields, models

OPEN_STATES = ("open", "in_progress", "promised", "dispute", "legal")


class CollectionCase(models.Model):
    """The file of one customer's overdue money in one company, worked by a collector.

    At most one case is open per customer and company; the daily dunning run opens it,
    keeps its totals up to date, closes it once everything is paid and reopens it when a
    new invoice falls overdue.
    """

    _name = "collection.case"
    _description = "Collection Case"
    _inherit = ["credit.decision.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "action_today desc, priority desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True
    # moved by the transitions below and the dunning run only (credit.decision.mixin)
    _decision_fields = (
        "state",
        "level_id",
        "last_notice_date",
        "amount_due",
        "amount_overdue",
        "days_overdue",
        "priority",
        "risk_factor",
        "writeoff_reason",
        "writeoff_move_id",
        "date_closed",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Collector", tracking=True, domain=[("share", "=", False)]
    )
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("promised", "Promised"),
            ("dispute", "In Dispute"),
            ("legal", "Legal"),
            ("closed", "Closed"),
            ("written_off", "Written Off"),
        ],
        required=True,
        default="open",
        tracking=True,
        index=True,
    )
    level_id = fields.Many2one("collection.policy.level", string="Last Level", tracking=True)
    last_notice_date = fields.Date()
    next_action_date = fields.Date(tracking=True)
    action_today = fields.Boolean(
        compute="_compute_action_today",
        store=True,
        help="Next action due today or earlier; recomputed by the daily dunning run.",
    )
    amount_due = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_overdue = fields.Monetary(currency_field="currency_id", readonly=True)
    days_overdue = fields.Integer(readonly=True, help="Age of the oldest overdue invoice.")
    risk_factor = fields.Float(default=1.0, readonly=True)
    priority = fields.Float(
        readonly=True,
        aggregator="sum",
        help="Amount overdue x days overdue x risk factor: the worklist shows the largest first.",
    )
    invoice_ids = fields.Many2many(
        "account.move", compute="_compute_invoice_ids", string="Invoices"
    )
    writeoff_reason = fields.Selection(
        [
            ("bankruptcy", "Bankruptcy"),
            ("uncollectible", "Uncollectible"),
            ("settlement", "Settlement"),
            ("small_balance", "Small Balance"),
            ("other", "Other"),
        ],
        string="Write-off Reason",
        readonly=True,
    )
    writeoff_move_id = fields.Many2one("account.move", string="Write-off Entry", readonly=True)
    date_closed = fields.Date(
        string="Closed On",
        readonly=True,
        index=True,
        help="The day the case was closed (paid, written off or closed by a credit manager); "
        "cleared when it reopens. The collector appraisal counts the cases closed by it.",
    )
    notice_ids = fields.One2many("collection.notice", "case_id", string="Notices")
    log_ids = fields.One2many("collection.log", "case_id", string="Contacts")
    promise_ids = fields.One2many("collection.promise", "case_id", string="Promises")
    dispute_ids = fields.One2many("collection.dispute", "case_id", string="Disputes")
    plan_ids = fields.One2many("collection.payment.plan", "case_id", string="Payment Plans")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("next_action_date")
    def _compute_action_today(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.action_today = bool(case.next_action_date and case.next_action_date <= today)

    def _compute_invoice_ids(self):
        """The case's open invoices, whoever reads the case: a collector need not hold
        accounting rights to know which invoices a promise or plan covers."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    *self.env["credit.receivable.query"]._open_invoice_domain(),
                    ("commercial_partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ],
                order="invoice_date_due, id",
            )
        )
        by_key = moves.grouped(lambda m: (m.commercial_partner_id, m.company_id))
        for case in self.sudo():
            case.invoice_ids = by_key.get((case.partner_id, case.company_id), moves.browse())

    def _get_dunning_data(self, notices=None):
        """The dunning email's lines, each invoice in its own currency, and a total per
        currency: a customer invoiced in euros reads euros, not their value in dollars.

        ``notices`` are those the dunning run sends (it renders the template with the result
        as ``dunning``); without them, the case's notices of its last level and date (the
        template previewed or sent again by hand).
        """
        self.ensure_one()
        if notices is None:
            notices = self.notice_ids.filtered(
                lambda n: (n.level_id, n.date) == (self.level_id, self.last_notice_date)
            )
        lines = [
            {
                "move": notice.move_id,
                "date_maturity": notice.move_id.invoice_date_due,
                "days_overdue": notice.days_overdue,
                "currency": notice.move_id.currency_id,
                "amount": notice.move_id.amount_residual,
            }
            for notice in notices.sorted(lambda n: n.move_id.invoice_date_due)
        ]
        return {"lines": lines, "totals": self._get_currency_totals(lines)}

    @api.model
    def _get_currency_totals(self, lines):
        """``[{"currency", "amount"}]``: the sum of the lines' amounts per currency."""
        totals = {}
        for line in lines:
            totals[line["currency"]] = totals.get(line["currency"], 0.0) + line["amount"]
        return [
            {"currency": currency, "amount": currency.round(amount)}
            for currency, amount in sorted(totals.items(), key=lambda item: item[0].name)
        ]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    _one_open_per_customer = models.UniqueIndex(
        "(partner_id, company_id) WHERE state NOT IN ('closed', 'written_off')",
        "A customer already has an open collection case in this company.",
    )
    _priority_idx = models.Index("(company_id, action_today desc, priority desc)")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_log_call(self):
        return self._action_open_log_wizard("phone")

    def action_log_visit(self):
        return self._action_open_log_wizard("visit")

    def _action_open_log_wizard(self, channel):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Contact"),
            "res_model": "collection.log.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id, "default_channel": channel},
        }

    def action_write_off(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off Bad Debt"),
            "res_model": "collection.writeoff.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_close(self):
        """Closing a case stops its dunning for good: a credit manager's decision."""
        self._check_credit_manager(self.env._("Only a credit manager can close a collection case."))
        self._write_decision(
            {
                "state": "closed",
                "next_action_date": False,
                "date_closed": fields.Date.context_today(self),
            }
        )
        for case in self:
            case.message_post(body=self.env._("Case closed by %(user)s.", user=self.env.user.name))
        return True

    def action_print_letter(self):
        return self.env.ref("credit_collection.action_report_dunning_letter").report_action(self)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _refresh_cases_of_lines(self, lines):
        """A payment was matched to these journal items, or unmatched: their customers'
        open cases show what is owed at once (and close when nothing is), rather than after
        the next daily run. Today's figures cost one aging query of these customers: the
        reconciliations dated after today, which the aging adds back, are next to none."""
        receivables = self.env["credit.receivable.query"]._filter_receivable(lines)
        if receivables:
            self.sudo().search(
                [
                    ("partner_id", "in", receivables.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", receivables.company_id.ids),
                    ("state", "in", OPEN_STATES),
                ]
            )._refresh_amounts()

    def _refresh_amounts(self, today=None):
        """Totals and priority from the aging query layer; close the cases fully paid.

        The amounts are the aging report's for the customer (due: every bucket, overdue:
        every bucket but "not due"), read in one query; only the cases whose figures
        changed are written, so a second run the same day writes nothing.
        """
        if not self:
            return
        today = today or fields.Date.context_today(self)
        totals = self.env["credit.receivable.query"]._get_collection_totals(
            today, self.company_id.ids, self.partner_id.ids
        )
        # the grade, and so the risk, is the customer's in the case's company
        risks = {
            (partner_id, company.id): risk
            for company, cases in self.grouped("company_id").items()
            for partner_id, risk in cases.partner_id.with_company(company)
            ._get_collection_risk_factor()
            .items()
        }
        to_close = self.browse()
        for case in self:
            key = (case.partner_id.id, case.company_id.id)
            due, overdue, days = totals.get(key, (0.0, 0.0, 0))
            risk = risks.get(key, 1.0)
            vals = {
                "amount_due": due,
                "amount_overdue": overdue,
                "days_overdue": days,
                "risk_factor": risk,
                "priority": overdue * days * risk,
            }
            if any(case[name] != value for name, value in vals.items()):
                case._write_decision(vals)
            if case.currency_id.compare_amounts(due, 0.0) <= 0:
                to_close |= case
        to_close._close_paid()
        self.partner_id._release_collection_holds(self.company_id)
        stale = (self - to_close).filtered(
            lambda c: c.action_today != bool(c.next_action_date and c.next_action_date <= today)
        )
        self.env.add_to_compute(self._fields["action_today"], stale)

    def _get_letter_salutation(self):
        """The letter's opening line in the letter's language, punctuation included
        (Chinese closes it with a full-width colon, English with a comma)."""
        self.ensure_one()
        return self.env._("Dear %(customer)s,", customer=self.partner_id.name)

    def _get_letter_lines(self):
        """The customer's open items as the aging reads them, oldest first, each in its own
        currency: the letter's lines, from the query layer of the aging and the case totals."""
        self.ensure_one()
        items = self.env["credit.receivable.query"]._get_open_items(
            fields.Date.context_today(self), self.company_id.ids, partner_ids=self.partner_id.ids
        )
        moves = self.env["account.move"].browse(item["move_id"] for item in items)
        currencies = self.env["res.currency"].browse(item["currency_id"] for item in items)
        return [
            {
                "move": move,
                "date_maturity": item["date_maturity"],
                "days_overdue": item["days_overdue"],
                "currency": currency,
                "amount": float(item["amount_residual_currency"]),
            }
            for move, currency, item in zip(moves, currencies, items, strict=True)
        ]

    def _get_letter_data(self):
        """What the dunning letter prints: its lines and a total per currency."""
        lines = self._get_letter_lines()
        return {"lines": lines, "totals": self._get_currency_totals(lines)}

    def _get_responsible_user(self, first=None):
        """Who gets the work of the case: ``first`` when given and able to work it, else
        the customer's collector in the company, else the company's default collector,
        else the customer's salesperson, else the company's collection manager, else its
        first credit manager. Never OdooBot, a portal user or someone outside the company:
        an empty recordset when nobody qualifies."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.commercial_partner_id.with_company(company)
        candidates = [
            first,
            self.user_id,
            partner.collection_user_id,
            company.collection_user_id,
            partner.user_id,
            company.collection_manager_id,
        ]
        for user in candidates:
            if user and self._can_be_assigned(user, company):
                return user
        # reads the group's members: only when nobody closer is there
        return company._get_credit_managers()[:1]

    @api.model
    def _can_be_assigned(self, user, company):
        user = user.sudo()
        return (
            user.active
            and not user.share
            and not user._is_superuser()
            and user != self.env.ref("base.user_root")
            and company in user.company_ids
        )

    # ------------------------------------------------------------
    # TRANSITIONS (the only writers of ``state``)
    # ------------------------------------------------------------

    def _mark_in_progress(self):
        """A first contact or notice: an open case is being worked."""
        self.filtered(lambda c: c.state == "open")._write_decision({"state": "in_progress"})

    def _mark_promised(self):
        self.filtered(lambda c: c.state in ("open", "in_progress"))._write_decision(
            {"state": "promised"}
        )

    def _mark_disputed(self):
        self.filtered(lambda c: c.state in ("open", "in_progress", "promised"))._write_decision(
            {"state": "dispute"}
        )

    def _mark_legal(self, level):
        cases = self.filtered(lambda c: c.state in OPEN_STATES and c.state != "legal")
        cases._write_decision({"state": "legal"})
        for case in cases:
            case.message_post(
                body=self.env._(
                    "Handed over to legal at the dunning level %(level)s.", level=level.name
                )
            )

    def _resume(self):
        """A promise or dispute ended: the case goes back to work once nothing else
        pauses it (another open dispute, another open promise)."""
        for case in self.filtered(lambda c: c.state in ("promised", "dispute")):
            if case.dispute_ids.filtered(lambda d: d.state == "open"):
                state = "dispute"
            elif case.promise_ids.filtered(lambda p: p.state == "open"):
                state = "promised"
            else:
                state = "in_progress"
            if state != case.state:
                case._write_decision({"state": state})

    def _reopen(self):
        """New overdue invoices on a closed case: it opens again, and its collector reads
        why in their language."""
        cases = self.filtered(lambda c: c.state == "closed")
        cases._write_decision({"state": "open", "date_closed": False})
        for case in cases:
            reader = case._get_responsible_user()
            env = case.with_context(lang=reader.lang or self.env.lang).env
            case.message_post(body=env._("New overdue invoices: the case is reopened."))

    def _close_paid(self):
        cases = self.filtered(lambda c: c.state in OPEN_STATES)
        if not cases:
            return
        cases._write_decision(
            {
                "state": "closed",
                "next_action_date": False,
                "date_closed": fields.Date.context_today(self),
            }
        )
        for case in cases:
            reader = case._get_responsible_user()
            env = case.with_context(lang=reader.lang or self.env.lang).env
            case.message_post(body=env._("Everything is paid: the case is closed."))

    def _mark_written_off(self, writeoff):
        """All that was owed is written off (``writeoff``, after the wizard's credit-manager
        check): the case ends, and so do its open promises and active payment plans, which
        the dunning run would otherwise check, break and chase."""
        self.ensure_one()
        self._write_decision(
            {
                "state": "written_off",
                "writeoff_reason": writeoff.reason,
                "writeoff_move_id": writeoff.move_id.id,
                "next_action_date": False,
                "date_closed": fields.Date.context_today(self),
                "amount_due": 0.0,
                "amount_overdue": 0.0,
                "days_overdue": 0,
                "priority": 0.0,
            }
        )
        self.promise_ids.filtered(lambda p: p.state == "open")._write_decision({"state": "cancel"})
        self.plan_ids.filtered(lambda p: p.state == "active")._write_decision({"state": "cancel"})
        self.message_post(
            body=self.env._(
                "Written off: %(amount)s (%(move)s).",
                amount=writeoff.currency_id.format(writeoff.amount),
                move=writeoff.move_id.name,
            )
        )
