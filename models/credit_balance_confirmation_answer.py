import math

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, format_date, format_datetime

# an amount a customer types: more than this is a typing error, not a balance
MAX_AMOUNT = 1e12
MAX_COMMENT = 2000


class CollectionLog(models.Model):
    """The customer's own answers land in the collection ledger as contacts."""

    _inherit = "collection.log"

    channel = fields.Selection(
        selection_add=[("portal", "Customer Portal")], ondelete={"portal": "set default"}
    )
    result = fields.Selection(
        selection_add=[
            ("balance_confirmed", "Balance Confirmed"),
            ("balance_contested", "Balance Contested"),
        ],
        ondelete={"balance_confirmed": "set default", "balance_contested": "set default"},
    )


class CreditBalanceConfirmation(models.Model):
    """The customer's answer: confirmed or contested once, recorded everywhere it counts."""

    _inherit = "credit.balance.confirmation"

    # ------------------------------------------------------------
    # ANSWER (called by the portal controller once it checked the access)
    # ------------------------------------------------------------

    def _portal_answer(self, answer, *, partner, user, ip, amount=None, comment=None):
        """Record the customer's answer (``"confirmed"`` or ``"contested"``) with who gave
        it, when and from where; then tell the request's chatter, the customer's, the open
        collection case's ledger and, when contested, the accountant.

        One answer per request: a second one is refused and nothing is recorded. Two
        answers at the same time both write the request's row, so PostgreSQL lets one
        through and Odoo retries the other, which then finds the first answer.
        """
        self.ensure_one()
        self._check_answerable()
        vals = self._prepare_answer_vals(
            answer, partner=partner, user=user, ip=ip, amount=amount, comment=comment
        )
        self._write_decision(vals)
        self._record_answer()
        return True

    def _check_answerable(self):
        self.ensure_one()
        if self.state in ("confirmed", "contested"):
            answers = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "This balance confirmation was already answered (%(answer)s) on %(date)s. "
                    "A request is answered once; if something changed, please contact "
                    "%(company)s.",
                    answer=answers[self.state],
                    date=format_datetime(self.env, self.answer_date),
                    company=self.company_id.name,
                )
            )
        if self.state != "sent":
            raise UserError(
                self.env._(
                    "This balance confirmation request was withdrawn by %(company)s and "
                    "takes no answer.",
                    company=self.company_id.name,
                )
            )

    def _prepare_answer_vals(self, answer, *, partner, user, ip, amount, comment):
        if answer not in ("confirmed", "contested"):
            raise UserError(self.env._("Confirm the balance or contest it."))
        vals = {
            "state": answer,
            "answer_date": fields.Datetime.now(),
            "answer_partner_id": partner.id,
            "answer_user_id": user.id if user and not user._is_public() else False,
            "answer_ip": (ip or "")[:64],
        }
        if answer == "contested":
            vals["amount_believed"] = self._parse_amount_believed(amount)
            vals["answer_comment"] = self._check_comment(comment)
        return vals

    def _parse_amount_believed(self, amount):
        text = str(amount if amount is not None else "").strip().replace(",", "")
        if not text:
            raise UserError(self.env._("Enter the balance you believe you owed at that date."))
        try:
            value = float(text)
        except ValueError:
            raise UserError(
                self.env._("%(value)s is not an amount.", value=str(amount)[:40])
            ) from None
        if not math.isfinite(value) or abs(value) >= MAX_AMOUNT:
            raise UserError(self.env._("%(value)s is not an amount.", value=str(amount)[:40]))
        value = self.currency_id.round(value)
        if self.currency_id.compare_amounts(value, self.balance) == 0:
            raise UserError(
                self.env._(
                    "The amount you believe is our balance (%(balance)s): confirm the balance "
                    "instead of contesting it.",
                    balance=format_amount(self.env, self.balance, self.currency_id),
                )
            )
        return value

    def _check_comment(self, comment):
        comment = (comment or "").strip()
        if not comment:
            raise UserError(
                self.env._("Tell us what differs (missing payment, credit note, invoice...).")
            )
        if len(comment) > MAX_COMMENT:
            raise UserError(
                self.env._("Keep the comment under %(count)s characters.", count=MAX_COMMENT)
            )
        return comment

    # ------------------------------------------------------------
    # RECORDING
    # ------------------------------------------------------------

    def _record_answer(self):
        """The answer in the request's chatter, the customer's, the case ledger and, when
        contested, a to-do for the accountant. Runs as superuser: the portal user holds
        none of these rights; the controller checked the access to the request."""
        self.ensure_one()
        request = self.sudo()
        text = request._get_answer_text()
        author = request.answer_partner_id
        request.message_post(
            body=text, author_id=author.id, subtype_xmlid="mail.mt_comment", message_type="comment"
        )
        link = Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>') % (
            request._name,
            request.id,
            request.display_name,
        )
        request.partner_id.with_company(request.company_id).message_post(
            body=Markup("%s<br/>%s") % (link, text),
            author_id=author.id,
            subtype_xmlid="mail.mt_note",
        )
        request._log_in_case()
        if request.state == "contested":
            request._schedule_contest_activity()

    def _get_answer_text(self):
        self.ensure_one()
        values = {
            "person": self.answer_partner_id.name or "",
            "date": format_date(self.env, self.date),
            "ip": self.answer_ip or "-",
            "balance": format_amount(self.env, self.balance, self.currency_id),
        }
        if self.state == "confirmed":
            return self.env._(
                "%(person)s confirmed the balance of %(balance)s as of %(date)s (from %(ip)s).",
                **values,
            )
        return self.env._(
            "%(person)s contested the balance of %(balance)s as of %(date)s (from %(ip)s): "
            "balance per customer %(believed)s, difference %(difference)s. Comment: %(comment)s",
            believed=format_amount(self.env, self.amount_believed, self.currency_id),
            difference=format_amount(self.env, self.difference, self.currency_id),
            comment=self.answer_comment or "",
            **values,
        )

    def _get_open_case(self):
        self.ensure_one()
        return (
            self.env["collection.case"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "not in", ("closed", "written_off")),
                ],
                limit=1,
            )
        )

    def _log_in_case(self):
        """A contact in the collection ledger (催收台账) of the customer's open case."""
        self.ensure_one()
        case = self._get_open_case()
        if not case:
            return self.env["collection.log"]
        return (
            self.env["collection.log"]
            .sudo()
            .create(
                {
                    "case_id": case.id,
                    "date": self.answer_date,
                    "user_id": self.sent_by_id.id,
                    "channel": "portal",
                    "result": f"balance_{self.state}",
                    "contact_name": self.answer_partner_id.name,
                    "customer_words": self._get_answer_text(),
                }
            )
        )

    def _get_accountant(self):
        """Who reconciles a contested balance: the customer's collector in the company,
        the company's default collector, its collection manager, else whoever sent the
        request, else the company's first credit manager."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.with_company(company)
        cases = self.env["collection.case"]
        for user in (
            partner.collection_user_id,
            company.collection_user_id,
            company.collection_manager_id,
            self.sent_by_id,
        ):
            if user and cases._can_be_assigned(user, company):
                return user
        return company._get_credit_managers()[:1]

    def _schedule_contest_activity(self):
        self.ensure_one()
        accountant = self._get_accountant()
        if not accountant:
            return self.env["mail.activity"]
        return self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=accountant.id,
            summary=self.env._(
                "Reconcile the contested balance of %(customer)s", customer=self.partner_id.name
            ),
            note=self._get_answer_text(),
        )

    # ------------------------------------------------------------
    # PORTAL DATA
    # ------------------------------------------------------------

    def _get_portal_statement(self):
        """The outstanding-items statement as of the request's date, as the back office
        prints it (``credit.statement.wizard._get_statements_data``). Call on a record the
        controller checked; reads the receivables as superuser."""
        self.ensure_one()
        request = self.sudo()
        wizard = (
            self.env["credit.statement.wizard"]
            .sudo()
            .new(
                {
                    "statement_type": "outstanding",
                    "date_to": request.date,
                    "company_id": request.company_id.id,
                    "partner_ids": [fields.Command.set(request.partner_id.ids)],
                }
            )
        )
        return wizard._get_statements_data(request.partner_id)[request.partner_id.id]

    @api.model
    def _portal_domain(self):
        """Requests a customer sees on its portal: sent ones, answered or not."""
        return [("state", "in", ("sent", "confirmed", "contested"))]
