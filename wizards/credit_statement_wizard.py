import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import aging_buckets, xlsx_formats

STATEMENT_REPORT = "credit_collection.action_report_customer_statement"
STATEMENT_TEMPLATE = "credit_collection.mail_template_customer_statement"


class CreditStatementWizard(models.TransientModel):
    """Customer statements (对账单): outstanding items or account activity, for many customers.

    Numbers come from ``credit.receivable.query`` (open items, aging, ledger balances) so that a
    statement agrees with the aging report. PDFs are rendered one customer per wkhtmltopdf
    call and merged: Odoo refuses several documents in one call when wkhtmltopdf lacks the
    patched Qt (Debian's build), and one document per call works with either build.
    """

    _name = "credit.statement.wizard"
    _description = "Customer Statement"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    statement_type = fields.Selection(
        [("outstanding", "Outstanding items"), ("activity", "Account activity")],
        required=True,
        default="outstanding",
    )
    date_from = fields.Date(
        string="From",
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        default=lambda self: self._default_partner_ids(),
    )
    show_balance_confirmation = fields.Boolean(
        string="Balance Confirmation",
        help="Add a section the customer signs and returns to confirm the balance (对账确认).",
    )
    show_overdue_notice = fields.Boolean(string="Overdue Notice")
    overdue_notice = fields.Text(
        string="Notice Text",
        translate=False,
        default=lambda self: self.env._(
            "Some items on your account are overdue. Please arrange payment at your earliest "
            "convenience or contact us if you believe this statement is incorrect."
        ),
    )

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") != "res.partner":
            return []
        partners = self.env["res.partner"].browse(self.env.context.get("active_ids", []))
        return partners.commercial_partner_id.ids

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("statement_type", "date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.statement_type != "activity":
                continue
            if not wizard.date_from or wizard.date_from > wizard.date_to:
                raise UserError(
                    self.env._(
                        "An activity statement needs a start date on or before its end date "
                        "(%(date_to)s).",
                        date_to=wizard.date_to,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print_pdf(self):
        self.ensure_one()
        return self._download(self._render_pdf(self._customers()), "pdf", "application/pdf")

    def action_export_xlsx(self):
        self.ensure_one()
        return self._download(
            self._render_xlsx(self._customers()), "xlsx", xlsx_formats.XLSX_MIMETYPE
        )

    def action_send_email(self):
        """Queue one email per customer, statement PDF attached, logged in its chatter."""
        self.ensure_one()
        template = self.env.ref(STATEMENT_TEMPLATE)
        customers = self._customers()
        missing = customers.filtered(lambda partner: not partner.email)
        if missing:
            raise UserError(
                self.env._(
                    "Add an email address to %(customers)s before sending statements.",
                    customers=", ".join(missing.mapped("display_name")),
                )
            )
        sender = self.env.user.partner_id
        # in the statement's company: the template's sender, the reply-to and the
        # letterhead are those of the company whose statement it is
        template = template.with_company(self.company_id)
        for partner in customers:
            attachment = self._statement_attachment(partner)
            # Posting in a customer's chatter asks for the right to edit customers, which
            # accountants and collectors need not have: the wizard's group is the check, the
            # post runs as superuser and the user stays its author. Given an author, the
            # composer no longer renders the template's sender: it is rendered here.
            partner.sudo().with_company(self.company_id).with_context(
                mail_notify_force_send=False
            ).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                attachment_ids=attachment.ids,
                partner_ids=partner.ids,
                author_id=sender.id,
                email_from=template._render_field("email_from", partner.ids)[partner.id],
            )
        return {"type": "ir.actions.act_window_close"}

    def action_request_balance_confirmation(self):
        """One balance confirmation request (对账确认) per customer as of the statement
        date, emailed with its portal link; opens the requests made."""
        self.ensure_one()
        confirmations = self.env["credit.balance.confirmation"]
        confirmations._check_may_send()
        customers = self._customers()
        confirmations._check_customer_emails(customers)
        requests = confirmations._create_requests(customers, self.company_id, self.date_to)
        requests.action_send()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.action_credit_balance_confirmation"
        )
        action["domain"] = [("id", "in", requests.ids)]
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _customers(self):
        customers = self.partner_ids.commercial_partner_id
        if not customers:
            raise UserError(self.env._("Choose at least one customer for the statement."))
        return customers

    def _get_statement_data(self, partner):
        """Everything one statement prints, in company currency."""
        return self._get_statements_data(partner)[partner.id]

    def _get_statements_data(self, partners):
        """``{partner id: statement data}``: a constant number of queries for any number of
        customers (a batch of statements must not run a query per customer)."""
        self.ensure_one()
        query = self.env["credit.receivable.query"]
        company_ids = self.company_id.ids
        limits = aging_buckets.default_limits(self.env)
        empty = [0.0] * (len(limits) + 1)
        totals = query._get_bucket_totals(
            self.date_to, company_ids, limits=limits, partner_ids=partners.ids
        )
        if self.statement_type == "outstanding":
            lines = self._outstanding_lines(partners, limits)
        else:
            lines = self._activity_lines(partners)
        labels = aging_buckets.translated_labels(self.env, limits)
        statements = {}
        for partner in partners:
            buckets = totals.get((partner.id, self.company_id.id), empty)
            statements[partner.id] = {
                "partner": partner,
                "company": self.company_id,
                "currency": self.company_id.currency_id,
                "wizard": self,
                "aging_labels": labels,
                "aging": buckets,
                "total_due": sum(buckets),
                "overdue": sum(buckets[1:]),
                **lines[partner.id],
            }
        return statements

    def _outstanding_lines(self, partners, limits):
        """``{partner id: {"lines": [open item]}}`` through the aging query layer."""
        items = self.env["credit.receivable.query"]._get_open_items(
            self.date_to, self.company_id.ids, limits=limits, partner_ids=partners.ids
        )
        move_lines = self.env["account.move.line"].browse([item["move_line_id"] for item in items])
        move_lines.mapped("move_id.name")  # one read for every line of every customer
        result = {partner.id: {"lines": []} for partner in partners}
        for item, move_line in zip(items, move_lines, strict=True):
            result[item["partner_id"]]["lines"].append(
                {
                    "date": item["date"],
                    "date_maturity": item["date_maturity"],
                    "reference": move_line.move_id.name,
                    "move": move_line.move_id,
                    "kind": self._kind(move_line.move_id),
                    "days_overdue": max(item["days_overdue"], 0),
                    "currency": move_line.currency_id,
                    "amount_currency": float(item["amount_residual_currency"]),
                    "amount": float(item["amount_residual"]),
                }
            )
        return result

    def _activity_lines(self, partners):
        """``{partner id: {"lines", "opening", "closing"}}``: opening balance, every posted
        receivable movement of the period with a running balance, closing balance."""
        query = self.env["credit.receivable.query"]
        company_ids = self.company_id.ids
        opening = query._get_receivable_balances(
            self.date_from - timedelta(days=1), company_ids, partners.ids
        )
        move_lines = self.env["account.move.line"].search(
            [
                *query._receivable_domain(),
                ("partner_id", "in", partners.ids),
                ("company_id", "in", company_ids),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            order="partner_id, date, move_id, id",
        )
        result = {}
        for partner in partners:
            balance = opening.get(partner, 0.0)
            result[partner.id] = {"lines": [], "opening": balance, "closing": balance}
        for move_line in move_lines:
            statement = result[move_line.partner_id.id]
            statement["closing"] += move_line.balance
            statement["lines"].append(
                {
                    "date": move_line.date,
                    "date_maturity": move_line.date_maturity,
                    "reference": move_line.move_id.name,
                    "move": move_line.move_id,
                    "kind": self._kind(move_line.move_id),
                    "currency": move_line.currency_id,
                    "amount_currency": move_line.amount_currency,
                    "debit": move_line.debit,
                    "credit": move_line.credit,
                    "balance": statement["closing"],
                }
            )
        return result

    def _kind(self, move):
        if move.move_type == "out_invoice":
            return self.env._("Invoice")
        if move.move_type == "out_refund":
            return self.env._("Credit Note")
        if move.origin_payment_id or move.statement_line_id:
            return self.env._("Payment")
        return self.env._("Journal Entry")

    # ------------------------------------------------------------
    # RENDERING
    # ------------------------------------------------------------

    def _render_statement_pdf(self, partner):
        """One customer's statement, in the customer's language."""
        return self._render_pdf(partner)

    def _render_pdf(self, partners):
        """Many statements as one PDF, each in its customer's language."""
        return self.env["ir.actions.report"]._render_qweb_pdf_merged(
            STATEMENT_REPORT,
            partners,
            data=self._get_report_data(),
            lang=lambda partner: partner.lang,
        )

    def _get_report_data(self):
        """The wizard's options as the statement report reads them (JSON-safe values)."""
        self.ensure_one()
        return {
            "statement_type": self.statement_type,
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
            "show_balance_confirmation": self.show_balance_confirmation,
            "show_overdue_notice": self.show_overdue_notice,
            "overdue_notice": self.overdue_notice or "",
        }

    def _statement_attachment(self, partner):
        """The statement PDF as a composer attachment, as Odoo's mail composer makes them:
        posting moves it onto the customer. Attaching it to the customer directly would ask
        for the right to edit customers, which accountants and collectors need not have."""
        return self.env["ir.attachment"].create(
            {
                "name": self._statement_filename(partner, "pdf"),
                "raw": self._render_statement_pdf(partner),
                "res_model": "mail.compose.message",
                "res_id": 0,
                "mimetype": "application/pdf",
            }
        )

    def _statement_filename(self, partner, extension):
        label = self.env._("Statement")
        name = re.sub(r"[^\w\- ]+", "", partner.display_name or "")[:60]
        return f"{label} {name} {self.date_to}.{extension}"

    def _download(self, content, extension, mimetype):
        partners = self._customers()
        name = (
            self._statement_filename(partners, extension)
            if len(partners) == 1
            else f"{self.env._('Statements')} {self.date_to}.{extension}"
        )
        return xlsx_formats.download_action(self, name, content, mimetype)

    def _render_xlsx(self, partners):
        """One sheet per customer with the statement lines, a frozen header and totals."""
        statements = self._get_statements_data(partners)

        def fill(workbook, formats):
            for partner in partners:
                sheet_name = re.sub(r"[\[\]:*?/\\]", "", partner.display_name or "")[:25]
                sheet = workbook.add_worksheet(f"{sheet_name} {partner.id}"[:31])
                self._xlsx_statement_sheet(sheet, formats, statements[partner.id])

        return xlsx_formats.workbook_bytes(fill)

    def _xlsx_statement_sheet(self, sheet, formats, data):
        activity = self.statement_type == "activity"
        sheet.write(0, 0, data["partner"].display_name, formats["title"])
        sheet.write(1, 0, self.env._("As of"), formats["text"])
        xlsx_formats.write_date(sheet, 1, 1, self.date_to, formats)
        headers = [
            self.env._("Date"),
            self.env._("Reference"),
            self.env._("Type"),
            self.env._("Due Date"),
            self.env._("Amount in Currency"),
            self.env._("Currency"),
        ]
        headers += (
            [self.env._("Debit"), self.env._("Credit"), self.env._("Balance")]
            if activity
            else [self.env._("Open Amount")]
        )
        sheet.write_row(3, 0, headers, formats["header"])
        sheet.freeze_panes(4, 0)
        sheet.set_column(0, len(headers), 16)
        row = 4
        if activity:
            sheet.write(row, 1, self.env._("Opening Balance"), formats["total_text"])
            sheet.write_number(row, 8, data["opening"], formats["total_money"])
            row += 1
        for line in data["lines"]:
            self._xlsx_statement_row(sheet, formats, row, line, activity=activity)
            row += 1
        if activity:
            sheet.write(row, 1, self.env._("Closing Balance"), formats["total_text"])
            sheet.write_number(row, 8, data["closing"], formats["total_money"])
        else:
            sheet.write(row, 1, self.env._("Total"), formats["total_text"])
            sheet.write_number(row, 6, data["total_due"], formats["total_money"])

    @api.model
    def _xlsx_statement_row(self, sheet, formats, row, line, *, activity):
        xlsx_formats.write_date(sheet, row, 0, line["date"], formats)
        sheet.write(row, 1, line["reference"] or "", formats["text"])
        sheet.write(row, 2, line["kind"], formats["text"])
        xlsx_formats.write_date(sheet, row, 3, line["date_maturity"], formats)
        sheet.write_number(row, 4, line["amount_currency"], formats["money"])
        sheet.write(row, 5, line["currency"].name, formats["text"])
        if activity:
            sheet.write_row(
                row, 6, [line["debit"], line["credit"], line["balance"]], formats["money"]
            )
        else:
            sheet.write_number(row, 6, line["amount"], formats["money"])
