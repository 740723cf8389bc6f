from odoo import Command, api, fields, models


class CollectionLetterBatch(models.Model):
    """The dunning letters of one run for one collector, printed as one PDF.

    The dunning run sends the notices of letter levels like any other, then prepares the
    letters: every sent letter notice not yet in a batch goes into the batch of its case's
    collector, whose PDF (each letter in its customer's language) is attached to the batch
    with an activity for the collector to print and post it. A notice belongs to one batch
    at most, so a second run, or a run after a crash, never prints a letter twice.
    """

    _name = "collection.letter.batch"
    _description = "Dunning Letter Batch"
    _inherit = ["credit.decision.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _decision_fields = ("state",)
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True)
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one("res.users", string="Collector", readonly=True, index=True)
    case_ids = fields.Many2many("collection.case", string="Cases", readonly=True)
    notice_ids = fields.One2many("collection.notice", "letter_batch_id", string="Notices")
    letter_count = fields.Integer(compute="_compute_letter_count", string="Letters")
    report_id = fields.Many2one("ir.actions.report", string="Letter", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Letters (PDF)", readonly=True)
    state = fields.Selection(
        [("to_send", "To Send"), ("sent", "Sent")],
        required=True,
        default="to_send",
        tracking=True,
        index=True,
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("case_ids")
    def _compute_letter_count(self):
        for batch in self:
            batch.letter_count = len(batch.case_ids)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_mark_sent(self):
        """The letters are printed and posted: close the collector's activity."""
        self.filtered(lambda b: b.state == "to_send")._write_decision({"state": "sent"})
        self.activity_ids.action_feedback(feedback=self.env._("Letters posted."))
        return True

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "download",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _create_letter_batches(self, company, today, commit=True):
        """Create one batch per collector (and letter report) of the letters sent and not
        yet in a batch, render its PDF and, with ``commit``, commit it.

        Each batch is created, rendered (wkhtmltopdf, the slow part of the run, kept out of
        deciding and sending) and committed on its own, so a crash or the cron's time limit
        loses no batch already printed and the next run prints the rest.
        """
        notices = self.env["collection.notice"].search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
                ("level_id.channel", "=", "letter"),
                ("case_id", "!=", False),
                ("letter_batch_id", "=", False),
            ]
        )
        owners = {case: case._get_responsible_user() for case in notices.case_id}
        groups = notices.grouped(lambda n: (owners[n.case_id], n.level_id._get_letter_report()))
        for (user, report), user_notices in groups.items():
            vals = self._prepare_batch_vals(user_notices, company, user, report, today)
            # the notices' batch is a decision field: the run records it as the system
            batch = self.sudo().create(vals).sudo(self.env.su)
            batch._render_letters()
            if commit and self.env["ir.cron"]._commit_progress(batch.letter_count) <= 0:
                break  # out of time: the next run prints the rest

    def _render_letters(self):
        """One PDF of the batch's letters, each in its customer's language, attached."""
        report = self.env["ir.actions.report"]
        for batch in self:
            cases = batch.case_ids.sorted(lambda c: (c.partner_id.name or "", c.id))
            # the batch's company prints its letters (layout, paper), whoever runs the cron
            pdf = report.with_company(batch.company_id)._render_qweb_pdf_merged(
                batch.report_id or "credit_collection.action_report_dunning_letter",
                cases,
                lang=lambda case: case.partner_id.lang,
            )
            batch.attachment_id = self.env["ir.attachment"].create(
                {
                    "name": f"{batch.name}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": batch._name,
                    "res_id": batch.id,
                }
            )
            batch.message_post(
                body=self.env._("%(count)s dunning letters to print and post.", count=len(cases)),
                attachment_ids=batch.attachment_id.ids,
            )
            if batch.user_id:
                env = batch.with_context(lang=batch.user_id.lang or self.env.lang).env
                batch.activity_schedule(
                    "credit_collection.mail_activity_type_collection_letter_batch",
                    user_id=batch.user_id.id,
                    summary=env._("Print and post %(count)s dunning letters", count=len(cases)),
                )

    @api.model
    def _prepare_batch_vals(self, notices, company, user, report, today):
        return {
            "name": self.env._(
                "Dunning letters %(date)s %(collector)s",
                date=today,
                collector=user.name or company.name,
            ),
            "date": today,
            "company_id": company.id,
            "user_id": user.id,
            "report_id": report.id,
            "case_ids": [Command.set(notices.case_id.ids)],
            "notice_ids": [Command.set(notices.ids)],
        }
