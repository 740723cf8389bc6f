import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, plaintext2html

from .collection_case import OPEN_STATES

_logger = logging.getLogger(__name__)

# customers a sender job claims and sends to per commit
SEND_BATCH_SIZE = 100
# the jobs any number of cron workers run side by side (one worker per job at a time)
SENDER_CRONS = tuple(f"credit_collection.ir_cron_collection_dunning_send_{n}" for n in range(1, 5))
FINISH_CRON = "credit_collection.ir_cron_collection_dunning_finish"
# when the finishing job comes back for letters the filestore could not store
LETTER_RETRY_DELAY = timedelta(minutes=30)


class CollectionCase(models.Model):
    """The daily dunning run of collection cases: which invoice reached which level, the
    communications it sends and the work it hands out."""

    _inherit = "collection.case"

    # ------------------------------------------------------------
    # DUNNING RUN
    # ------------------------------------------------------------

    @api.model
    def _cron_run_dunning(self):
        """Daily: decide, company by company, who reached which level (one statement each,
        committed), then wake the jobs that send and the one that finishes the run.

        Sending is the long part: it is done by the sender jobs
        (``ir_cron_collection_dunning_send_<n>``), which as many cron workers as the server
        has run side by side, each claiming customers no other worker holds."""
        for company in self.env["res.company"].search([]):
            self.with_company(company)._decide_dunning(commit=True)
        woken = self.env["credit.cron.batch"]._wake((*SENDER_CRONS, FINISH_CRON))
        _logger.info(
            "Dunning: %s customers with queued notices; jobs woken: %s",
            self._count_queued_customers(),
            ", ".join(woken) or "none (all inactive)",
        )

    @api.model
    def _cron_send_dunning_notices(self, batch_size=SEND_BATCH_SIZE):
        """A sender job: send to the customers it claims, in every company, a batch per
        commit, until none is left or its time is up (Odoo then runs it again)."""
        queued = self._count_queued_customers()
        _logger.info("Dunning sender starting: %s customers with queued notices", queued)
        self.env["ir.cron"]._commit_progress(remaining=queued)
        for company in self.env["res.company"].search([]):
            if not self.with_company(company)._send_queued_notices(company, batch_size, True):
                _logger.info(
                    "Dunning sender pausing (its time slice is used up): %s customers still "
                    "queued, Odoo runs the job again",
                    self._count_queued_customers(),
                )
                return
        # nothing left this sender can claim: what other senders hold is theirs to finish
        # (a sender killed mid-batch leaves its job ready, and Odoo runs it again)
        _logger.info("Dunning sender done: no queued customer left that it can claim")
        self.env["ir.cron"]._commit_progress(remaining=0)
        self._wake_finish_if_all_sent()

    @api.model
    def _wake_finish_if_all_sent(self):
        """The sender that finds today's queue empty wakes the finishing job now.

        The finishing job, woken with the senders, finds notices still queued and comes
        back only five minutes later: the letters would wait for it (the scale rig
        measured the day's letters printed five minutes after the last notice sent).
        After its commit a sender's snapshot is new: the last sender to finish sees every
        other sender's batches committed, so at least one of them wakes it; two waking it
        run it twice, the second finding nothing left to print."""
        if self._has_queued_notices_today():
            return
        if self.env["credit.cron.batch"]._wake([FINISH_CRON]):
            _logger.info("Dunning: every notice of the day sent, finishing now")

    @api.model
    def _has_queued_notices_today(self):
        today = fields.Date.context_today(self)
        return bool(
            self.env["collection.notice"]
            .sudo()
            .search_count([("state", "=", "queued"), ("date", "=", today)], limit=1)
        )

    @api.model
    def _count_queued_customers(self):
        return (
            self.env["collection.notice"]
            .sudo()
            ._read_group([("state", "=", "queued")], [], ["partner_id:count_distinct"])[0][0]
        )

    @api.model
    def _cron_finish_dunning(self):
        """Refresh the open cases' amounts and print the letters of the notices sent. While
        today's notices are still being sent, come back in a few minutes: the letters then
        hold every notice of the day."""
        if self._has_queued_notices_today():
            _logger.info("Dunning finish: notices still queued, finishing in 5 minutes")
            self.env.ref(FINISH_CRON)._trigger(fields.Datetime.now() + timedelta(minutes=5))
            return
        today = fields.Date.context_today(self)
        unprinted = 0
        for company in self.env["res.company"].search([]):
            unprinted += self.with_company(company)._finish_dunning(today, commit=True)
        if unprinted:
            retry = fields.Datetime.now() + LETTER_RETRY_DELAY
            _logger.warning(
                "Dunning finish: %s letters not printed, trying again at %s UTC",
                unprinted,
                retry,
            )
            self.env.ref(FINISH_CRON)._trigger(retry)
            self.env["ir.cron"]._commit_progress()

    @api.model
    def _run_dunning(self, batch_size=SEND_BATCH_SIZE, commit=True, today=None):
        """The whole dunning of the current company in one worker: decide, send, finish.

        Deciding is one INSERT ... ON CONFLICT DO NOTHING over the move lines, so it is
        idempotent; sending works through the notices still queued, a batch of customers at
        a time, committing each batch, so a crash loses nothing and sends nothing twice; the
        letters sent are then rendered, one PDF per collector. With ``commit=False`` (tests)
        each batch is a savepoint instead of a commit.
        """
        today = today or fields.Date.context_today(self)
        company = self.env.company
        self._decide_dunning(commit, today)
        self._send_queued_notices(company, batch_size, commit)
        self._finish_dunning(today, commit)

    @api.model
    def _decide_dunning(self, commit=True, today=None):
        """Settle the due promises and plans, then record the notices of the current
        company: what the senders will send."""
        today = today or fields.Date.context_today(self)
        company = self.env.company
        self.env["collection.promise"]._check_due_promises(company, today)
        self.env["collection.payment.plan"]._check_active_plans(company, today)
        self._commit_step_if(commit)
        new = self._record_notices(company, today)
        self._commit_step_if(commit)
        _logger.info("Dunning of %s: %s new notices queued for %s", company.name, len(new), today)

    @api.model
    def _finish_dunning(self, today, commit=True):
        """Refresh the current company's open cases and print the letters sent; return the
        number of letters left unprinted (their PDF could not be stored)."""
        company = self.env.company
        cases = self.search([("company_id", "=", company.id), ("state", "in", OPEN_STATES)])
        cases._refresh_amounts(today)
        self._commit_step_if(commit)
        _logger.info("Dunning finish of %s: %s open cases refreshed", company.name, len(cases))
        return self.env["collection.letter.batch"]._create_letter_batches(company, today, commit)

    def _commit_step_if(self, commit):
        """Commit the step just done, through ``ir.cron._commit_progress``, only when
        ``commit`` is set (the cron); with ``commit=False`` (tests) nothing happens and the
        run stays one transaction."""
        if commit:
            self.env["ir.cron"]._commit_progress()

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
        """Customers owing in the company (one query)."""
        return self.env["res.partner"].browse(
            self.env["credit.receivable.query"]._get_customers_owing(company.id)
        )

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
                SELECT inv.move_id, pp.partner_id, pp.policy_id, inv.residual, inv.days
                  FROM (%(invoices)s) AS inv
                  JOIN pp ON pp.partner_id = inv.partner_id
                  JOIN account_move m ON m.id = inv.move_id
                 WHERE %(dunnable)s
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
            invoices=self.env["credit.receivable.query"]._open_invoices_sql(
                company.id, today, partner_ids
            ),
            dunnable=self._dunnable_invoice_sql(today),
            today=today,
            company=company.id,
            uid=self.env.uid,
        )

    @api.model
    def _dunnable_invoice_sql(self, today):
        """The condition on an open invoice ``m`` that lets the dunning chase it today: no
        follow-up date ahead, no open dispute, no promise not yet due, no plan on track."""
        return SQL(
            """(m.collection_follow_up_date IS NULL OR m.collection_follow_up_date <= %(today)s)
               AND NOT EXISTS (SELECT 1 FROM collection_dispute d
                                WHERE d.move_id = m.id AND d.state = 'open')
               AND NOT EXISTS (SELECT 1 FROM collection_promise_account_move_rel r
                                 JOIN collection_promise pr ON pr.id = r.promise_id
                                WHERE r.move_id = m.id AND pr.state = 'open'
                                  AND pr.date_promised >= %(today)s)
               AND NOT EXISTS (SELECT 1 FROM collection_payment_plan_account_move_rel r
                                 JOIN collection_payment_plan pl ON pl.id = r.plan_id
                                WHERE r.move_id = m.id AND pl.state = 'active')""",
            today=today,
        )

    @api.model
    def _send_queued_notices(self, company, batch_size, commit):
        """Send the queued notices of ``company``, a batch of claimed customers at a time;
        ``False`` when the cron's time ran out first (the rest stays queued)."""
        company_name = company.name  # for the log, even once the connection is lost
        while partner_ids := self._claim_dunning_customers(company, batch_size, retry=commit):
            if commit:  # what a worker killed from here on held: still queued after it
                _logger.info(
                    "Dunning of %s: claimed %s customers (ids %s to %s), sending",
                    company_name, len(partner_ids), partner_ids[0], partner_ids[-1],
                )  # fmt: skip
            notices = self.env["collection.notice"].search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "queued"),
                    ("partner_id", "in", partner_ids),
                ]
            )
            if not commit:
                with self.env.cr.savepoint():
                    self._send_notice_batch(company, notices)
                continue
            try:
                sent = self._send_notice_batch(company, notices)
                remaining_time = self.env["ir.cron"]._commit_progress(len(partner_ids))
            except Exception as error:
                _logger.warning(
                    "Dunning of %s: batch of %s claimed customers (ids %s to %s) failed, "
                    "nothing of it is kept: their notices stay queued for the next sender "
                    "(%s: %s)",
                    company_name, len(partner_ids), partner_ids[0], partner_ids[-1],
                    type(error).__name__, str(error).strip(),
                )  # fmt: skip
                raise
            _logger.info(
                "Dunning of %s: sent %s notices to %s claimed customers (ids %s to %s), "
                "%s already sent by another worker skipped; committed",
                company_name, len(sent), len(partner_ids), partner_ids[0], partner_ids[-1],
                len(notices) - len(sent),
            )  # fmt: skip
            if remaining_time <= 0:
                return False
        return True

    @api.model
    def _claim_dunning_customers(self, company, limit, retry=False):
        """Up to ``limit`` customers of ``company`` with queued notices that no other worker
        holds, in customer order. The first queued notice of each is locked until this
        transaction ends (``FOR UPDATE SKIP LOCKED``): another worker skips the customer,
        so two workers never write to the same customer; a worker killed mid-batch
        releases its customers, still queued, for the next one. With ``retry`` (the crons,
        at a batch boundary: nothing uncommitted), a claim that overlapped another worker's
        commit (a serialization failure) is started again in a new transaction
        (``credit.cron.batch._execute_claim``, shared with the other daily crons)."""
        self.env["collection.notice"].flush_model(["state", "partner_id", "company_id"])
        query = SQL(
            """SELECT n.partner_id
                     FROM collection_notice n
                    WHERE n.company_id = %(company)s AND n.state = 'queued'
                      AND NOT EXISTS (SELECT 1 FROM collection_notice o
                                       WHERE o.company_id = n.company_id
                                         AND o.partner_id = n.partner_id
                                         AND o.state = 'queued' AND o.id < n.id)
                 ORDER BY n.partner_id
                    LIMIT %(limit)s
                      FOR UPDATE OF n SKIP LOCKED""",
            company=company.id,
            limit=limit,
        )
        rows = self.env["credit.cron.batch"]._execute_claim(
            query, retry=retry, what=f"Dunning of company {company.id} ({company.name})"
        )
        return [partner_id for (partner_id,) in rows]

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
        return notices

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
        self.browse(c.id for c in result.values() if c.state == "closed")._reopen()
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
        notices._write_decision({"state": "sent", "case_id": self.id})
        self._write_decision({"level_id": level.id, "last_notice_date": notices[0].date})
        if level.hand_over_to_legal:
            self._mark_legal(level)
        else:
            self._mark_in_progress()
        if level.mail_template_id:
            self._send_dunning_email(level.mail_template_id, notices)
        if level.activity_type_id:
            self._schedule_level_activity(level, notices)
        if level.credit_hold:
            self.partner_id.with_company(self.company_id)._put_on_collection_hold(level)
        if level.escalate_to_manager:
            self._escalate(level)

    def _send_dunning_email(self, template, notices):
        """Queue ``template`` to the customer, listing ``notices``.

        The lines are a render value of the body (``dunning``, see ``_get_dunning_data``), as
        Odoo's SMS composer gives a template extra values: the body is rendered here, in
        the customer's language, and ``send_mail`` queues it with the template's subject,
        sender and recipients.
        """
        self.ensure_one()
        body = template._render_field(
            "body_html",
            self.ids,
            compute_lang=True,
            add_context={"dunning": self._get_dunning_data(notices)},
        )[self.id]
        template.send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"body_html": body},
        )

    def _schedule_level_activity(self, level, notices):
        """The level's activity goes to the person its ``responsible`` names, if that
        person can work the case, else to whoever gets the work of the case."""
        first = {
            "collector": self.user_id,
            "salesperson": self.salesperson_id,
            "credit_manager": self.company_id.collection_manager_id,
        }[level.responsible]
        self._schedule_for_responsible(
            level.activity_type_id,
            lambda env: env._(
                "%(level)s: %(invoices)s",
                level=level.with_env(env).name,
                invoices=", ".join(notices.move_id.mapped("name")),
            ),
            first=first,
        )

    def _escalate(self, level):
        self._schedule_for_responsible(
            self.env.ref("mail.mail_activity_data_todo"),
            lambda env: env._("Escalated: %(level)s", level=level.with_env(env).name),
            first=self.company_id.collection_manager_id,
        )

    def _schedule_for_responsible(self, activity_type, summary, first=None, note=None):
        """Schedule an activity for whoever gets the work, written in their language.

        ``summary`` (and ``note``) are callables of an environment in the assignee's
        language: the cron runs in English. Nobody to assign (a company with no collector
        and no credit manager): the case's chatter says so instead of OdooBot getting it.
        """
        for case in self:
            user = case._get_responsible_user(first=first)
            env = case.with_context(lang=user.sudo().lang or self.env.lang).env
            if not user:
                case.message_post(body=summary(env))
                continue
            case.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                summary=summary(env),
                note=plaintext2html(note(env)) if note else False,
            )
