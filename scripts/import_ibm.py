"""Import the IBM accounts-receivable sample into the demo database's main company.

Run by `scripts/demo.sh` when DATA=ibm (`make demo DATA=ibm`), through `odoo-bin shell`:

    IBM_CSV=../shared/data/ibm-accounts-receivable.csv odoo-bin shell -d DB < scripts/import_ibm.py

The file (see ../shared/data/README.md) holds 2,466 paid invoices of 100 customers,
2012-2013. Each becomes:

* a customer company "IBM sample customer <customerID>" with ref = customerID;
* a posted customer invoice dated InvoiceDate with the 30-day payment term (every row of
  the sample has DueDate = InvoiceDate + 30), one untaxed line of InvoiceAmount in the
  company currency, ref and payment reference = invoiceNumber, "Disputed" noted in the
  terms (narration) when Disputed = Yes;
* a payment of the full amount dated SettledDate, reconciled with the invoice.

countryCode is not an ISO 3166 code (391, 406, 770, 897 are no country; 818 would be
Egypt), so the five codes are mapped to five markets of the demo company: see COUNTRIES.

Idempotent: invoices whose invoiceNumber is already the ref of an invoice of the company
are skipped, customers are matched on ref. Works in chunks committed one by one, so an
interrupted import resumes where it stopped.
"""

import csv
import os
import time
from datetime import datetime
from pathlib import Path

from odoo import Command
from odoo.modules.module import get_module_path

SHELL_ENV = env  # noqa: F821
ENV = SHELL_ENV(
    context=dict(
        SHELL_ENV.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
)
ROOT = Path(get_module_path("credit_collection") or ".").resolve()  # the repository root
CSV_PATH = Path(
    os.environ.get("IBM_CSV") or ROOT.parent / "shared/data/ibm-accounts-receivable.csv"
)
CHUNK = 500
COUNTRIES = {"391": "CN", "406": "US", "770": "DE", "818": "JP", "897": "SG"}


def read_rows(path):
    """The CSV rows with parsed dates and amounts."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for key in ("InvoiceDate", "DueDate", "SettledDate"):
            row[key] = datetime.strptime(row[key], "%m/%d/%Y").date()
        row["InvoiceAmount"] = float(row["InvoiceAmount"])
    return rows


def ensure_customers(rows, company):
    """{customerID: partner}, creating the customers not imported yet."""
    partners = ENV["res.partner"].search(
        [("ref", "in", list({r["customerID"] for r in rows})), ("is_company", "=", True)]
    )
    by_ref = {p.ref: p for p in partners}
    countries = {
        c.code: c for c in ENV["res.country"].search([("code", "in", list(COUNTRIES.values()))])
    }
    missing = {}
    for row in rows:
        if row["customerID"] not in by_ref:
            missing[row["customerID"]] = {
                "name": f"IBM sample customer {row['customerID']}",
                "ref": row["customerID"],
                "is_company": True,
                "company_id": company.id,
                "country_id": countries[COUNTRIES[row["countryCode"]]].id,
                "lang": "en_US",
            }
    by_ref.update({p.ref: p for p in ENV["res.partner"].create(list(missing.values()))})
    return by_ref


def _invoice_vals(row, partner, company, term):
    disputed = row["Disputed"] == "Yes"
    return {
        "move_type": "out_invoice",
        "company_id": company.id,
        "partner_id": partner.id,
        "invoice_date": row["InvoiceDate"],
        "invoice_payment_term_id": term.id,
        "ref": row["invoiceNumber"],
        "payment_reference": row["invoiceNumber"],
        "narration": "Disputed by the customer (IBM sample)." if disputed else False,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": f"IBM sample invoice {row['invoiceNumber']} ({row['PaperlessBill']})",
                    "quantity": 1,
                    "price_unit": row["InvoiceAmount"],
                    "tax_ids": [Command.clear()],
                }
            )
        ],
    }


def _payment_vals(row, invoice, journal):
    return {
        "payment_type": "inbound",
        "partner_type": "customer",
        "partner_id": invoice.partner_id.id,
        "amount": invoice.amount_total,
        "date": row["SettledDate"],
        "journal_id": journal.id,
        "memo": row["invoiceNumber"],
    }


def import_chunk(rows, customers, company, term, journal):
    """Create, post, pay and reconcile one chunk of invoices, then commit."""
    invoices = (
        ENV["account.move"]
        .with_company(company)
        .create([_invoice_vals(row, customers[row["customerID"]], company, term) for row in rows])
    )
    invoices.action_post()
    payments = (
        ENV["account.payment"]
        .with_company(company)
        .create(
            [
                _payment_vals(row, invoice, journal)
                for row, invoice in zip(rows, invoices, strict=True)
            ]
        )
    )
    payments.action_post()
    ENV["account.move.line"]._reconcile_plan(
        [
            (invoice | payment.move_id).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            for invoice, payment in zip(invoices, payments, strict=True)
        ]
    )
    ENV.cr.commit()
    return invoices


def main():
    started = time.time()
    company = ENV.ref("base.main_company")
    if not CSV_PATH.is_file():
        raise SystemExit(
            f"IBM sample not found at {CSV_PATH}: "
            "set IBM_CSV to the path of ibm-accounts-receivable.csv"
        )
    rows = read_rows(CSV_PATH)
    done = set(
        ENV["account.move"]
        .search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("ref", "in", [r["invoiceNumber"] for r in rows]),
            ]
        )
        .mapped("ref")
    )
    todo = sorted(
        (r for r in rows if r["invoiceNumber"] not in done),
        key=lambda r: (r["InvoiceDate"], r["invoiceNumber"]),
    )
    customers = ensure_customers(rows, company)
    term = ENV.ref("account.account_payment_term_30days")
    journal = ENV["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
    )
    for start in range(0, len(todo), CHUNK):
        import_chunk(todo[start : start + CHUNK], customers, company, term, journal)
        print(
            f"  {min(start + CHUNK, len(todo))}/{len(todo)} invoices, {time.time() - started:.0f}s",
            flush=True,
        )
    print(
        f"IBM import from {CSV_PATH}: {len(customers)} customers, {len(todo)} invoices "
        f"and payments imported, {len(done)} already there, in {time.time() - started:.0f}s"
    )


main()
