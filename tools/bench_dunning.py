"""Benchmark of the dunning run; run inside `odoo shell` (stdin), see docs/ARCHITECTURE.md.

    source tools/common.sh; CUSTOMERS=200 INVOICES=2000 odoo_shell -d DB < tools/bench_dunning.py

Creates posted invoices due from 1 to 120 days ago when the database has fewer, then times
deciding (the notices recorded) apart from acting (emails and activities queued), and a
second run the same day.
"""

import os
import random
import time
from datetime import timedelta

from odoo import Command, fields

customers = int(os.environ.get("CUSTOMERS", "200"))
invoices = int(os.environ.get("INVOICES", "2000"))
company = env.company  # noqa: F821 (odoo shell)
Case = env["collection.case"]  # noqa: F821
today = fields.Date.today()
rng = random.Random(7)

partners = env["res.partner"].search([("name", "like", "Bench Customer %")])  # noqa: F821
if len(partners) < customers:
    partners |= env["res.partner"].create(  # noqa: F821
        [
            {"name": f"Bench Customer {i}", "is_company": True}
            for i in range(len(partners), customers)
        ]
    )
existing = env["account.move"].search_count([("partner_id", "in", partners.ids)])  # noqa: F821
product = env["product.product"].search([], limit=1)  # noqa: F821
for start in range(existing, invoices, 500):
    moves = env["account.move"].create(  # noqa: F821
        [
            {
                "move_type": "out_invoice",
                "partner_id": rng.choice(partners).id,
                "invoice_date": today - timedelta(days=150),
                "invoice_date_due": today - timedelta(days=rng.randint(1, 120)),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "price_unit": rng.randint(100, 5000),
                            "tax_ids": [],
                        }
                    )
                ],
            }
            for __ in range(start, min(start + 500, invoices))
        ]
    )
    moves.action_post()
    env.cr.commit()  # noqa: F821
env.cr.execute("ANALYZE account_move, account_move_line, res_partner")  # noqa: F821
print(f"{invoices} invoices of {customers} customers")


def timed(label, func):
    env.flush_all()  # noqa: F821
    queries = env.cr.sql_log_count  # noqa: F821
    start = time.perf_counter()
    result = func()
    env.flush_all()  # noqa: F821
    print(f"{label}: {time.perf_counter() - start:.2f} s, {env.cr.sql_log_count - queries} queries")  # noqa: F821
    return result


env["collection.notice"].search([]).unlink()  # noqa: F821
env["collection.case"].search([]).unlink()  # noqa: F821
env.cr.commit()  # noqa: F821
rows = timed("first run, deciding", lambda: Case._record_notices(company, today))
print(f"  {len(rows)} notices recorded")
timed("first run, acting", lambda: Case._send_queued_notices(company, 100, commit=False))
timed("second run (whole run)", lambda: Case._run_dunning(commit=False))
env.cr.rollback()  # noqa: F821
