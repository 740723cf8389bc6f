"""Company data stays in its company.

Any logged-in user can search, read, write and unlink over JSON-RPC whatever the access
matrix lets them, with any ids: only a record rule keeps one company's records from the
users of another. A new model of the addon that holds company data without a rule fails
the enumeration below; the two-company tests check that the rules actually hold.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TwoCompanyWorldCommon, new_role_user

MODULE = "credit_collection"


@tagged("post_install", "-at_install")
class TestSecurityRules(TwoCompanyWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._world_collections()
        cls.scorecard_2 = cls.env["credit.scorecard"].create(
            {
                "name": "Shanghai scorecard",
                "company_id": cls.company_2.id,
                "factor_ids": [
                    Command.create(
                        {
                            "indicator": "years_in_business",
                            "weight": 100.0,
                            "band_ids": [
                                Command.create(
                                    {"value_from": 0.0, "value_to": 100.0, "points": 50.0}
                                )
                            ],
                        }
                    )
                ],
            }
        )
        cls.policy_2 = cls.env["collection.policy"].create(
            {
                "name": "Shanghai policy",
                "company_id": cls.company_2.id,
                "level_ids": [Command.create({"name": "Reminder", "days": 5})],
            }
        )
        # a manager of the first company only: the strongest role, in the wrong company
        cls.manager_1 = new_role_user(cls.env, "manager", "rules_manager_1", cls.company)

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _module_models(self):
        """The addon's own stored models (not the ones it extends)."""
        return [
            model
            for model in self.env.registry.values()
            if model._original_module == MODULE and not model._abstract
        ]

    def _holds_company_data(self, model, seen=()):
        """A company_id field, or a required many2one to a model that holds company data."""
        if "company_id" in model._fields:
            return True
        return any(
            field.type == "many2one"
            and field.required
            and field.comodel_name not in seen
            and self._holds_company_data(
                self.env.registry[field.comodel_name], (*seen, model._name)
            )
            for field in model._fields.values()
        )

    def _company_2_records(self):
        """One record of company 2 for a representative set of models."""
        case = self.cases.filtered(lambda c: c.company_id == self.company_2)
        review = self.env["credit.review"].search(
            [("company_id", "=", self.company_2.id), ("partner_id", "=", self.customer.id)]
        )
        factor = self.scorecard_2.factor_ids
        return [
            case,
            case.dispute_ids,
            case.plan_ids,
            case.plan_ids.installment_ids,
            review,
            review.line_ids[:1],
            factor,
            factor.band_ids,
            self.policy_2,
            self.policy_2.level_ids,
        ]

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_every_model_with_company_data_has_a_record_rule(self):
        models = self._module_models()
        self.assertGreater(len(models), 20, "the addon's models are found")
        ruled = set(self.env["ir.rule"].sudo().search([]).mapped("model_id.model"))
        missing = sorted(
            model._name
            for model in models
            if self._holds_company_data(model) and model._name not in ruled
        )
        self.assertFalse(missing, f"models holding company data without a record rule: {missing}")

    def test_a_user_of_one_company_cannot_reach_another_companys_records(self):
        for records in self._company_2_records():
            self.assertTrue(records, "the world holds the record")
            record = records[:1]
            theirs = record.with_user(self.manager_1)
            with self.subTest(model=record._name):
                self.assertFalse(theirs.search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    theirs.read(["display_name"])
                with self.assertRaises(AccessError):  # what write() checks first
                    theirs.check_access("write")
                with self.assertRaises(AccessError):
                    theirs.unlink()
                self.assertTrue(record.exists(), "nothing was deleted")
