import logging
import os

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)


class LetterNotStored(Exception):
    """The PDF of a letter batch did not reach the filestore (disk full, filestore
    unwritable): the batch is not recorded and its letters wait for the next run."""


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
        yet in a batch, render its PDF and, with ``commit``, commit it; return the number of
        letters left unprinted because their PDF could not be stored.

        Each batch is created, rendered (wkhtmltopdf, the slow part of the run, kept out of
        deciding and sending) and committed on its own, so a crash or the cron's time limit
        loses no batch already printed and the next run prints the rest. A batch whose PDF
        the filestore refused (a full disk) is rolled back whole: a batch without its PDF
        would count its letters as printed when nobody can print them.
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
        for index, ((user, report), user_notices) in enumerate(groups.items()):
            vals = self._prepare_batch_vals(user_notices, company, user, report, today)
            try:
                with self.env.cr.savepoint():
                    # the notices' batch is a decision field: the run records it as the system
                    batch = self.sudo().create(vals).sudo(self.env.su)
                    batch._render_letters()
            except (OSError, LetterNotStored) as error:
                # the filestore is full or unwritable: the next batches would fail the same
                left = sum(len(n.case_id) for n in list(groups.values())[index:])
                self._log_letters_not_stored(company, vals["name"], left, error)
                return left
            _logger.info(
                "Dunning letters of %s: batch %s printed, %s letters (attachment %s)",
                company.name,
                batch.id,
                batch.letter_count,
                batch.attachment_id.id,
            )
            if commit and self.env["ir.cron"]._commit_progress(batch.letter_count) <= 0:
                break  # out of time: the next run prints the rest
        return 0

    @api.model
    def _log_letters_not_stored(self, company, name, count, error):
        _logger.error(
            "Dunning letters of %s not printed: the PDF of %r could not be stored in the "
            "filestore %s (%s). The batch was not recorded and its %s letters wait, unprinted, "
            "for the next run of the job 'Collections: finish the dunning run': free space "
            "in the filestore (or make it writable); nothing is sent twice.",
            company.name,
            name,
            self.env["ir.attachment"]._filestore(),
            error,
            count,
        )

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
            batch.attachment_id = batch._store_pdf(pdf)
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

    def _store_pdf(self, pdf):
        """The batch's PDF as an attachment whose file is really in the filestore.

        Odoo writes the file after inserting the attachment's row; a storage that logs a
        failed write instead of raising it (as some versions and overrides of
        ``ir.attachment._file_write`` do) would leave a row pointing to no file, so the
        file is read back here. A partial file left by a failed write is removed: named
        after the PDF's checksum, it would otherwise be taken for a collision when the
        next run stores the same PDF."""
        self.ensure_one()
        attachments = self.env["ir.attachment"]
        checksum = attachments._compute_checksum(pdf)
        try:
            attachment = attachments.create(
                {
                    "name": f"{self.name}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        except OSError:
            self._remove_partial_file(checksum, len(pdf))
            raise
        fname = attachment.sudo().store_fname
        if fname and attachments._file_read(fname) != pdf:
            self._remove_partial_file(checksum, len(pdf))
            raise LetterNotStored(f"{fname} missing or incomplete after writing")
        return attachment

    def _remove_partial_file(self, checksum, size):
        path = self.env["ir.attachment"]._full_path(f"{checksum[:2]}/{checksum}")
        try:
            if os.path.getsize(path) != size:
                os.unlink(path)
        except OSError:
            pass  # no file, or nothing to be done about it until the disk has room

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
