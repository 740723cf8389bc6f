from odoo import api, fields, models

from ..tools import customer_segments


class CreditCustomerSegment(models.Model):
    """A customer type (客户类型) read from payment behaviour: reliable, slow but sure,
    disputing, deteriorating, at risk, new (the rule: ``tools/customer_segments.py``).

    The monthly run types each customer; the type then carries a collection and credit
    policy: its dunning policy applies when the customer has none of its own (before the
    grade's), its review interval sets the next credit review (before the grade's), and its
    payment terms are proposed by the re-evaluation (before the grade's).
    """

    _name = "credit.customer.segment"
    _description = "Customer Type"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    code = fields.Selection(
        [
            (customer_segments.RELIABLE, "Reliable"),
            (customer_segments.SLOW_BUT_SURE, "Slow but Sure"),
            (customer_segments.DISPUTING, "Disputing"),
            (customer_segments.DETERIORATING, "Deteriorating"),
            (customer_segments.AT_RISK, "At Risk"),
            (customer_segments.NEW, "New"),
        ],
        required=True,
        help="The rule of the monthly run that lands a customer in this type.",
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer(help="Colour of the type's badge on the credit file.")
    description = fields.Text(
        translate=True, help="The rule, in words, for the people who read the credit file."
    )
    company_id = fields.Many2one("res.company", help="Leave empty to share the type.")
    collection_policy_id = fields.Many2one(
        "collection.policy",
        help="Dunning policy of the customers of this type who have none of their own; "
        "empty: the grade's, else the company's default.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Default Payment Terms",
        help="Payment terms the credit re-evaluation proposes to customers of this type; "
        "empty: the grade's.",
    )
    review_interval_months = fields.Integer(
        string="Review Every (Months)",
        help="Customers of this type are reviewed again after this many months; 0: the "
        "grade's interval.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "A customer type's rule is used once per company."
    )
    _interval_not_negative = models.Constraint(
        "CHECK(review_interval_months >= 0)",
        "The review interval is a number of months, 0 for the grade's.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("customer_segment_id", "in", self.ids)], ["customer_segment_id"], ["__count"]
            )
        )
        for segment in self:
            segment.partner_count = counts.get(segment, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("customer_segment_id", "=", self.id)],
        }

    @api.model
    def _cron_assign_segments(self, batch_size=500, commit=True, today=None):
        """Daily, acting monthly: in each company not yet run this month, type every
        customer with invoices (batches committed one by one) and propose rewards to good
        payers; then the company is marked as run. A run cut short goes on the next day
        (what is already typed is not written again); a second run the same month does
        nothing. ``commit=False`` (tests): nothing is committed."""
        today = today or fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            run = company.sudo().customer_segment_run_date
            if run and run >= today.replace(day=1):
                continue
            customers = self.env["credit.review"]._customers_to_watch(company)
            if commit:
                self.env["ir.cron"]._commit_progress(remaining=len(customers))
            behaviour = customers._get_segment_behaviour(company, today)
            for start in range(0, len(customers), batch_size):
                batch = customers[start : start + batch_size]
                batch._assign_segments(company, behaviour, today)
                if commit and not self.env["ir.cron"]._commit_progress(len(batch)):
                    return  # out of time: the company is done again on the next run
            self.env["credit.reward.proposal"]._propose_rewards(company, customers, today)
            company.sudo().customer_segment_run_date = today
            if commit:
                self.env["ir.cron"]._commit_progress()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _by_code(self, company):
        """``{code: segment}`` of ``company``: its own type of a code, else the shared one."""
        segments = self.search(["|", ("company_id", "=", False), ("company_id", "=", company.id)])
        by_code = {}
        for segment in segments.sorted(lambda s: bool(s.company_id)):
            by_code[segment.code] = segment
        return by_code
