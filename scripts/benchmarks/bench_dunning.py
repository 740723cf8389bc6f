"""The daily dunning run (issue 7): deciding apart from sending, a second run the same day,
and what sending and printing letters cost per customer.

Every function starts from no notice, case or letter batch (deleted inside the savepoint
the runner rolls back afterwards) and uses one frozen "today": the date of the database's
newest invoice, so that every run sees the same overdue invoices. Only the ``with timer:``
block is measured.

- ``bench_decide_first_run``: the levels reached by every open invoice of the company,
  recorded as notices (one INSERT ... ON CONFLICT), as on the first run.
- ``bench_second_run_same_day``: the whole run (promises, plans, deciding, sending, case
  totals, letters) after a first run whose notices were sent and letters batched.
- ``bench_send_50_customers_*``: the sending step (cases, one email per customer and level,
  activities, holds) for the 50 customers with the fewest and with the most notices:
  divide by 50 for the cost per customer; it must not grow with the number of invoices.
- ``bench_print_5_letters``: one PDF of 5 dunning letters (wkhtmltopdf), per collector batch.
- ``bench_pay_busiest_customer_*``: a payment matched during the day, with and without an
  open case whose totals it refreshes, for the customer with the most open invoices.
"""

from odoo import Command
from odoo.tools import SQL

SAMPLE = 50


def _today(env):
    """The frozen "today": the date of the newest posted customer invoice."""
    [(today,)] = env.execute_query(
        SQL(
            "SELECT MAX(invoice_date) FROM account_move "
            "WHERE move_type = 'out_invoice' AND state = 'posted'"
        )
    )
    return today


def _start_clean(env):
    """No notice, case or letter batch: the state before the first run."""
    env.flush_all()
    for table in ("collection_letter_batch", "collection_notice", "collection_case"):
        env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
    env.invalidate_all()
    return env.company, _today(env)


def _queued_by_customer(env, company):
    """[(partner, notice ids)] of the notices still queued, per customer."""
    return env["collection.notice"]._read_group(
        [("company_id", "=", company.id), ("state", "=", "queued")],
        ["partner_id"],
        ["id:array_agg"],
    )


def bench_decide_first_run(env, timer):
    company, today = _start_clean(env)
    with timer:
        recorded = env["collection.case"]._record_notices(company, today)
    assert recorded, "no overdue invoice: nothing was decided"


def bench_second_run_same_day(env, timer):
    company, today = _start_clean(env)
    cases = env["collection.case"]
    cases._record_notices(company, today)
    groups = _queued_by_customer(env, company)
    # the first run's sending, without rendering 600 emails: cases opened, notices sent
    opened = cases._get_or_open_cases(env["res.partner"].concat(*(p for p, __ in groups)), company)
    for partner, ids in groups:
        env["collection.notice"].browse(ids).write({"state": "sent", "case_id": opened[partner].id})
    cases.search([("company_id", "=", company.id)])._refresh_amounts(today)
    letters = env["collection.notice"].search(
        [("state", "=", "sent"), ("level_id.channel", "=", "letter")]
    )
    report = env.ref("credit_collection.action_report_dunning_letter")
    for user, notices in letters.grouped(lambda n: n.case_id.user_id).items():
        batches = env["collection.letter.batch"]
        batches.create(batches._prepare_batch_vals(notices, company, user, report, today))
    env.flush_all()
    with timer:
        cases._run_dunning(commit=False, today=today)
    assert not env["collection.notice"].search_count([("state", "=", "queued")])


def _send_sample(env, timer, most):
    company, today = _start_clean(env)
    cases = env["collection.case"]
    cases._record_notices(company, today)
    groups = sorted(
        _queued_by_customer(env, company), key=lambda g: (len(g[1]), g[0].id), reverse=most
    )[:SAMPLE]
    notices = env["collection.notice"].browse([nid for __, ids in groups for nid in ids])
    env.flush_all()
    with timer:
        cases._send_notice_batch(company, notices)
    assert set(notices.mapped("state")) == {"sent"}


def bench_send_50_customers_fewest_notices(env, timer):
    _send_sample(env, timer, most=False)


def bench_send_50_customers_most_notices(env, timer):
    _send_sample(env, timer, most=True)


def bench_print_5_letters(env, timer):
    company, today = _start_clean(env)
    partners = env["collection.case"]._get_dunning_partners(company)[:5]
    opened = env["collection.case"]._get_or_open_cases(partners, company)
    batch = env["collection.letter.batch"].create(
        {
            "name": "Benchmark letters",
            "date": today,
            "company_id": company.id,
            "case_ids": [Command.set([case.id for case in opened.values()])],
        }
    )
    env.flush_all()
    with timer:
        batch._render_letters()
    assert batch.attachment_id.raw.startswith(b"%PDF")


def _pay_one_invoice_of_busiest_customer(env, timer, open_case):
    """Register a payment of one open invoice of the customer with the most open invoices
    (5,000 with the credit check's fixture), with or without an open case to refresh."""
    company, today = _start_clean(env)
    [(partner_id,)] = env.execute_query(
        SQL(
            """SELECT move.partner_id FROM account_move move
                WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
                  AND move.payment_state = 'not_paid' AND move.company_id = %s
             GROUP BY move.partner_id ORDER BY COUNT(*) DESC LIMIT 1""",
            company.id,
        )
    )
    partner = env["res.partner"].browse(partner_id)
    invoice = env["account.move"].search(
        [
            ("partner_id", "=", partner_id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "=", "not_paid"),
        ],
        limit=1,
    )
    if open_case:
        env["collection.case"]._get_or_open_cases(partner, company)
    register = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"payment_date": today, "amount": invoice.amount_residual / 2})
    )
    env.flush_all()
    with timer:
        register._create_payments()
        env.flush_all()
    assert invoice.payment_state == "partial"


def bench_pay_busiest_customer_with_open_case(env, timer):
    _pay_one_invoice_of_busiest_customer(env, timer, open_case=True)


def bench_pay_busiest_customer_without_case(env, timer):
    _pay_one_invoice_of_busiest_customer(env, timer, open_case=False)
