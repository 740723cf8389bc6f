from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

CREDIT_MANAGER_FIELDS = {"credit_hold", "credit_hold_reason"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_hold = fields.Boolean(
        tracking=True,
        copy=False,
        help="While on hold, no sale order of this customer or of its contacts can be "
        "confirmed. Only credit managers can set or release a hold.",
    )
    credit_hold_reason = fields.Char(
        tracking=True,
        copy=False,
        help="Why the customer is on hold; shown to the salesperson whose order is refused.",
    )

    collection_policy_id = fields.Many2one(
        "collection.policy",
        company_dependent=True,
        help="Dunning policy of this customer; empty to follow the company's default policy.",
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="Who works this customer's collection cases; empty for the company's default.",
    )

    is_credit_manager = fields.Boolean(
        compute="_compute_is_credit_manager",
        help="Technical: whether the current user may change the credit hold.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_is_credit_manager(self):
        self.is_credit_manager = self.env.user.has_group("credit_collection.group_credit_manager")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("credit_hold", "credit_hold_reason")
    def _check_credit_hold_reason(self):
        for partner in self:
            if partner.credit_hold and not (partner.credit_hold_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason why %(partner)s is put on credit hold: the salesperson "
                        "whose order is refused will read it.",
                        partner=partner.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("credit_hold") for vals in vals_list):
            self._check_credit_manager_access()
        return super().create(vals_list)

    def write(self, vals):
        if CREDIT_MANAGER_FIELDS.intersection(vals):
            self._check_credit_manager_access()
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_commercial_partner(self):
        """Open the company whose credit file decides for this contact."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_credit_manager_access(self):
        """Holds decide whether sales go through: only credit managers may touch them.

        Field-level ``groups`` would also hide the hold from the salespeople who must
        see it, so the write itself is guarded instead.
        """
        if self.env.su or self.env.user.has_group("credit_collection.group_credit_manager"):
            return
        raise AccessError(
            self.env._(
                "Only a credit manager can put a customer on credit hold or release it. "
                'Ask a member of the group "Credit & Collections / Credit Manager".'
            )
        )

    # ------------------------------------------------------------
    # COLLECTIONS
    # ------------------------------------------------------------

    def _get_collection_policy(self):
        """The dunning policy of each customer in ``self``: ``{partner id: policy}``.

        The one place that decides which policy applies, in the current company: the
        customer's own policy, else the company's default. Credit grades plug in here by
        overriding this method.
        """
        company = self.env.company
        default = company.collection_policy_id or self.env.ref(
            "credit_collection.collection_policy_default", raise_if_not_found=False
        )
        policies = {}
        for partner in self.with_company(company):
            commercial = partner.commercial_partner_id
            policies[partner.id] = commercial.collection_policy_id or default
        return policies

    def _get_collection_risk_factor(self):
        """Risk weight of each customer in the case priority; 1.0 until grades exist."""
        return dict.fromkeys(self.ids, 1.0)

    def _get_collection_user(self, company):
        """The collector of each customer in ``company``: ``{partner id: user id}``."""
        default = company.collection_user_id.id
        return {
            partner.id: partner.with_company(company).collection_user_id.id or default
            for partner in self
        }

    def _put_on_collection_hold(self, level):
        """A dunning level reached: hold the customer (the run acts as the system)."""
        to_hold = self.commercial_partner_id.filtered(lambda p: not p.credit_hold)
        to_hold.sudo().write(
            {
                "credit_hold": True,
                "credit_hold_reason": self.env._(
                    "Overdue invoices reached the dunning level %(level)s.", level=level.name
                ),
            }
        )
