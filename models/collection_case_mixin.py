from odoo import Command, api, fields, models


class CollectionCaseMixin(models.AbstractModel):
    """What every record hanging off a collection case shares: the case, and the customer
    and company copied from it and stored, so that lists group by customer and record
    rules filter by company without a join."""

    _name = "collection.case.mixin"
    _description = "Collection Case Record"

    case_id = fields.Many2one("collection.case", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="case_id.partner_id", store=True, string="Customer")
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _create_covering_invoices(self, create, vals_list):
        """Create records that cover invoices of their case (promises, plans) for a user
        who may work the case without accounting rights.

        Without invoices chosen, a record covers every open invoice of its case, chosen
        before it exists so that its checks see them. Linking invoices needs read access
        to them, which a collector may not hold: after the access and decision checks the
        user would get anyway, ``create`` (the model's ``super().create``) runs as
        superuser; the model's constraints keep the invoices to the case's customer and
        company, and the user stays the author.
        """
        for vals in vals_list:
            if vals.get("case_id") and not vals.get("move_ids"):
                case = self.env["collection.case"].browse(vals["case_id"])
                vals["move_ids"] = [Command.set(case.invoice_ids.ids)]
        if self.env.su:
            return create(self, vals_list)
        self.check_access("create")
        for vals in vals_list:
            self._check_decision_vals(vals, creating=True)
        records = create(self.sudo(), vals_list).sudo(False)
        records.check_access("create")
        return records
