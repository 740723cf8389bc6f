from odoo import api, fields, models
from odoo.tools import SQL

OPEN_STATES = ("open", "in_progress", "promised", "dispute", "legal")


class CollectionCase(models.Model):
    """The file of one customer's overdue money in one company, worked by a collector.

    At most one case is open per customer and company; the daily dunning run opens it,
    keeps its totals up to date, closes it once everything is paid and reopens it when a
    new invoice falls overdue.
    """

    _name = "collection.case"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "action_today desc, priority desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

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
    dunning_notice_ids = fields.Many2many(
        "collection.notice",
        compute="_compute_dunning_notice_ids",
        help="Technical: the notices of the email being rendered.",
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
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date_due, id",
        )
        by_key = moves.grouped(lambda m: (m.commercial_partner_id, m.company_id))
        for case in self:
            case.invoice_ids = by_key.get((case.partner_id, case.company_id), moves.browse())

    @api.depends_context("collection_notice_ids")
    def _compute_dunning_notice_ids(self):
        notices = self.env["collection.notice"].browse(
            self.env.context.get("collection_notice_ids") or []
        )
        for case in self:
            case.dunning_notice_ids = notices.filtered(
                lambda n, c=case: n.partner_id == c.partner_id
            )

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

    def action_start(self):
        self.filtered(lambda c: c.state == "open").state = "in_progress"
        return True

    def action_close(self):
        self.state = "closed"
        return True

    def action_print_letter(self):
        return self.env.ref("credit_collection.action_report_dunning_letter").report_action(self)

    # ------------------------------------------------------------
    # DUNNING RUN
    # ------------------------------------------------------------

    @api.model
    def _cron_run_dunning(self):
        """Daily: decide who reached which level, record it, then send, per company."""
        for company in self.env["res.company"].search([]):
            self.with_company(company)._run_dunning()

    @api.model
    def _run_dunning(self, batch_size=100, commit=True, today=None):
        """Run the dunning of the current company.

        Deciding is one INSERT ... ON CONFLICT DO NOTHING over the move lines, so it is
        idempotent; sending works through the notices still queued, customer by customer,
        committing in batches, so a crash loses nothing and sends nothing twice. The letters
        sent are then rendered, one PDF per collector. With ``commit=False`` (tests) each
        batch is a savepoint instead of a commit.
        """
        today = today or fields.Date.context_today(self)
        company = self.env.company
        self.env["collection.promise"]._check_due_promises(company, today)
        self.env["collection.payment.plan"]._check_active_plans(company, today)
        self._commit_batch(commit)
        self._record_notices(company, today)
        self._commit_batch(commit)
        self._send_queued_notices(company, batch_size, commit)
        self.search(
            [("company_id", "=", company.id), ("state", "in", OPEN_STATES)]
        )._refresh_amounts(today)
        self._commit_batch(commit)
        self.env["collection.letter.batch"]._prepare_letter_batches(company, today, commit)

    def _commit_batch(self, commit, processed=0):
        if commit:
            self.env["ir.cron"]._commit_progress(processed)

    @api.model
    def _record_notices(self, company, today):
        """Record, set-based, the level each open invoice reached; return the new rows' ids."""
        partners = self._get_dunning_partners(company)
        if not partners:
            return []
        policies = partners._get_collection_policy()
        pairs = [(pid, policy.id) for pid, policy in policies.items() if policy]
        if not pairs:
            return []
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        for model in (
            "collection.notice",
            "collection.promise",
            "collection.dispute",
            "collection.payment.plan",
            "collection.policy.level",
            "res.partner",
        ):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            self._notice_insert_query(company, today, *zip(*pairs, strict=True))
        )
        self.env["collection.notice"].invalidate_model()
        return [row[0] for row in rows]

    @api.model
    def _get_dunning_partners(self, company):
        """Customers with open receivables in the company (one query)."""
        self.env["account.move.line"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM account_move_line aml
                  JOIN account_account a ON a.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %s
                   AND a.account_type = 'asset_receivable'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.parent_state = 'posted'
                   AND aml.amount_residual > 0
                """,
                company.id,
            )
        )
        return self.env["res.partner"].browse([row[0] for row in rows])

    @api.model
    def _notice_insert_query(self, company, today, partner_ids, policy_ids):
        """The highest level reached by each open invoice, minus what was already recorded.

        Invoices in an open dispute, covered by a promise not yet due, in a payment plan on
        track or with a follow-up date in the future are left out. A level's minimum amount
        applies to the customer's total at that level.
        """
        return SQL(
            """
            WITH pp AS (
                SELECT * FROM unnest(%(partners)s::int[], %(policies)s::int[])
                           AS pp(partner_id, policy_id)
            ), open_inv AS (
                SELECT m.id AS move_id, pp.partner_id, pp.policy_id,
                       SUM(aml.amount_residual) AS residual,
                       %(today)s::date - MIN(aml.date_maturity) AS days
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN account_account a ON a.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN pp ON pp.partner_id = p.commercial_partner_id
                 WHERE aml.company_id = %(company)s
                   AND a.account_type = 'asset_receivable'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.parent_state = 'posted'
                   AND aml.amount_residual > 0
                   AND m.move_type = 'out_invoice'
                   AND (m.collection_follow_up_date IS NULL
                        OR m.collection_follow_up_date <= %(today)s)
                   AND NOT EXISTS (SELECT 1 FROM collection_dispute d
                                    WHERE d.move_id = m.id AND d.state = 'open')
                   AND NOT EXISTS (SELECT 1 FROM collection_promise_account_move_rel r
                                     JOIN collection_promise pr ON pr.id = r.promise_id
                                    WHERE r.move_id = m.id AND pr.state = 'open'
                                      AND pr.date_promised >= %(today)s)
                   AND NOT EXISTS (SELECT 1 FROM collection_payment_plan_account_move_rel r
                                     JOIN collection_payment_plan pl ON pl.id = r.plan_id
                                    WHERE r.move_id = m.id AND pl.state = 'active')
                 GROUP BY m.id, pp.partner_id, pp.policy_id
            ), reached AS (
                SELECT DISTINCT ON (oi.move_id) oi.*, l.id AS level_id, l.min_amount
                  FROM open_inv oi
                  JOIN collection_policy_level l ON l.policy_id = oi.policy_id AND l.days <= oi.days
                 ORDER BY oi.move_id, l.days DESC
            ), totals AS (
                SELECT r.*,
                       SUM(r.residual) OVER (PARTITION BY r.partner_id, r.level_id) AS level_total
                  FROM reached r
            )
            INSERT INTO collection_notice (partner_id, company_id, level_id, move_id,
                                           amount_residual, days_overdue, date, state,
                                           create_uid, create_date, write_uid, write_date)
            SELECT t.partner_id, %(company)s, t.level_id, t.move_id, t.residual, t.days, %(today)s,
                   'queued', %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM totals t
             WHERE t.level_total >= COALESCE(t.min_amount, 0)
            ON CONFLICT (move_id, level_id) DO NOTHING
            RETURNING id
            """,
            partners=list(partner_ids),
            policies=list(policy_ids),
            today=today,
            company=company.id,
            uid=self.env.uid,
        )

    @api.model
    def _send_queued_notices(self, company, batch_size, commit):
        """Act on the queued notices, a batch of customers at a time."""
        groups = self.env["collection.notice"]._read_group(
            [("company_id", "=", company.id), ("state", "=", "queued")],
            ["partner_id"],
            ["id:array_agg"],
            order="partner_id",
        )
        for start in range(0, len(groups), batch_size):
            batch = groups[start : start + batch_size]
            notices = self.env["collection.notice"].browse(
                [nid for __, ids in batch for nid in ids]
            )
            if commit:
                self._send_notice_batch(company, notices)
                if self.env["ir.cron"]._commit_progress(len(batch)) <= 0:
                    break  # out of time: the notices left queued go with the next run
            else:
                with self.env.cr.savepoint():
                    self._send_notice_batch(company, notices)

    @api.model
    def _send_notice_batch(self, company, notices):
        # after a commit the snapshot is new: another worker may have sent some meanwhile
        notices.invalidate_recordset(["state"])
        notices = notices.filtered(lambda n: n.state == "queued")
        cases = self._get_or_open_cases(notices.partner_id, company)
        for partner, partner_notices in notices.grouped("partner_id").items():
            case = cases[partner]
            for level, level_notices in sorted(
                partner_notices.grouped("level_id").items(), key=lambda item: item[0].days
            ):
                case._send_notice_group(level, level_notices)

    @api.model
    def _get_or_open_cases(self, partners, company):
        """The open case of each customer: found, reopened, or created (three queries)."""
        cases = self.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id)],
            order="id desc",
        )
        result = {}
        for case in cases:
            if case.partner_id not in result or case.state in OPEN_STATES:
                result[case.partner_id] = case
        reopen = self.browse(c.id for c in result.values() if c.state == "closed")
        if reopen:
            reopen.write({"state": "open"})
            reopen.message_post(body=self.env._("New overdue invoices: the case is reopened."))
        missing = partners.filtered(lambda p: p not in result or result[p].state == "written_off")
        collectors = missing._get_collection_user(company)
        new_cases = self.create(
            [
                {"partner_id": p.id, "company_id": company.id, "user_id": collectors.get(p.id)}
                for p in missing
            ]
        )
        result.update({case.partner_id: case for case in new_cases})
        return result

    def _send_notice_group(self, level, notices):
        """One communication to the customer for all its invoices that reached ``level``.

        The notices turn ``sent`` first: two runs at once then conflict on these rows and
        PostgreSQL rolls one back, so the email is queued once.
        """
        self.ensure_one()
        notices.write({"state": "sent", "case_id": self.id})
        vals = {"level_id": level.id, "last_notice_date": notices[0].date}
        if self.state == "open":
            vals["state"] = "in_progress"
        if level.hand_over_to_legal:
            vals["state"] = "legal"
        self.write(vals)
        if level.mail_template_id:
            level.mail_template_id.with_context(collection_notice_ids=notices.ids).send_mail(
                self.id, email_layout_xmlid="mail.mail_notification_light"
            )
        if level.activity_type_id:
            self._schedule_level_activity(level, notices)
        if level.credit_hold:
            self.partner_id.with_company(self.company_id)._put_on_collection_hold(level)
        if level.escalate_to_manager:
            manager = self.company_id.collection_manager_id or self.user_id
            env = self.with_context(lang=manager.lang or self.env.lang).env
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id or self.env.uid,
                summary=env._("Escalated: %(level)s", level=level.with_env(env).name),
            )

    def _schedule_level_activity(self, level, notices):
        user = {
            "collector": self.user_id,
            "salesperson": self.salesperson_id,
            "credit_manager": self.company_id.collection_manager_id,
        }[level.responsible] or self.user_id
        invoices = ", ".join(notices.move_id.mapped("name"))
        # the summary is read by the person who acts, in their language (the cron runs in English)
        env = self.with_context(lang=user.lang or self.env.lang).env
        self.activity_schedule(
            activity_type_id=level.activity_type_id.id,
            user_id=user.id or self.env.uid,
            summary=env._(
                "%(level)s: %(invoices)s", level=level.with_env(env).name, invoices=invoices
            ),
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _refresh_cases_of_lines(self, lines):
        """A payment was matched to these journal items, or unmatched: their customers'
        open cases show what is owed at once (and close when nothing is), rather than after
        the next daily run. Today's figures cost one aging query of these customers: the
        reconciliations dated after today, which the aging adds back, are next to none."""
        receivables = lines.filtered(lambda line: line.account_type == "asset_receivable")
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
        totals = self.env["credit.aging.query"]._get_collection_totals(
            today, self.company_id.ids, self.partner_id.ids
        )
        risks = self.partner_id._get_collection_risk_factor()
        to_close = self.browse()
        for case in self:
            due, overdue, days = totals.get((case.partner_id.id, case.company_id.id), (0.0, 0.0, 0))
            risk = risks.get(case.partner_id.id, 1.0)
            vals = {
                "amount_due": due,
                "amount_overdue": overdue,
                "days_overdue": days,
                "risk_factor": risk,
                "priority": overdue * days * risk,
            }
            if any(case[name] != value for name, value in vals.items()):
                case.write(vals)
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
        """The customer's open items as the aging reads them, oldest first: the letter's lines.

        Same query layer as the aging report and the case totals, so the letter's total is
        the case's amount due.
        """
        self.ensure_one()
        items = self.env["credit.aging.query"]._get_open_items(
            fields.Date.context_today(self), self.company_id.ids, partner_ids=self.partner_id.ids
        )
        moves = self.env["account.move"].browse(item["move_id"] for item in items)
        return [
            {
                "move": move,
                "date_maturity": item["date_maturity"],
                "days_overdue": item["days_overdue"],
                "amount": float(item["amount_residual"]),
            }
            for move, item in zip(moves, items, strict=True)
        ]

    def _close_paid(self):
        if not self:
            return
        self.write({"state": "closed", "next_action_date": False})
        for case in self:
            case.message_post(body=self.env._("Everything is paid: the case is closed."))
