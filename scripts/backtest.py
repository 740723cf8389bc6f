"""make backtest CSV=path SPLIT=YYYY-MM-DD: the payment-date model's backtest on a CSV.

make backtest DB=name SPLIT=YYYY-MM-DD [COMPANY=id]: the same on a database's own ledger,
through the screen's wizard (credit.forecast.backtest.wizard): the invoices the nightly
forecast learns from, the same figures, nothing written.

The CSV has the columns of the IBM receivables sample (customerID, InvoiceDate, DueDate,
InvoiceAmount, Disputed, SettledDate, PaperlessBill; dates as month/day/year). Each test
invoice (dated on or after SPLIT) is predicted from what was settled before its date only.
Prints a short report, then, as its last line, one JSON object with the figures.
"""

import argparse
import csv
import importlib.util
import json
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "payment_prediction", ROOT / "tools" / "payment_prediction.py"
)
pp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pp)


def parse_date(text):
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text!r}: use month/day/year or YYYY-MM-DD")


def read_invoices(path):
    invoices = []
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            invoices.append(
                pp.Invoice(
                    key=row.get("invoiceNumber") or number,
                    customer=row["customerID"],
                    invoice_date=parse_date(row["InvoiceDate"]),
                    due_date=parse_date(row["DueDate"]),
                    amount=float(row["InvoiceAmount"]),
                    channel=row.get("PaperlessBill", ""),
                    disputed=row.get("Disputed", "No").strip().lower() in ("yes", "true", "1"),
                    settled=parse_date(row["SettledDate"]) if row.get("SettledDate") else None,
                )
            )
    return invoices


def database_backtest(args):
    """Run the wizard's backtest in ``args.database`` as the superuser; rolled back."""
    import odoo  # noqa: PLC0415 (the CSV backtest needs no Odoo)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    with Registry(args.database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].browse(args.company) if args.company else env.company
        wizard = (
            env["credit.forecast.backtest.wizard"]
            .with_company(company)
            .create({"company_id": company.id, "date_split": parse_date(args.split)})
        )
        wizard.action_run()
        figures = json.loads(wizard.result_json)
        print(
            f"{wizard.trained_count + figures['n']}+ paid invoices of {company.name} in "
            f"{args.database}; tested on {figures['n']} from {args.split} in "
            f"{wizard.duration:.1f} s"
        )
        cr.rollback()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv")
    parser.add_argument("--database", help="instead of --csv: a database with the addon")
    parser.add_argument("--company", type=int, help="with --database: company id")
    parser.add_argument("-c", "--config", default=str(ROOT / ".odoorc"))
    parser.add_argument("--split", required=True, help="first invoice date of the test set")
    args = parser.parse_args()
    if args.database:
        figures = database_backtest(args)
    elif args.csv:
        invoices = read_invoices(args.csv)
        figures = pp.backtest(invoices, parse_date(args.split))
        print(
            f"{len(invoices)} invoices read from {args.csv}; "
            f"tested on {figures['n']} from {args.split}"
        )
    else:
        parser.error("give --csv or --database")
    for key, value in figures.items():
        print(f"  {key:40} {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
