from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount


class AccountMove(models.Model):
    _inherit = "account.move"

    # credit exposure: a customer's draft invoices, among thousands of posted ones
    _credit_draft_invoices_idx = models.Index(
        "(partner_id, company_id) INCLUDE (amount_total_signed) "
        "WHERE state = 'draft' AND move_type IN ('out_invoice', 'out_refund')"
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    collection_follow_up_date = fields.Date(
        string="Follow-up Date",
        copy=False,
        tracking=True,
        help="The dunning run leaves this invoice alone until this date.",
    )
    collection_level_id = fields.Many2one(
        "collection.policy.level",
        string="Dunning Level",
        compute="_compute_collection_level_id",
        help="The highest dunning level this invoice reached.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_collection_level_id(self):
        notices = (
            self.env["collection.notice"]
            .sudo()
            .search_fetch([("move_id", "in", self.ids)], ["move_id", "level_id"])
        )
        levels = {}
        for notice in notices:
            current = levels.get(notice.move_id.id)
            if not current or current.days < notice.level_id.days:
                levels[notice.move_id.id] = notice.level_id
        for move in self:
            move.collection_level_id = levels.get(move.id, False)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _post(self, soft=True):
        """Optionally (company setting) apply the credit limit when invoicing too."""
        self._check_credit_on_post()
        posted = super()._post(soft=soft)
        posted._resolve_collection_disputes()
        return posted

    def _resolve_collection_disputes(self):
        """A credit note prepared for a dispute is posted: the dispute is resolved."""
        credit_notes = self.filtered(lambda move: move.move_type == "out_refund")
        if credit_notes:
            self.env["collection.dispute"].sudo()._resolve_by_posted_credit_notes(credit_notes)

    def _check_credit_on_post(self):
        invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "draft"
                and move.company_id.credit_check_invoice
            )
        )
        messages = []
        for company, moves in invoices.grouped("company_id").items():
            messages += moves._get_credit_post_messages(company)
        if messages:
            raise UserError("\n\n".join(messages))

    def _get_credit_post_messages(self, company):
        """The draft invoice already counts in the exposure: posting must not leave the
        customer above the limit."""
        customers = self.commercial_partner_id
        customers._lock_credit_customers()
        policy = customers._get_credit_policy(company)
        exposure = customers._get_credit_exposure(company)
        messages = []
        for customer in customers:
            values = policy[customer.id]
            limit = values["effective_limit"]
            total = exposure[customer.id]["total"]
            if values["mode"] == "block" and limit and total > limit:
                messages.append(
                    self.env._(
                        "Invoices of %(customer)s cannot be posted: they take the exposure to "
                        "%(exposure)s, over the credit limit of %(limit)s. Ask a credit manager "
                        "for a temporary limit increase.",
                        customer=customer.display_name,
                        exposure=format_amount(self.env, total, company.currency_id),
                        limit=format_amount(self.env, limit, company.currency_id),
                    )
                )
        return messages
