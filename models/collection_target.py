from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CollectionTarget(models.Model):
    """What a collector is expected to collect in a company in one calendar month (催收目标).

    A target is a month, never an arbitrary range: months do not overlap, so a collector has
    one target a month and the appraisal of any period adds up the months it covers, each
    in proportion to its days inside the period (a quarter sums three months, the first
    half of June counts half of June's). Credit managers set targets; a collector reads
    their own and nobody else's (security/ir_rules.xml), and cannot change them (access
    rights: read only).
    """

    _name = "collection.target"
    _description = "Collection Target"
    _inherit = ["mail.thread"]
    _order = "date_from desc, user_id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        tracking=True,
        help="Any day of the month: the target is stored on its first day.",
    )
    date_to = fields.Date(string="Month End", compute="_compute_date_to", store=True)
    amount = fields.Monetary(
        string="Target",
        required=True,
        currency_field="currency_id",
        tracking=True,
        help="Cash to collect in the month on the customers the collector owns, in the "
        "company's currency.",
    )

    _unique_collector_month = models.Constraint(
        "UNIQUE(user_id, company_id, date_from)",
        "A collector has one target a month in a company: change the existing one.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("date_from")
    def _compute_date_to(self):
        for target in self:
            target.date_to = target.date_from and target.date_from + relativedelta(day=31)

    @api.depends("user_id", "date_from")
    def _compute_display_name(self):
        for target in self:
            target.display_name = self.env._(
                "Target of %(collector)s for %(month)s",
                collector=target.user_id.name or "",
                month=target.date_from.strftime("%Y-%m") if target.date_from else "",
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("amount", "user_id", "company_id")
    def _check_target(self):
        for target in self:
            if target.currency_id.compare_amounts(target.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The target of %(collector)s must be more than zero: enter the amount "
                        "to collect in the month.",
                        collector=target.user_id.name,
                    )
                )
            if target.company_id not in target.user_id.sudo().company_ids:
                raise ValidationError(
                    self.env._(
                        "%(collector)s does not work for %(company)s: give them access to the "
                        "company first, or choose one of its collectors.",
                        collector=target.user_id.name,
                        company=target.company_id.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._first_of_month(vals)
        return super().create(vals_list)

    def write(self, vals):
        return super().write(self._first_of_month(vals))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_targets(self, company, date_from, date_to):
        """``{collector id: target of the period}``: each month's target counted in
        proportion to its days inside the period. One query."""
        targets = self.sudo().search_fetch(
            [
                ("company_id", "=", company.id),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ],
            ["user_id", "date_from", "date_to", "amount"],
        )
        totals = {}
        for target in targets:
            start, end = max(target.date_from, date_from), min(target.date_to, date_to)
            share = ((end - start).days + 1) / ((target.date_to - target.date_from).days + 1)
            totals[target.user_id.id] = totals.get(target.user_id.id, 0.0) + target.amount * share
        return totals

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _first_of_month(self, vals):
        """A target is a month: whatever day was picked, it is stored on the 1st."""
        if vals.get("date_from"):
            vals["date_from"] = fields.Date.to_date(vals["date_from"]).replace(day=1)
        return vals
