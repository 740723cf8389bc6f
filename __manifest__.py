{
    "name": "Credit & Collections",
    "summary": "Customer credit files and grades, credit limits that stop a sale, "
    "collection cases, statements and aging reports",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Credit & Collections developers",
    "website": "https://github.com/credit-collection/credit_collection",
    "maintainers": ["credit-collection"],
    "license": "LGPL-3",
    "depends": ["account", "sale", "mail"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/credit_collection_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "security/credit_control_security.xml",
        "views/credit_approval_request_views.xml",
        "views/credit_limit_increase_views.xml",
        "wizards/credit_approval_wizard_views.xml",
        "data/credit_control_cron.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "credit_collection/static/src/js/tours/*.js",
        ],
    },
    "application": True,
}
