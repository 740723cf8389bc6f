from odoo import models
from odoo.tools import plaintext2html


class ResPartner(models.Model):
    """Credit holds across companies and the holds of the dunning run: set in the case's
    company, lifted once nothing is overdue unless a credit manager changed them."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_credit_hold_all_companies(self):
        """Write this company's hold and reason in every company of the customer the credit
        manager may work in: a customer stopped by one company is often stopped by all."""
        self.ensure_one()
        self.env["credit.decision.mixin"]._check_credit_manager()
        customer = self.commercial_partner_id
        companies = self.env.user.company_ids
        if customer.company_id:
            companies &= customer.company_id
        vals = {
            "credit_hold": customer.credit_hold,
            "credit_hold_reason": customer.credit_hold_reason,
        }
        for company in companies - self.env.company:
            customer.with_company(company).write(vals)
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _put_on_collection_hold(self, level):
        """A dunning level reached: hold the customer in the env company (the case's), the
        run acting as the system; the hold remembers it came from dunning."""
        to_hold = self.commercial_partner_id.filtered(lambda p: not p.credit_hold)
        to_hold.sudo().write(
            {
                "credit_hold": True,
                "credit_hold_reason": self.env._(
                    "Overdue invoices reached the dunning level %(level)s.", level=level.name
                ),
                "credit_hold_origin": "dunning",
            }
        )

    def _release_collection_holds(self, companies=None):
        """Lift the holds the dunning run set once nothing is overdue any more, in ``companies``
        (default: the env company). A hold a credit manager set or changed is theirs to lift:
        they get a to-do instead. One exposure query per company, only for held customers."""
        for company in companies or self.env.company:
            customers = (
                self.commercial_partner_id.with_company(company).sudo().filtered("credit_hold")
            )
            if not customers:
                continue
            exposure = customers._get_credit_exposure(
                company, overdue_days=dict.fromkeys(customers.ids, 0)
            )
            cleared = customers.browse(
                p.id for p in customers if company.currency_id.is_zero(exposure[p.id]["overdue"])
            )
            dunning = cleared.filtered(lambda p: p.credit_hold_origin == "dunning")
            dunning.write(
                {"credit_hold": False, "credit_hold_reason": False, "credit_hold_origin": False}
            )
            for partner in dunning:
                partner.message_post(
                    body=self.env._(
                        "Nothing is overdue any more in %(company)s: the credit hold set by the "
                        "dunning run is lifted.",
                        company=company.name,
                    )
                )
            cleared.filtered(
                lambda p: p.credit_hold_origin == "dunning_changed"
            )._ask_managers_to_release(company)

    def _ask_managers_to_release(self, company):
        """A to-do for each credit manager of ``company`` (once) on held customers with
        nothing overdue whose hold was set or changed by hand."""
        for user in company._get_credit_managers():
            env = self.with_context(lang=user.lang).env
            summary = env._("Nothing overdue: release the credit hold?")
            for partner in self:
                if partner.activity_ids.filtered(
                    lambda a, u=user, s=summary: a.user_id == u and a.summary == s
                ):
                    continue
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=summary,
                    note=plaintext2html(
                        env._(
                            "%(customer)s has nothing overdue in %(company)s any more, but its "
                            "hold was set or changed by hand: decide whether to release it.",
                            customer=partner.name,
                            company=company.name,
                        )
                    ),
                )
