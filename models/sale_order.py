from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_hold = fields.Boolean(
        string="Customer on Credit Hold",
        related="partner_id.commercial_partner_id.credit_hold",
    )
    credit_hold_reason = fields.Char(
        string="Credit Hold Reason",
        related="partner_id.commercial_partner_id.credit_hold_reason",
    )
    credit_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    credit_exposure = fields.Monetary(
        string="Customer Exposure",
        currency_field="credit_company_currency_id",
        compute="_compute_credit_info",
        help="The customer's credit exposure before this order, in company currency.",
    )
    credit_limit_effective = fields.Monetary(
        string="Customer Credit Limit",
        currency_field="credit_company_currency_id",
        compute="_compute_credit_info",
        help="Credit limit plus valid temporary increase; zero means no limit.",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_company_currency_id",
        compute="_compute_credit_info",
        help="What the customer may still buy before this order.",
    )
    credit_grade_name = fields.Char(
        string="Credit Grade", related="partner_id.commercial_partner_id.credit_grade_name"
    )
    credit_exceeded = fields.Boolean(
        compute="_compute_credit_info",
        help="Technical: the order would take the customer over the credit limit.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id", "amount_total", "currency_rate", "state")
    def _compute_credit_info(self):
        for company, orders in self.grouped("company_id").items():
            customers = orders.partner_id.commercial_partner_id
            exposure = customers._get_credit_exposure(company)
            policy = customers._get_credit_policy(company)
            for order in orders:
                key = order.partner_id.commercial_partner_id.id
                values = policy.get(key)
                limit = (
                    values and values["limit"] and values["limit"] + values["temporary_increase"]
                )
                total = exposure[key]["total"] if values else 0.0
                order.credit_exposure = total
                order.credit_limit_effective = limit
                order.credit_available = limit and limit - total
                order.credit_exceeded = bool(
                    limit
                    and order.state in ("draft", "sent")
                    and total + order._get_credit_amount() > limit
                )
        (self - self.filtered("company_id")).update(
            {
                "credit_exposure": 0.0,
                "credit_limit_effective": 0.0,
                "credit_available": 0.0,
                "credit_exceeded": False,
            }
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        """Refuse the confirmation of orders whose customer fails the credit checks.

        Every confirmation path (backend button, portal signature or payment,
        e-commerce, other modules) ends in ``action_confirm``, so checking here
        catches them all.
        """
        credit_data = self._check_credit_on_confirm()
        result = super().action_confirm()
        self._post_credit_warnings(credit_data)
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_credit_on_confirm(self):
        """Raise with every refused order's reasons; return the data the check used."""
        credit_data = self._get_credit_check_data()
        messages = [
            message
            for order in self
            for message in order._get_credit_block_messages(credit_data=credit_data)
        ]
        if messages:
            raise UserError("\n\n".join(messages))
        return credit_data

    def _get_credit_amount(self):
        """The order's total in company currency: what confirming it adds to the exposure."""
        self.ensure_one()
        return self.amount_total / (self.currency_rate or 1.0)

    def _get_credit_check_data(self):
        """Gather, in a constant number of queries, what the rules need for these orders.

        Returns ``{order_id: {"customer", "policy", "exposure", "amount", "exposure_after"}}``
        where ``exposure_after`` adds every order of the batch of the same customer.
        The customers are locked first (see ``res.partner._lock_credit_customers``).
        """
        data = {}
        for company, orders in self.grouped("company_id").items():
            customers = orders.partner_id.commercial_partner_id
            customers._lock_credit_customers()
            policy = customers._get_credit_policy(company)
            exposure = customers._get_credit_exposure(
                company,
                overdue_days={
                    key: values["overdue_days"]
                    for key, values in policy.items()
                    if values["overdue_days"] is not None
                },
            )
            batch = defaultdict(float)
            for order in orders:
                batch[order.partner_id.commercial_partner_id.id] += order._get_credit_amount()
            for order in orders:
                key = order.partner_id.commercial_partner_id.id
                data[order.id] = {
                    "customer": order.partner_id.commercial_partner_id,
                    "policy": policy[key],
                    "exposure": exposure[key],
                    "amount": order._get_credit_amount(),
                    "exposure_after": exposure[key]["total"] + batch[key],
                }
        return data

    def _get_credit_block_messages(self, credit_data=None):
        """Return the reasons, readable by the salesperson, why this order may not be
        confirmed. Extension point: each credit rule appends its own message."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        messages = []
        if customer.credit_hold:
            messages.append(
                self.env._(
                    "%(order)s cannot be confirmed: customer %(customer)s is on credit hold "
                    "(reason: %(reason)s). Ask a credit manager to release the hold, then "
                    "confirm the order again.",
                    order=self.name,
                    customer=customer.display_name,
                    reason=customer.credit_hold_reason,
                )
            )
        if credit_data is None:
            credit_data = self._get_credit_check_data()
        data = credit_data.get(self.id)
        if not data:
            return messages
        if data["policy"]["block_new_sales"]:
            messages.append(
                self.env._(
                    "%(order)s cannot be confirmed: the credit grade of %(customer)s does not "
                    "allow new sales. Ask a credit manager to review the customer.",
                    order=self.name,
                    customer=customer.display_name,
                )
            )
        if data["policy"]["mode"] == "block" and not self._has_credit_approval(data):
            messages += self._get_credit_rule_messages(data)
        return messages

    def _get_credit_rule_messages(self, data):
        """Messages of the limit and overdue rules, which approvals may release and which
        only warn in warn-only mode."""
        self.ensure_one()
        policy, exposure = data["policy"], data["exposure"]
        messages = []
        limit = policy["limit"] and policy["limit"] + policy["temporary_increase"]
        if limit and data["exposure_after"] > limit:
            messages.append(self._credit_limit_message(data, limit))
        if policy["overdue_days"] is not None and exposure["overdue"] > policy["overdue_amount"]:
            messages.append(self._credit_overdue_message(data))
        return messages

    def _credit_limit_message(self, data, limit):
        currency = self.company_id.currency_id
        return self.env._(
            "%(order)s cannot be confirmed: the credit limit of %(customer)s would be exceeded "
            "by %(excess)s (exposure after this order %(exposure)s / limit %(limit)s; this "
            "order %(amount)s). Request a credit approval from the order, or ask a credit "
            "manager for a temporary limit increase.",
            order=self.name,
            customer=data["customer"].display_name,
            excess=format_amount(self.env, data["exposure_after"] - limit, currency),
            exposure=format_amount(self.env, data["exposure_after"], currency),
            limit=format_amount(self.env, limit, currency),
            amount=format_amount(self.env, data["amount"], currency),
        )

    def _credit_overdue_message(self, data):
        currency = self.company_id.currency_id
        return self.env._(
            "%(order)s cannot be confirmed: %(customer)s has %(overdue)s overdue by more than "
            "%(days)s days (tolerance %(tolerance)s). Ask the customer to pay, or request a "
            "credit approval from the order.",
            order=self.name,
            customer=data["customer"].display_name,
            overdue=format_amount(self.env, data["exposure"]["overdue"], currency),
            days=data["policy"]["overdue_days"],
            tolerance=format_amount(self.env, data["policy"]["overdue_amount"], currency),
        )

    def _has_credit_approval(self, data):
        """Hook: whether a credit approval releases this order (see approvals)."""
        return False

    def _post_credit_warnings(self, credit_data):
        """In warn-only mode, confirm but leave the broken rules in the order's chatter."""
        for order in self:
            data = credit_data.get(order.id)
            if not data or data["policy"]["mode"] != "warn":
                continue
            messages = order._get_credit_rule_messages(data)
            if messages:
                order.message_post(
                    body=self.env._(
                        "Confirmed despite the credit rules (warn-only mode): %(reasons)s",
                        reasons=" ".join(messages),
                    ),
                )
