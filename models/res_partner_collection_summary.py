from odoo import api, models

SEE_ALL_GROUPS = (
    "sales_team.group_sale_salesman_all_leads",
    "credit_collection.group_credit_collector",
    "credit_collection.group_credit_manager",
)
CLOSED_CASE_STATES = ("closed", "written_off")


class ResPartner(models.Model):
    """What a salesperson may know of the collection of their own customers.

    Salespeople do not read collection cases and logs (a collector's notes are not theirs);
    they see, on their own customers, where the collection stands: read as superuser in the
    current company, and left empty on the customers of other salespeople unless the user
    sees all sales documents or works in collections.
    """

    _name = "res.partner"
    _inherit = ["res.partner", "collection.summary.mixin"]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company", "uid")
    def _compute_collection_summary(self):
        summary = self._get_collection_summary(self.env.company)
        for partner in self:
            partner.update(summary[partner.id])

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_collection_summary(self, company):
        """``{partner id: summary values}`` in ``company`` for the partners of ``self``, with
        one search of open cases and one grouped read of their contacts."""
        empty = {
            "collection_summary_state": False,
            "collection_summary_currency_id": company.currency_id.id,
            "collection_summary_overdue": 0.0,
            "collection_summary_days": 0,
            "collection_summary_level": False,
            "collection_summary_last_contact": False,
        }
        result = {partner.id: dict(empty) for partner in self}
        visible = self._filter_collection_visible()
        customers = visible.commercial_partner_id._origin
        if not customers:
            return result
        cases = (
            self.env["collection.case"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("state", "not in", CLOSED_CASE_STATES),
                ],
                order="id desc",
            )
        )
        contacts = dict(
            self.env["collection.log"]
            .sudo()
            ._read_group([("case_id", "in", cases.ids)], ["case_id"], ["date:max"])
        )
        states = dict(cases._fields["state"]._description_selection(self.env))
        by_customer = {}
        for case in cases:
            by_customer.setdefault(case.partner_id.id, case)
        for partner in visible:
            case = by_customer.get(partner.commercial_partner_id._origin.id)
            if case:
                result[partner.id].update(
                    {
                        "collection_summary_state": states[case.state],
                        "collection_summary_overdue": case.amount_overdue,
                        "collection_summary_days": case.days_overdue,
                        "collection_summary_level": case.level_id.with_env(self.env).name,
                        "collection_summary_last_contact": contacts.get(case),
                    }
                )
        return result

    def _filter_collection_visible(self):
        """The partners whose collection the user may see: all of them for collections and
        for salespeople who see all documents, else those whose salesperson they are."""
        user = self.env.user
        if self.env.su or any(user.has_group(group) for group in SEE_ALL_GROUPS):
            return self
        return self.filtered(lambda p: p.commercial_partner_id.user_id == user)
