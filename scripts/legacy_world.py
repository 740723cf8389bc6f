# ruff: noqa: F821  (env is given by `odoo shell`)
"""The business a company already runs when it installs the addon (tests only).

Run through `odoo shell` on a database with Odoo's modules and WITHOUT credit_collection
(scripts/test.sh builds it once into a template): two companies in two currencies (the main
one in USD, a Chinese one in CNY) selling to the same customers, each with its own credit
limits and payment terms, invoices (one customer invoiced in EUR) partly and fully paid,
confirmed and draft orders. What users entered is stored as JSON in the system parameter
credit_collection.test.legacy_snapshot; tests/test_existing_data.py checks that installing
the addon and running its crons change none of it.
"""

import json
from datetime import date, timedelta

from odoo import Command

SNAPSHOT_KEY = "credit_collection.test.legacy_snapshot"
TODAY = date.today()
ENV = env  # noqa: F821

# name, {company key: (credit limit, payment term xmlid)}
CUSTOMERS = [
    ("Legacy Steel Works", {"usd": (50000.0, "account.account_payment_term_30days")}),
    (
        "Legacy Pacific Imports",
        {
            "usd": (20000.0, "account.account_payment_term_15days"),
            "cny": (150000.0, "account.account_payment_term_30days"),
        },
    ),
    ("Legacy Shanghai Machinery", {"cny": (300000.0, "account.account_payment_term_45days")}),
    ("Legacy Euro Parts GmbH", {"usd": (8000.0, "account.account_payment_term_immediate")}),
]


def setup_companies():
    """The main company in USD, a Chinese company in CNY with the generic chart."""
    main = ENV.ref("base.main_company")
    cny = ENV.ref("base.CNY")
    eur = ENV.ref("base.EUR")
    (cny | eur).active = True
    company = ENV["res.company"].create(
        {"name": "Legacy Shanghai Co., Ltd.", "currency_id": cny.id}
    )
    ENV.user.company_ids |= company
    ENV["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    # the generic chart is an American one: it sets the company's currency to USD
    company.currency_id = cny
    ENV["product.pricelist"].search([("company_id", "=", company.id)]).currency_id = cny
    for day, usd_per_cny, usd_per_eur in ((TODAY - timedelta(days=400), 0.14, 1.08),):
        ENV["res.currency.rate"].create(
            [
                {
                    "name": day,
                    "currency_id": cny.id,
                    "company_id": main.id,
                    "rate": 1 / usd_per_cny,
                },
                {
                    "name": day,
                    "currency_id": eur.id,
                    "company_id": main.id,
                    "rate": 1 / usd_per_eur,
                },
                {
                    "name": day,
                    "currency_id": ENV.ref("base.USD").id,
                    "company_id": company.id,
                    "rate": usd_per_cny,
                },
                {
                    "name": day,
                    "currency_id": eur.id,
                    "company_id": company.id,
                    "rate": usd_per_cny / usd_per_eur,
                },
            ]
        )
    return {"usd": main, "cny": company}, eur


def setup_customers(companies):
    """Customers with their own limit (Odoo's per-company credit limit) and terms."""
    customers = {}
    for name, terms in CUSTOMERS:
        partner = ENV["res.partner"].create(
            {"name": name, "is_company": True, "email": "ar@legacy.example.com"}
        )
        for key, (limit, term) in terms.items():
            partner.with_company(companies[key]).write(
                {"credit_limit": limit, "property_payment_term_id": ENV.ref(term).id}
            )
        customers[name] = partner
    for company in companies.values():
        company.account_use_credit_limit = True
    return customers


def invoice(company, partner, amount, days_ago, currency=None):
    move = (
        ENV["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": partner.id,
                "currency_id": (currency or company.currency_id).id,
                "invoice_date": TODAY - timedelta(days=days_ago),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
    )
    move.action_post()
    return move


def pay(move, amount=None):
    values = {"payment_date": TODAY - timedelta(days=5)}
    if amount is not None:
        values["amount"] = amount
    ENV["account.payment.register"].with_company(move.company_id).with_context(
        active_model="account.move", active_ids=move.ids
    ).create(values)._create_payments()


def setup_invoices(companies, customers, eur):
    usd, cny = companies["usd"], companies["cny"]
    steel = customers["Legacy Steel Works"]
    pacific = customers["Legacy Pacific Imports"]
    shanghai = customers["Legacy Shanghai Machinery"]
    euro = customers["Legacy Euro Parts GmbH"]
    pay(invoice(usd, steel, 12000.0, 90))  # fully paid
    pay(invoice(usd, steel, 9000.0, 60), 4000.0)  # partly paid
    invoice(usd, steel, 7000.0, 10)
    invoice(usd, pacific, 3000.0, 40)
    pay(invoice(cny, pacific, 80000.0, 70), 30000.0)
    invoice(cny, shanghai, 120000.0, 100)
    pay(invoice(cny, shanghai, 45000.0, 20))
    pay(invoice(usd, euro, 5000.0, 75, currency=eur), 2000.0)  # in a third currency
    invoice(usd, euro, 1500.0, 5, currency=eur)


def setup_orders(companies, customers):
    product = ENV["product.product"].create(
        {"name": "Legacy Gearbox", "list_price": 1000.0, "taxes_id": []}
    )
    rows = [
        ("usd", "Legacy Steel Works", 5, True),
        ("usd", "Legacy Pacific Imports", 2, False),
        ("cny", "Legacy Shanghai Machinery", 40, True),
        ("cny", "Legacy Pacific Imports", 10, False),
        ("usd", "Legacy Euro Parts GmbH", 1, True),
    ]
    for key, name, qty, confirm in rows:
        company = companies[key]
        order = (
            ENV["sale.order"]
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": customers[name].id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()


def snapshot(companies, customers):
    """What users entered: limits and terms per company, orders, invoice residuals."""
    partners = ENV["res.partner"].browse([p.id for p in customers.values()])
    data = {"partners": {}, "orders": {}, "invoices": {}}
    for partner in partners:
        data["partners"][str(partner.id)] = {
            str(company.id): {
                "credit_limit": partner.with_company(company).credit_limit,
                "payment_term": partner.with_company(company).property_payment_term_id.id,
            }
            for company in companies.values()
        }
    for order in ENV["sale.order"].search([("partner_id", "in", partners.ids)]):
        data["orders"][str(order.id)] = {"state": order.state, "amount_total": order.amount_total}
    for move in ENV["account.move"].search(
        [("partner_id", "in", partners.ids), ("move_type", "=", "out_invoice")]
    ):
        data["invoices"][str(move.id)] = {
            "state": move.state,
            "amount_residual": move.amount_residual,
            "currency": move.currency_id.name,
        }
    ENV["ir.config_parameter"].sudo().set_param(SNAPSHOT_KEY, json.dumps(data, sort_keys=True))
    return data


def main():
    companies, eur = setup_companies()
    customers = setup_customers(companies)
    setup_invoices(companies, customers, eur)
    setup_orders(companies, customers)
    data = snapshot(companies, customers)
    ENV.cr.commit()
    counts = {key: len(rows) for key, rows in data.items()}
    print(f"legacy world: {counts}")


main()
