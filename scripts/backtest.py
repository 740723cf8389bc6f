"""make backtest CSV=path SPLIT=YYYY-MM-DD: the payment-date model's backtest on a CSV.

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True)
    parser.add_argument("--split", required=True, help="first invoice date of the test set")
    args = parser.parse_args()
    invoices = read_invoices(args.csv)
    figures = pp.backtest(invoices, parse_date(args.split))
    print(
        f"{len(invoices)} invoices read from {args.csv}; tested on {figures['n']} from {args.split}"
    )
    for key, value in figures.items():
        print(f"  {key:40} {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
