"""Every role opens what it can see the way the web client does.

A screen that crashes for a role is found here, not by a salesperson on a Monday: for each
role (a user holding exactly its groups, working for two companies) the test opens every
menu of the addon the role sees and every form the addon extends, asking `get_views` for
the views and then reading with the field specification those views carry, as the web
client does. A field the role may not read must be hidden from it (field ``groups``), not
crash its form.
"""

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ROLE_GROUPS, TwoCompanyWorldCommon

ALL_ROLES = tuple(ROLE_GROUPS)
BACK_OFFICE = ("billing", "accountant", "collector", "manager")
COLLECTIONS = ("collector", "manager")
X2MANY = ("one2many", "many2many")
SUBVIEWS = ("list", "kanban", "form")


def field_spec(arch, models, model):
    """The `web_read` specification of a view: each field of the arch (not those of its
    x2many subviews, which become the sub-specification of their field)."""
    node = etree.fromstring(arch) if isinstance(arch, str) else arch
    fields_info = models[model]["fields"]
    spec = {}
    for field in _own_fields(node):
        name = field.get("name")
        info = fields_info.get(name)
        if info is None:
            continue
        if info["type"] in X2MANY:
            subview = next((c for c in field if c.tag in SUBVIEWS), None)
            sub = (
                field_spec(subview, models, info["relation"])
                if subview is not None
                else {"display_name": {}}
            )
            spec[name] = {"fields": sub}
        elif info["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def _own_fields(node):
    """The <field> elements of a view that do not belong to a subview of another field."""
    for child in node:
        if child.tag == "field":
            yield child
        elif child.tag not in SUBVIEWS:
            yield from _own_fields(child)


@tagged("post_install", "-at_install")
class TestRoles(TwoCompanyWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._world_collections()

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _open(
        self, user, model, view_type, *, view_id=False, context=None, domain=None, record=None
    ):
        """Load a view as ``user`` and read with its specification: the records of a list
        view (``domain``), or ``record`` in a form view. Returns what was read."""
        env = self.env(
            user=user, context=dict(context or {}, allowed_company_ids=self.companies.ids)
        )
        try:
            views = env[model].get_views(
                [[view_id, view_type]], {"load_filters": True, "toolbar": True}
            )
            spec = field_spec(views["views"][view_type]["arch"], views["models"], model)
            if view_type == "form" and record is None:  # a new record: its defaults
                return [env[model].onchange({}, [], spec)["value"]]
            if view_type == "form":
                return env[model].browse(record.ids).web_read(spec)
            return env[model].web_search_read(domain or [], spec, limit=80)["records"]
        except AccessError as error:
            roles = [role for role, role_user in self.users.items() if role_user == user]
            raise AssertionError(
                f"the {roles} cannot open the {view_type} of {model}: {error}"
            ) from error

    def _menu_actions(self, user):
        """The window actions of the addon's menus that ``user`` reaches from the app's root
        (a menu is shown only when its ancestors are, as in the web client's menu tree)."""
        root = self.env.ref("credit_collection.menu_credit_collection_root")
        menus = self.env["ir.ui.menu"].with_user(user).search([("id", "child_of", root.id)])
        visible = menus._filter_visible_menus()
        actions = self.env["ir.actions.act_window"]
        for menu in visible:
            parent = menu
            reachable = root in visible
            while parent != root:
                parent = parent.parent_id
                reachable = reachable and parent in visible
            if reachable and menu.action and menu.action._name == actions._name:
                actions |= menu.action
        return actions

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_every_visible_menu_opens_for_every_role(self):
        for role, user in self.users.items():
            actions = self._menu_actions(user)
            if role in COLLECTIONS:
                self.assertTrue(actions, f"the {role} sees the Credit & Collections menus")
            for action in actions.sudo():
                eval_context = dict(
                    self.env["ir.actions.actions"].with_user(user)._get_eval_context(),
                    allowed_company_ids=self.companies.ids,
                )
                context = safe_eval(action.context or "{}", eval_context)
                domain = safe_eval(action.domain or "[]", dict(eval_context, context=context))
                views = dict((kind, view_id) for view_id, kind in action.views)
                with self.subTest(role=role, action=action.name, model=action.res_model):
                    list_type = "list" if "list" in views else next(iter(views))
                    rows = self._open(
                        user,
                        action.res_model,
                        list_type,
                        view_id=views[list_type],
                        context=context,
                        domain=domain,
                    )
                    if rows and "form" in views and list_type != "form":
                        record = self.env[action.res_model].browse(rows[0]["id"])
                        self._open(
                            user,
                            action.res_model,
                            "form",
                            view_id=views["form"],
                            context=context,
                            record=record,
                        )

    def test_every_form_the_addon_extends_opens_for_its_roles(self):
        forms = [
            ("res.partner", self.customer, ALL_ROLES),
            ("sale.order", self.orders, ALL_ROLES),
            ("account.move", self.invoices, ALL_ROLES),
            ("collection.case", self.cases, COLLECTIONS),
            ("collection.dispute", self.cases.dispute_ids, COLLECTIONS),
            ("collection.payment.plan", self.cases.plan_ids, COLLECTIONS),
            ("credit.review", self.customer.sudo().credit_review_ids, COLLECTIONS),
        ]
        for model, records, roles in forms:
            self.assertTrue(records, model)
            for role in roles:
                for record in records:
                    with self.subTest(role=role, model=model, company=record.company_id.name):
                        [read] = self._open(self.users[role], model, "form", record=record)
                        self.assertEqual(read["id"], record.id)

    def test_report_wizards_open_for_the_back_office(self):
        for model in ("credit.statement.wizard", "credit.aging.wizard"):
            for role in BACK_OFFICE:
                with self.subTest(role=role, model=model):
                    user = self.users[role]
                    wizard = self.env[model].with_user(user).create({})
                    [read] = self._open(user, model, "form", record=wizard)
                    self.assertEqual(read["company_id"]["id"], self.company.id)

    def test_salesperson_sees_the_credit_page_without_the_reviews(self):
        """The salesperson may not read credit reviews: the customer form hides them from
        the salesperson instead of failing on them."""
        user = self.users["salesperson"]
        views = self.env["res.partner"].with_user(user).get_views([[False, "form"]])
        spec = field_spec(views["views"]["form"]["arch"], views["models"], "res.partner")
        self.assertIn("credit_exposure", spec)
        self.assertNotIn("credit_review_ids", spec)
        collector_views = (
            self.env["res.partner"].with_user(self.users["collector"]).get_views([[False, "form"]])
        )
        self.assertIn("credit_review_ids", collector_views["views"]["form"]["arch"])
