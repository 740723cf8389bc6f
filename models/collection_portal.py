from datetime import timedelta
from urllib.parse import urlencode

from odoo import Command, api, fields, models
from odoo.addons.payment import utils as payment_utils
from odoo.exceptions import AccessError, UserError

# what a portal customer may say about an invoice, and the ledger result it records
SUBMISSION_RESULTS = {"collection.promise": "promise", "collection.dispute": "dispute"}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class CollectionPortal(models.AbstractModel):
    """What the customer does on Odoo's portal: read its statement and credit, promise to
    pay, dispute an invoice.

    The portal user acts for its commercial partner, and every record it names (an invoice
    id in a URL or a form) is fetched with the portal user's own rights: Odoo's portal rule
    on invoices already keeps them to the user's commercial partner, and this layer checks
    it again. Only after that check does it create the promise or dispute a collector
    would, as superuser (a portal user has no right on collection records) with the
    portal user as author: no superuser ever touches an id the user sent.
    """

    _name = "collection.portal"
    _description = "Collection on the Customer Portal"

    # ------------------------------------------------------------
    # READ: what the customer may see
    # ------------------------------------------------------------

    @api.model
    def _portal_customer(self):
        """The commercial partner the logged-in portal user acts for."""
        if self.env.user._is_public():
            raise AccessError(self.env._("Sign in to see your account."))
        return self.env.user.partner_id.commercial_partner_id

    @api.model
    def _portal_companies(self):
        """The companies that invoiced the customer, as the portal user may read them."""
        groups = self.env["account.move"]._read_group(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("commercial_partner_id", "=", self._portal_customer().id),
            ],
            ["company_id"],
        )
        companies = self.env["res.company"].browse(company.id for (company,) in groups)
        return companies.sudo() or self.env.company.sudo()

    @api.model
    def _portal_company(self, company_id=None):
        """The company of ``company_id`` if it invoiced the customer, else the first one."""
        companies = self._portal_companies()
        if company_id:
            chosen = companies.filtered(lambda c: c.id == company_id)
            if not chosen:
                raise AccessError(self.env._("You have no account with this company."))
            return chosen
        current = companies.filtered(lambda c: c == self.env.company)
        return current or companies[:1]

    @api.model
    def _portal_statement(self, company, date_to, date_from=None):
        """An unsaved statement of the customer (``activity`` when ``date_from``): the
        statement reads receivables past record rules, so it is computed as superuser for
        the customer of the logged-in user only, never for an id the user sent."""
        if date_from and date_from > date_to:
            raise UserError(
                self.env._(
                    "The period starts on %(start)s, after its end %(end)s: choose a start "
                    "date on or before the end date.",
                    start=date_from,
                    end=date_to,
                )
            )
        return (
            self.env["credit.statement.wizard"]
            .sudo()
            .new(
                {
                    "statement_type": "activity" if date_from else "outstanding",
                    "date_from": date_from,
                    "date_to": date_to,
                    "company_id": company.id,
                    "partner_ids": self._portal_customer().ids,
                }
            )
        )

    @api.model
    def _portal_statement_data(self, statement):
        return statement._get_statement_data(self._portal_customer())

    @api.model
    def _portal_statement_file(self, statement, kind):
        """``(content, filename, mimetype)`` of the statement's PDF (in the portal user's
        language) or Excel file."""
        customer = self._portal_customer()
        if kind == "pdf":
            content = (
                self.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf_merged(
                    "credit_collection.action_report_customer_statement",
                    customer,
                    data=statement._get_report_data(),
                    lang=lambda partner: self.env.user.lang,
                )
            )
            mimetype = "application/pdf"
        else:
            content = statement._render_xlsx(customer)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return content, statement._statement_filename(customer, kind), mimetype

    @api.model
    def _portal_credit_info(self, company):
        """Credit limit, available credit and overdue of the customer in ``company``, or
        an empty dict when the company does not show them on the portal."""
        if not company.portal_show_credit_info:
            return {}
        customer = self._portal_customer().sudo().with_company(company)
        exposure = customer._get_credit_exposure(company, overdue_days={customer.id: 0})
        limit = customer._get_credit_policy(company)[customer.id]["effective_limit"]
        total = exposure[customer.id]["total"]
        return {
            "company": company,
            "currency": company.currency_id,
            "limit": limit,
            "available": limit and limit - total,
            "overdue": exposure[customer.id]["overdue"],
        }

    @api.model
    def _portal_next_installments(self, company):
        """The next instalment of each active payment plan of the customer in ``company``,
        with the link that pays it on Odoo's invoice page (its first open invoice, for the
        instalment's amount when both are in the company's currency). Read as superuser for
        the logged-in user's own customer: no id comes from the request."""
        plans = (
            self.env["collection.payment.plan"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self._portal_customer().id),
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                ],
                order="id",
            )
        )
        result = []
        for plan in plans:
            installment = plan.installment_ids.filtered(
                lambda i: i.currency_id.compare_amounts(i.amount_paid, i.amount) < 0
            ).sorted("date")[:1]
            invoice = plan.move_ids.filtered(
                lambda m: not m.currency_id.is_zero(m.amount_residual)
            ).sorted("invoice_date_due")[:1]
            if not installment or not invoice:
                continue
            amount = installment.currency_id.round(installment.amount - installment.amount_paid)
            url = f"/my/invoices/{invoice.id}"
            if invoice.currency_id == installment.currency_id:
                amount_text = str(amount)
                token = payment_utils.generate_access_token(invoice.id, amount_text, env=self.env)
                url += "?" + urlencode({"amount": amount_text, "payment_token": token})
            result.append(
                {
                    "date": installment.date,
                    "amount": amount,
                    "currency": installment.currency_id,
                    "invoice": invoice.name,
                    "url": url,
                }
            )
        return result

    @api.model
    def _portal_open_invoice(self, invoice_id):
        """The customer's open posted invoice ``invoice_id``, read with the portal user's
        rights; anything else raises AccessError (the controller answers 403/404)."""
        invoice = self.env["account.move"].browse(int(invoice_id)).exists()
        if not invoice:
            raise AccessError(self.env._("This invoice does not exist or is not yours."))
        invoice.check_access("read")
        if (
            invoice.commercial_partner_id != self._portal_customer()
            or invoice.move_type != "out_invoice"
            or invoice.state != "posted"
        ):
            raise AccessError(self.env._("This invoice does not exist or is not yours."))
        if invoice.currency_id.is_zero(invoice.amount_residual):
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s is paid: nothing is open on it.", invoice=invoice.name
                )
            )
        return invoice

    @api.model
    def _portal_promises_disputes(self):
        """The customer's promises and disputes, read with the portal user's rights."""
        return (
            self.env["collection.promise"].search([], limit=50),
            self.env["collection.dispute"].search([], limit=50),
        )

    # ------------------------------------------------------------
    # WRITE: the one way a portal user creates collection records
    # ------------------------------------------------------------

    @api.model
    def _portal_submit_promise(self, invoice_id, date_promised, amount):
        """Promise to pay ``amount`` (in the invoice's currency) of an overdue invoice by
        ``date_promised``, within the company's rules; the collector is told."""
        invoice = self._portal_open_invoice(invoice_id)
        company = invoice.company_id.sudo()
        self._portal_check_rate(company)
        today = fields.Date.context_today(self)
        if invoice.invoice_date_due and invoice.invoice_date_due >= today:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s is not overdue yet: it is due on %(date)s.",
                    invoice=invoice.name,
                    date=invoice.invoice_date_due,
                )
            )
        date_promised = self._portal_check_promise_date(company, date_promised)
        self._portal_check_promise_amount(
            company, invoice.currency_id, amount, invoice.amount_residual, invoice.name
        )
        # the invoice's currency, converted at the invoice's own open ratio
        amount_company = invoice.company_currency_id.round(
            amount * invoice.amount_residual_signed / invoice.amount_residual
        )
        words = invoice.currency_id.format(amount)
        return self._portal_create_promise(invoice, date_promised, amount_company, words)

    @api.model
    def _portal_submit_statement_promise(self, company_id, date_promised, amount):
        """Promise to pay ``amount`` (in the company's currency) of everything overdue with
        the company by ``date_promised``: it covers every overdue invoice of the customer."""
        company = self._portal_company(company_id)
        invoices = self._portal_overdue_invoices(company)
        if not invoices:
            raise UserError(
                self.env._(
                    "Nothing is overdue on your account with %(company)s: there is nothing to "
                    "promise.",
                    company=company.name,
                )
            )
        self._portal_check_rate(company)
        date_promised = self._portal_check_promise_date(company, date_promised)
        overdue = sum(invoices.mapped("amount_residual_signed"))
        self._portal_check_promise_amount(
            company, company.currency_id, amount, overdue, self.env._("your overdue invoices")
        )
        words = company.currency_id.format(amount)
        return self._portal_create_promise(invoices, date_promised, amount, words)

    @api.model
    def _portal_overdue_invoices(self, company):
        """The customer's overdue open invoices in ``company``, read with the user's rights."""
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self._portal_customer().id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0.0),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
            ],
            order="invoice_date_due, id",
        )

    @api.model
    def _portal_create_promise(self, invoices, date_promised, amount_company, words):
        """The promise a collector would log, on invoices already checked."""
        case = self._portal_case(invoices[0])
        self._portal_log(case, "promise", ", ".join(invoices.mapped("name")), words)
        promise = (
            self.env["collection.promise"]
            .sudo()
            .with_company(case.company_id)
            .create(
                {
                    "case_id": case.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "date_promised": date_promised,
                    "amount": amount_company,
                }
            )
        )
        self._portal_notify(case, promise)
        return promise.sudo(False)

    @api.model
    def _portal_submit_dispute(self, invoice_id, reason, amount, description="", attachment=None):
        """Dispute ``amount`` of an open invoice for ``reason``; ``attachment`` is a
        ``(filename, bytes)`` pair. The invoice leaves dunning until the dispute ends."""
        invoice = self._portal_open_invoice(invoice_id)
        self._portal_check_rate(invoice.company_id)
        reasons = dict(
            self.env["collection.dispute"]._fields["reason"]._description_selection(self.env)
        )
        if reason not in reasons:
            raise UserError(self.env._("Choose the reason of the dispute from the list."))
        self._portal_check_amount(
            invoice.currency_id, amount, invoice.amount_residual, invoice.name
        )
        if attachment and len(attachment[1]) > ATTACHMENT_MAX_BYTES:
            raise UserError(
                self.env._("The attached file is larger than 10 MB: send a smaller one.")
            )
        case = self._portal_case(invoice)
        self._portal_log(
            case, "dispute", invoice.name, invoice.currency_id.format(amount), description
        )
        dispute = (
            self.env["collection.dispute"]
            .sudo()
            .with_company(invoice.company_id)
            .create(
                {
                    "case_id": case.id,
                    "move_id": invoice.id,
                    "amount": amount,
                    "reason": reason,
                    "description": description or False,
                    "user_id": case._get_responsible_user().id or False,
                }
            )
        )
        if attachment:
            self._portal_attach(dispute, *attachment)
        self._portal_notify(case, dispute)
        return dispute.sudo(False)

    # ------------------------------------------------------------
    # CHECKS
    # ------------------------------------------------------------

    @api.model
    def _portal_check_rate(self, company):
        """At most the company's number of promises and disputes per user and hour."""
        limit = company.sudo().portal_submissions_per_hour
        since = fields.Datetime.now() - timedelta(hours=1)
        domain = [("create_uid", "=", self.env.uid), ("create_date", ">=", since)]
        sent = sum(self.env[model].sudo().search_count(domain) for model in SUBMISSION_RESULTS)
        if sent >= limit:
            raise UserError(
                self.env._(
                    "You have sent %(count)s promises and disputes in the last hour, the most "
                    "we accept: please try again later or contact us.",
                    count=sent,
                )
            )

    @api.model
    def _portal_check_amount(self, currency, amount, open_amount, name):
        """More than nothing, at most what is open on ``name`` (an invoice, or all)."""
        if currency.compare_amounts(amount, 0.0) <= 0:
            raise UserError(self.env._("Enter an amount greater than zero."))
        if currency.compare_amounts(amount, open_amount) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than what is open on %(invoice)s (%(open)s): enter at "
                    "most the open amount.",
                    amount=currency.format(amount),
                    invoice=name,
                    open=currency.format(open_amount),
                )
            )

    @api.model
    def _portal_check_promise_date(self, company, date_promised):
        """From today, within the company's promise horizon; returns the date."""
        today = fields.Date.context_today(self)
        try:
            date_promised = fields.Date.to_date(date_promised)
        except ValueError:
            date_promised = None
        if not date_promised or date_promised < today:
            raise UserError(self.env._("Choose a payment date from today on."))
        horizon = today + timedelta(days=company.collection_promise_max_days)
        if date_promised > horizon:
            raise UserError(
                self.env._(
                    "A promise to pay is at most %(days)s days ahead (by %(date)s); for longer, "
                    "please contact us about a payment plan.",
                    days=company.collection_promise_max_days,
                    date=horizon,
                )
            )
        return date_promised

    @api.model
    def _portal_check_promise_amount(self, company, currency, amount, overdue, name):
        """At most what is overdue, at least the company's minimum share of it."""
        self._portal_check_amount(currency, amount, overdue, name)
        minimum = currency.round(overdue * company.portal_promise_min_percent / 100.0)
        if currency.compare_amounts(amount, minimum) < 0:
            raise UserError(
                self.env._(
                    "A promise covers at least %(percent)s%% of what is overdue on %(invoice)s: "
                    "enter at least %(minimum)s.",
                    percent=company.portal_promise_min_percent,
                    invoice=name,
                    minimum=currency.format(minimum),
                )
            )

    # ------------------------------------------------------------
    # TOOLING (on records already checked)
    # ------------------------------------------------------------

    @api.model
    def _portal_case(self, invoice):
        """The open collection case of the invoice's customer and company (opened if none)."""
        cases = (
            self.env["collection.case"]
            .sudo()
            .with_company(invoice.company_id)
            ._get_or_open_cases(invoice.commercial_partner_id, invoice.company_id)
        )
        return cases[invoice.commercial_partner_id]

    @api.model
    def _portal_log(self, case, result, invoices, amount, words=""):
        """The collection ledger's entry: what the customer said, through the portal
        (``invoices`` and ``amount`` as text)."""
        self.env["collection.log"].sudo().create(
            {
                "case_id": case.id,
                "user_id": False,
                "channel": "other",
                "result": result,
                "contact_name": self.env.user.name,
                "customer_words": self.env._(
                    "Through the customer portal: %(invoice)s, %(amount)s. %(words)s",
                    invoice=invoices,
                    amount=amount,
                    words=words or "",
                ).strip(),
            }
        )

    @api.model
    def _portal_notify(self, case, record):
        """A to-do for whoever works the case, in their language."""
        summaries = {
            "collection.promise": lambda env: env._(
                "The customer promised on the portal: %(promise)s", promise=record.display_name
            ),
            "collection.dispute": lambda env: env._(
                "The customer disputed on the portal: %(dispute)s", dispute=record.display_name
            ),
        }
        case._schedule_for_responsible(
            self.env.ref("mail.mail_activity_data_todo"), summaries[record._name]
        )

    @api.model
    def _portal_attach(self, dispute, filename, content):
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename or "attachment",
                    "raw": content,
                    "res_model": dispute._name,
                    "res_id": dispute.id,
                }
            )
        )
        dispute.message_post(
            body=self.env._("Document sent by the customer."), attachment_ids=attachment.ids
        )
