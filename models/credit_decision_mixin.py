from odoo import api, models
from odoo.exceptions import AccessError

CREDIT_MANAGER_GROUP = "credit_collection.group_credit_manager"


class CreditDecisionMixin(models.AbstractModel):
    """Fields that record a decision are written by the action that decides, nowhere else.

    A state, an approval, "who decided" or an amount settled by a decision is only worth
    its audit trail. The ORM does not enforce ``readonly``, and any logged-in user can send
    ``create``/``write`` over JSON-RPC with what the form hides. So a model lists its
    decision fields in ``_decision_fields`` and a plain ``create``/``write`` refuses them;
    the action checks the user's rights, then writes through ``_write_decision``, which
    runs as superuser (something no RPC call can ask for) while the user stays the author
    of the tracking messages.
    """

    _name = "credit.decision.mixin"
    _description = "Decision fields written by their actions only"

    # names of the fields that only actions write
    _decision_fields = ()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_decision_vals(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_decision_vals(vals)
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _write_decision(self, vals):
        """Write decision fields; the caller has checked that the user may decide."""
        return self.sudo().write(vals)

    def _check_decision_vals(self, vals, creating=False):
        forged = set(self._decision_fields).intersection(vals)
        if creating and forged:
            # a new record may carry a decision field at its default value (a form sends it)
            defaults = self.default_get(list(forged))
            forged = {
                fname
                for fname in forged
                if vals[fname] != defaults.get(fname) and (vals[fname] or defaults.get(fname))
            }
        if forged:
            fname = sorted(forged)[0]
            raise AccessError(
                self.env._(
                    '"%(field)s" of %(model)s is set by the buttons that decide it, which '
                    "check who may decide and record it; it cannot be written directly.",
                    field=self._fields[fname]._description_string(self.env),
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )

    @api.model
    def _check_credit_manager(self, message=None):
        """Raise unless the user is a credit manager (or the system acting for itself)."""
        if self.env.su or self.env.user.has_group(CREDIT_MANAGER_GROUP):
            return
        raise AccessError(
            message
            or self.env._(
                'Only a credit manager can do this. Ask a member of the group "Credit & '
                'Collections / Credit Manager".'
            )
        )
