from odoo import fields
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request, route


class CollectionCustomerPortal(CustomerPortal):
    """The customer's side of collection: statement, credit, promises and disputes.

    Thin routes over ``collection.portal``, which holds every check: the request's
    environment is the portal user's, ids from the URL are read with its rights, and
    no route calls ``sudo()``.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the home page itself, not the badges' JSON counters
            portal = request.env["collection.portal"]
            values["credit_portal_info"] = portal._portal_credit_info(portal._portal_company())
        return values

    # ------------------------------------------------------------
    # STATEMENT
    # ------------------------------------------------------------

    @route("/my/statement", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_statement(self, company_id=None, date_to=None, date_from=None, **kw):
        portal = request.env["collection.portal"]
        error = None
        try:
            statement = self._portal_statement(company_id, date_to, date_from)
        except AccessError:
            raise
        except (UserError, ValueError) as exc:
            error = exc.args[0] if isinstance(exc, UserError) else request.env._("Invalid date.")
            statement = portal._portal_statement(portal._portal_company(), self._today())
        promises, disputes = portal._portal_promises_disputes()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "statement",
                "error": error,
                "statement": statement,
                "data": portal._portal_statement_data(statement),
                "companies": portal._portal_companies(),
                "promises": promises,
                "disputes": disputes,
                "today": self._today(),
                "credit_portal_info": portal._portal_credit_info(statement.company_id),
                "installments": portal._portal_next_installments(statement.company_id),
                "query": self._statement_query(statement),
            }
        )
        return request.render("credit_collection.portal_my_statement", values)

    @route(
        "/my/statement/download/<string:kind>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_statement_download(
        self, kind, company_id=None, date_to=None, date_from=None, **kw
    ):
        if kind not in ("pdf", "xlsx"):
            return request.not_found()
        statement = self._portal_statement(company_id, date_to, date_from)
        content, filename, mimetype = request.env["collection.portal"]._portal_statement_file(
            statement, kind
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    # ------------------------------------------------------------
    # PROMISE AND DISPUTE
    # ------------------------------------------------------------

    @route(
        "/my/statement/promise/<int:invoice_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_promise(self, invoice_id, date_promised=None, amount=None, **kw):
        portal = request.env["collection.portal"]
        invoice = portal._portal_open_invoice(invoice_id)
        error, done = self._submit(
            lambda: portal._portal_submit_promise(invoice.id, date_promised, self._amount(amount)),
            "promise",
        )
        if done:
            return done
        return self._render_form(
            "credit_collection.portal_promise_form",
            invoice,
            error,
            {"date_promised": date_promised, "amount": amount},
        )

    @route("/my/statement/promise", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_statement_promise(self, company_id=None, date_promised=None, amount=None, **kw):
        """A promise on the statement: everything overdue with the company."""
        portal = request.env["collection.portal"]
        company = portal._portal_company(int(company_id) if company_id else None)
        invoices = portal._portal_overdue_invoices(company)
        error, done = self._submit(
            lambda: portal._portal_submit_statement_promise(
                company.id, date_promised, self._amount(amount)
            ),
            "promise",
        )
        if done:
            return done
        overdue = sum(invoices.mapped("amount_residual_signed"))
        return self._render_form(
            "credit_collection.portal_statement_promise_form",
            request.env["account.move"],
            error,
            {
                "company": company,
                "overdue_invoices": invoices,
                "overdue": overdue,
                "date_promised": date_promised,
                "amount": amount,
            },
        )

    @route(
        "/my/statement/dispute/<int:invoice_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_dispute(self, invoice_id, reason=None, amount=None, description=None, **kw):
        portal = request.env["collection.portal"]
        invoice = portal._portal_open_invoice(invoice_id)
        upload = request.httprequest.files.get("attachment")
        attachment = (upload.filename, upload.read()) if upload and upload.filename else None
        error, done = self._submit(
            lambda: portal._portal_submit_dispute(
                invoice.id, reason, self._amount(amount), description or "", attachment
            ),
            "dispute",
        )
        if done:
            return done
        dispute_model = request.env["collection.dispute"]
        return self._render_form(
            "credit_collection.portal_dispute_form",
            invoice,
            error,
            {
                "reason": reason,
                "amount": amount,
                "description": description,
                "reasons": dispute_model._fields["reason"]._description_selection(request.env),
            },
        )

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _today(self):
        return fields.Date.context_today(request.env.user)

    def _portal_statement(self, company_id, date_to, date_from):
        portal = request.env["collection.portal"]
        company = portal._portal_company(int(company_id) if company_id else None)
        date_to = fields.Date.to_date(date_to) if date_to else self._today()
        date_from = fields.Date.to_date(date_from) if date_from else None
        return portal._portal_statement(company, date_to, date_from)

    def _statement_query(self, statement):
        query = {"company_id": statement.company_id.id, "date_to": statement.date_to}
        if statement.statement_type == "activity":
            query["date_from"] = statement.date_from
        return "&".join(f"{key}={value}" for key, value in query.items())

    def _submit(self, submit, submitted):
        """``(error, response)`` of a portal form: on POST, ``submit()``; a refusal
        (``UserError``: nothing was recorded) comes back as the form's message, a success
        as the redirect to the statement. An ``AccessError`` (a ``UserError`` too) is not a
        message to show but a 403: it goes through."""
        if request.httprequest.method != "POST":
            return None, None
        try:
            submit()
        except AccessError:
            raise
        except UserError as exc:
            return exc.args[0], None
        return None, request.redirect(f"/my/statement?submitted={submitted}")

    def _amount(self, amount):
        try:
            return float(amount)
        except (TypeError, ValueError):
            raise UserError(request.env._("Enter the amount as a number, e.g. 1250.00.")) from None

    def _render_form(self, template, invoice, error, values):
        layout = self._prepare_portal_layout_values()
        layout.update(
            {
                "page_name": "statement",
                "open_invoice": invoice,
                "error": error,
                "today": self._today(),
                **values,
            }
        )
        return request.render(template, layout)
