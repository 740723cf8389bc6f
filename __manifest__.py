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
        "security/credit_aging_security.xml",
        "views/credit_aging_views.xml",
        "reports/credit_aging_report.xml",
        "views/menus.xml",
    ],
    "application": True,
}
