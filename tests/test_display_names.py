"""Every record of the addon names itself: a chatter link, a breadcrumb or an error message
shows what it is ("Dispute on INV/2026/00001"), never "collection.dispute,3"."""

from odoo.models import BaseModel
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDisplayNames(TransactionCase):
    def test_every_model_of_the_addon_has_a_display_name(self):
        models = self.env["ir.model"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "credit_collection"), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        self.assertGreater(len(models), 20, "the addon's models are found")
        unnamed = []
        for model_name in models.mapped("model"):
            model = self.env[model_name]
            # records that are kept (wizards and their rows are transient: their dialog shows
            # the action's name)
            if model._abstract or model._transient:
                continue
            if not model_name.startswith(("credit.", "collection.")):
                continue
            named_by_field = model._rec_name and model._rec_name in model._fields
            computed = type(model)._compute_display_name is not BaseModel._compute_display_name
            if not (named_by_field or computed):
                unnamed.append(model_name)
        self.assertFalse(unnamed, "models whose records would read 'model,id'")
