from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

MODEL = "credit.balance.confirmation"
PAGE_SIZE = 20


class BalanceConfirmationPortal(CustomerPortal):
    """The customer's side of a balance confirmation (对账确认): its requests, each with
    the balance and open items, and a one-shot confirm or contest.

    Requests are read with the portal user's rights (the record rules keep them to the
    user's commercial partner) or, from an email link, with the request's access token,
    as Odoo's portal does for invoices and orders (``_document_check_access``).
    """

    # ------------------------------------------------------------
    # HOME AND LIST
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "balance_confirmation_count" in counters:
            confirmations = request.env[MODEL]
            values["balance_confirmation_count"] = (
                confirmations.search_count(confirmations._portal_domain())
                if confirmations.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/balance_confirmations", "/my/balance_confirmations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_balance_confirmations(self, page=1, **kw):
        confirmations = request.env[MODEL]
        values = self._prepare_portal_layout_values()
        if not confirmations.has_access("read"):
            return request.redirect("/my")
        domain = confirmations._portal_domain()
        pager = portal_pager(
            url="/my/balance_confirmations",
            total=confirmations.search_count(domain),
            page=page,
            step=PAGE_SIZE,
        )
        requests = confirmations.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        request.session["my_balance_confirmations_history"] = requests.ids[:100]
        values.update(
            {
                "confirmations": requests,
                "page_name": "balance_confirmation",
                "pager": pager,
                "default_url": "/my/balance_confirmations",
            }
        )
        return request.render("credit_collection.portal_my_balance_confirmations", values)

    # ------------------------------------------------------------
    # ONE REQUEST
    # ------------------------------------------------------------

    @http.route(
        ["/my/balance_confirmation/<int:confirmation_id>"], type="http", auth="public", website=True
    )
    def portal_balance_confirmation(self, confirmation_id, access_token=None, **kw):
        try:
            confirmation_sudo = self._document_check_access(MODEL, confirmation_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._render_confirmation(confirmation_sudo, access_token, **kw)

    @http.route(
        ["/my/balance_confirmation/<int:confirmation_id>/answer"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_balance_confirmation_answer(
        self, confirmation_id, access_token=None, answer=None, amount=None, comment=None, **kw
    ):
        """Confirm or contest; the answer is recorded once, with who, when and from where."""
        try:
            confirmation_sudo = self._document_check_access(MODEL, confirmation_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        user = request.env.user
        partner = user.partner_id if not user._is_public() else confirmation_sudo.partner_id
        try:
            confirmation_sudo._portal_answer(
                answer,
                partner=partner,
                user=user,
                ip=request.httprequest.remote_addr,
                amount=amount,
                comment=comment,
            )
        except UserError as error:
            return self._render_confirmation(
                confirmation_sudo,
                access_token,
                error=error.args[0],
                amount=amount,
                comment=comment,
            )
        return request.redirect(confirmation_sudo.get_portal_url(query_string="&answered=1"))

    def _render_confirmation(self, confirmation_sudo, access_token, error=None, **kw):
        values = {
            "confirmation": confirmation_sudo,
            "statement": confirmation_sudo._get_portal_statement(),
            "currency_balances": confirmation_sudo._get_currency_balances(),
            "page_name": "balance_confirmation",
            "error": error,
            "answered": kw.get("answered"),
            "amount": kw.get("amount") or "",
            "comment": kw.get("comment") or "",
        }
        values = self._get_page_view_values(
            confirmation_sudo,
            access_token,
            values,
            "my_balance_confirmations_history",
            False,
        )
        return request.render("credit_collection.portal_balance_confirmation_page", values)
