from collections import defaultdict
from types import MappingProxyType

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount
from odoo.tools.sql import column_exists, create_column

# what a customer whom no limit or overdue rule looks at weighs in the check (read-only)
NO_EXPOSURE = MappingProxyType(
    dict.fromkeys(
        ("receivable", "draft_invoices", "sale_orders", "guarantees", "overdue", "total"), 0.0
    )
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # the customer's file in the ORDER's company (a related field would follow the env's)
    credit_hold = fields.Boolean(
        string="Customer on Credit Hold", compute="_compute_credit_customer_file"
    )
    credit_hold_reason = fields.Char(compute="_compute_credit_customer_file")
    credit_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    credit_exposure = fields.Monetary(
        string="Customer Exposure",
        currency_field="credit_currency_id",
        compute="_compute_credit_info",
        help="The customer's credit exposure before this order, in company currency.",
    )
    credit_limit_effective = fields.Monetary(
        string="Customer Credit Limit",
        currency_field="credit_currency_id",
        compute="_compute_credit_info",
        help="Credit limit plus valid temporary increase; zero means no limit.",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_currency_id",
        compute="_compute_credit_info",
        help="What the customer may still buy before this order.",
    )
    credit_grade_id = fields.Many2one("credit.grade", compute="_compute_credit_customer_file")
    credit_approval_ids = fields.One2many(
        "credit.approval.request", "order_id", string="Credit Approvals", readonly=True
    )
    credit_approval_count = fields.Integer(compute="_compute_credit_approval_count")
    credit_exceeded = fields.Boolean(
        compute="_compute_credit_info",
        help="Technical: the order would take the customer over the credit limit.",
    )
    credit_amount_to_invoice = fields.Monetary(
        string="Exposure Not Invoiced",
        currency_field="credit_currency_id",
        compute="_compute_credit_amount_to_invoice",
        store=True,
        help="What this confirmed order commits the customer to and is not invoiced yet, "
        "taxes included, in company currency: the order's part of the credit exposure.",
    )

    # credit exposure: a customer's confirmed orders with something left to invoice, read
    # from the index alone, among all the orders invoiced long ago
    _credit_open_orders_idx = models.Index(
        "(partner_id, company_id) INCLUDE (credit_amount_to_invoice) "
        "WHERE credit_amount_to_invoice != 0"
    )

    def _auto_init(self):
        """Fill the column in one UPDATE when the addon is installed on a database that has
        orders already: the ORM would otherwise compute it order by order."""
        if not column_exists(self.env.cr, "sale_order", "credit_amount_to_invoice"):
            create_column(self.env.cr, "sale_order", "credit_amount_to_invoice", "numeric")
            self.env.cr.execute(self._credit_amount_to_invoice_sql())
        return super()._auto_init()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "company_id",
        "partner_id.commercial_partner_id.credit_hold",
        "partner_id.commercial_partner_id.credit_hold_reason",
        "partner_id.commercial_partner_id.credit_grade_id",
    )
    def _compute_credit_customer_file(self):
        for order in self:
            customer = order.partner_id.commercial_partner_id.with_company(
                order.company_id or self.env.company
            )
            order.credit_hold = customer.credit_hold
            order.credit_hold_reason = customer.credit_hold_reason
            order.credit_grade_id = customer.credit_grade_id

    @api.depends("partner_id", "company_id", "amount_total", "currency_rate", "state")
    def _compute_credit_info(self):
        for company, orders in self.grouped("company_id").items():
            customers = orders.partner_id.commercial_partner_id._origin
            exposure = customers._get_credit_exposure(company._origin)
            policy = customers._get_credit_policy(company._origin)
            for order in orders:
                key = order.partner_id.commercial_partner_id._origin.id
                limit = policy[key]["effective_limit"] if key in policy else 0.0
                total = exposure[key]["total"] if key in exposure else 0.0
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

    @api.depends(
        "state",
        "currency_rate",
        "order_line.price_total",
        "order_line.product_uom_qty",
        "order_line.qty_invoiced",
        "order_line.invoice_status",
        "order_line.is_downpayment",
        "order_line.invoice_lines.price_total",
        "order_line.invoice_lines.move_id.state",
    )
    def _compute_credit_amount_to_invoice(self):
        """The lines' amounts still to invoice (``sale.order.line._get_credit_amount_to_invoice``)
        in company currency. Kept by the ORM at every change of the order and of its
        invoicing, so the credit check reads one stored amount per open order instead of
        joining lines and orders."""
        for order in self:
            amount = 0.0
            if order.state == "sale":
                amount = sum(line._get_credit_amount_to_invoice() for line in order.order_line) / (
                    order.currency_rate or 1.0
                )
            order.credit_amount_to_invoice = amount

    @api.model
    def _credit_amount_to_invoice_sql(self):
        """``_compute_credit_amount_to_invoice`` for every order at once, rounded to the
        company currency as the ORM would store it."""
        return SQL(
            """
            UPDATE sale_order so
               SET credit_amount_to_invoice = ROUND(
                       open.amount / so.currency_rate / currency.rounding) * currency.rounding
              FROM (SELECT line.order_id,
                           SUM(CASE WHEN line.is_downpayment THEN -COALESCE(down.amount, 0)
                                    ELSE line.price_total
                                         * GREATEST(line.product_uom_qty - line.qty_invoiced, 0)
                                         / line.product_uom_qty END) AS amount
                      FROM sale_order_line line
                 LEFT JOIN LATERAL (
                           SELECT SUM(CASE WHEN move.move_type = 'out_refund'
                                           THEN -aml.price_total ELSE aml.price_total END)
                                      AS amount
                             FROM sale_order_line_invoice_rel rel
                             JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                             JOIN account_move move ON move.id = aml.move_id
                            WHERE rel.order_line_id = line.id
                              AND line.is_downpayment
                              AND move.state != 'cancel'
                           ) down ON TRUE
                     WHERE line.state = 'sale'
                       AND (line.is_downpayment
                            OR (line.invoice_status != 'invoiced' AND line.product_uom_qty > 0))
                     GROUP BY line.order_id) open,
                   res_company company,
                   res_currency currency
             WHERE so.id = open.order_id
               AND so.state = 'sale'
               AND so.currency_rate > 0
               AND company.id = so.company_id
               AND currency.id = company.currency_id
            """
        )

    def _compute_credit_approval_count(self):
        counts = dict(
            self.env["credit.approval.request"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.credit_approval_count = counts.get(order, 0)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if "order_line" in vals:
            self._void_exceeded_credit_approvals()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        """Refuse the confirmation of orders whose customer fails the credit checks.

        Every confirmation path (backend button, portal signature or payment,
        e-commerce, other modules) ends in ``action_confirm``, so checking here
        catches them all.
        """
        orders = self
        if self.env.context.get("credit_refusal_to_salesperson"):
            orders -= self._refer_credit_refusals()
            if not orders:
                return True
        # an order already confirmed is Odoo's to refuse (its own message), never counted
        # twice in the exposure by our check
        credit_data = orders.filtered(
            lambda o: o.state in ("draft", "sent")
        )._check_credit_on_confirm()
        result = super(SaleOrder, orders).action_confirm()
        orders._post_credit_warnings(credit_data)
        orders._consume_credit_approvals(credit_data)
        return result

    def action_request_credit_approval(self):
        """Open the dialog where the salesperson says why the order should go through."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Credit Approval"),
            "res_model": "credit.approval.request.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_credit_approvals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.action_credit_approval_request"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _validate_order(self):
        """The customer confirms (portal signature, e-commerce): an order the credit rules
        refuse stays a quotation and goes to its salesperson, instead of showing the
        customer an error written for the sales team."""
        return super(
            SaleOrder, self.with_context(credit_refusal_to_salesperson=True)
        )._validate_order()

    def _refer_credit_refusals(self):
        """Leave the orders the credit rules refuse unconfirmed, with the reasons in their
        chatter and a to-do for their salesperson; return them.

        For confirmations asked by the customer (portal signature, online payment), where
        an error would reach the customer and undo what they did (their signature, the
        booking of their payment).
        """
        credit_data = self._get_credit_check_data()
        refused = self.browse()
        for order in self:
            messages = order._get_credit_block_messages(credit_data=credit_data)
            if messages:
                refused |= order
                order.sudo()._notify_credit_refusal(messages)
        return refused

    def _notify_credit_refusal(self, messages):
        self.ensure_one()
        reasons = "\n\n".join(messages)
        self.message_post(
            body=self.env._(
                "The customer asked to confirm this order, the credit check refused it: "
                "%(reasons)s",
                reasons=reasons,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Customer confirmation refused by the credit check"),
            note=reasons,
            # never the portal or public user who asked: the order's salesperson, else the
            # team leader, else the administrator
            user_id=(self.user_id or self.team_id.user_id or self.env.ref("base.user_admin")).id,
        )

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
        """
        data = {}
        for company, orders in self.grouped("company_id").items():
            customers = orders.partner_id.commercial_partner_id
            policy = customers._get_credit_policy(company)
            exposure = self._get_credit_exposure_if_checked(customers, company, policy)
            approvals = orders._get_valid_credit_approvals()
            batch = defaultdict(float)
            for order in orders:
                batch[order.partner_id.commercial_partner_id.id] += order._get_credit_amount()
            for order in orders:
                key = order.partner_id.commercial_partner_id.id
                data[order.id] = {
                    "customer": order.partner_id.commercial_partner_id,
                    "policy": policy[key],
                    "exposure": exposure.get(key, NO_EXPOSURE),
                    "amount": order._get_credit_amount(),
                    "exposure_after": exposure.get(key, NO_EXPOSURE)["total"] + batch[key],
                    "approval": approvals.get(order.id),
                }
        return data

    @api.model
    def _get_credit_exposure_if_checked(self, customers, company, policy):
        """Exposure of the customers that a limit or overdue rule will look at, locked
        first (see ``res.partner._lock_credit_customers``). The others (check off, no limit
        and no overdue rule) cost neither the exposure query nor the lock: their
        confirmations never wait for each other."""
        checked = customers.filtered(
            lambda customer: (
                policy[customer.id]["mode"] != "off"
                and (
                    policy[customer.id]["limit"] or policy[customer.id]["overdue_days"] is not None
                )
            )
        )
        if not checked:
            return {}
        checked._lock_credit_customers()
        checked_ids = set(checked.ids)
        return checked._get_credit_exposure(
            company,
            overdue_days={
                key: values["overdue_days"]
                for key, values in policy.items()
                if values["overdue_days"] is not None and key in checked_ids
            },
        )

    def _get_credit_block_messages(self, credit_data=None):
        """Return the reasons, readable by the salesperson, why this order may not be
        confirmed. Extension point: each credit rule appends its own message."""
        self.ensure_one()
        # the hold of the order's company, whichever company the user is working in
        customer = self.partner_id.commercial_partner_id.with_company(self.company_id)
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
            messages += [
                self._credit_block_message(reason)
                for reason in self._get_credit_rule_messages(data)
            ]
        return messages

    def _get_credit_rule_messages(self, data):
        """Reasons from the limit and overdue rules, which an approval may release and which
        only warn in warn-only mode."""
        self.ensure_one()
        policy, exposure = data["policy"], data["exposure"]
        reasons = []
        limit = policy["effective_limit"]
        if limit and data["exposure_after"] > limit:
            reasons.append(self._credit_limit_reason(data, limit))
        if policy["overdue_days"] is not None and exposure["overdue"] > policy["overdue_amount"]:
            reasons.append(self._credit_overdue_reason(data))
        return reasons

    def _credit_block_message(self, reason):
        return self.env._(
            "%(order)s cannot be confirmed: %(reason)s Request a credit approval from the "
            "order, or ask a credit manager for a temporary limit increase.",
            order=self.name,
            reason=reason,
        )

    def _credit_limit_reason(self, data, limit):
        currency = self.company_id.currency_id
        return self.env._(
            "the credit limit of %(customer)s would be exceeded by %(excess)s (exposure after "
            "this order %(exposure)s / limit %(limit)s; this order %(amount)s).",
            customer=data["customer"].display_name,
            excess=format_amount(self.env, data["exposure_after"] - limit, currency),
            exposure=format_amount(self.env, data["exposure_after"], currency),
            limit=format_amount(self.env, limit, currency),
            amount=format_amount(self.env, data["amount"], currency),
        )

    def _credit_overdue_reason(self, data):
        currency = self.company_id.currency_id
        return self.env._(
            "%(customer)s has %(overdue)s overdue by more than %(days)s days (tolerance "
            "%(tolerance)s).",
            customer=data["customer"].display_name,
            overdue=format_amount(self.env, data["exposure"]["overdue"], currency),
            days=data["policy"]["overdue_days"],
            tolerance=format_amount(self.env, data["policy"]["overdue_amount"], currency),
        )

    def _has_credit_approval(self, data):
        """Whether an approved request releases this order from the limit and overdue rules."""
        return bool(data.get("approval"))

    def _get_valid_credit_approvals(self):
        """Approved requests that still cover these orders' totals, by order id."""
        requests = (
            self.env["credit.approval.request"]
            .sudo()
            .search(
                [
                    ("order_id", "in", self.ids),
                    ("state", "=", "approved"),
                    # past its date, an approval no longer holds, even before the cron runs
                    "|",
                    ("date_expiry", "=", False),
                    ("date_expiry", ">=", fields.Date.context_today(self)),
                ]
            )
        )
        return {
            request.order_id.id: request
            for request in requests
            if request.order_currency_id.compare_amounts(
                request.order_id.amount_total, request.order_amount_total
            )
            <= 0
        }

    def _consume_credit_approvals(self, credit_data):
        """An approval releases one confirmation: mark the ones just used."""
        used = self.env["credit.approval.request"]
        for data in credit_data.values():
            used |= data["approval"] or used.browse()
        if used:
            used._write_decision({"state": "used"})

    def _void_exceeded_credit_approvals(self):
        """An order raised above its approved total loses the approval."""
        requests = (
            self.env["credit.approval.request"]
            .sudo()
            .search([("order_id", "in", self.ids), ("state", "=", "approved")])
        )
        exceeded = requests.filtered(
            lambda r: (
                r.order_currency_id.compare_amounts(r.order_id.amount_total, r.order_amount_total)
                > 0
            )
        )
        exceeded._void()

    def _request_credit_approval(self, reason):
        """Record a request for this blocked order and give credit managers a to-do."""
        self.ensure_one()
        data = self._get_credit_check_data()[self.id]
        if self.state not in ("draft", "sent") or not self._get_credit_rule_messages(data):
            raise UserError(
                self.env._(
                    "%(order)s needs no credit approval: it passes the credit rules.",
                    order=self.name,
                )
            )
        if self.credit_approval_ids.filtered(lambda r: r.state in ("pending", "approved")):
            raise UserError(
                self.env._(
                    "A credit approval for %(order)s is already pending or approved.",
                    order=self.name,
                )
            )
        request = (
            self.env["credit.approval.request"]
            .sudo()
            .create(self._prepare_credit_approval_vals(data, reason))
        )
        request._schedule_manager_activities()
        self.sudo().message_post(
            body=self.env._(
                "Credit approval requested by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            )
        )
        return request

    def _prepare_credit_approval_vals(self, data, reason):
        policy = data["policy"]
        limit = policy["effective_limit"]
        return {
            "order_id": self.id,
            "partner_id": data["customer"].id,
            "company_id": self.company_id.id,
            "order_amount_total": self.amount_total,
            "amount": data["amount"],
            "exposure": data["exposure_after"],
            "limit": limit,
            "excess": max(data["exposure_after"] - limit, 0.0) if limit else 0.0,
            "requester_id": self.env.user.id,
            "reason": reason,
            "date_expiry": self.env["credit.approval.request"]._get_expiry_date(self.company_id),
        }

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
