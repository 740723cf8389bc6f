"""Customer statements (issue 8): batches of statements as one PDF, and the two cases the
issue quotes for OCA's partner_statement (50 outstanding statements: 63 s, 24 MB; one
customer with 2,000 open invoices: 23 s).

wkhtmltopdf loads the report CSS and fonts over HTTP, so the benchmark starts Odoo's HTTP
server in this process (as the test runner does) and points ``report.url`` at it, inside
the rolled-back savepoint. Each PDF's size and pages are printed next to the timings.

Each function is run by scripts/bench_runner.py inside a savepoint that is rolled back.
"""

import io
import socket
from datetime import timedelta

import odoo
from odoo import Command, fields
from odoo.service import server as odoo_server
from odoo.tools import SQL, split_every
from odoo.tools.pdf import PdfFileReader

BIG_CUSTOMER = "Bench Statement Customer (2,000 open invoices)"
BIG_CUSTOMER_INVOICES = 2000
_SERVER = {}


def prepare(env):
    """A customer with 2,000 open invoices, posted through the ORM (once, committed)."""
    if env["res.partner"].search_count([("name", "=", BIG_CUSTOMER)]):
        return
    partner = env["res.partner"].create({"name": BIG_CUSTOMER, "is_company": True})
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1)
    today = fields.Date.context_today(partner)
    for chunk in split_every(250, range(BIG_CUSTOMER_INVOICES)):
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=index % 400),
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": product.id, "quantity": 1, "price_unit": 100 + index}
                        )
                    ],
                }
                for index in chunk
            ]
        )
        moves.action_post()
        env.cr.commit()


def _serve(env):
    """Odoo's HTTP server in this process, once; ``report.url`` points wkhtmltopdf at it."""
    if "url" not in _SERVER:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        odoo.tools.config["http_port"] = port
        odoo.tools.config["http_interface"] = "127.0.0.1"
        odoo_server.load_server_wide_modules()
        odoo_server.ThreadedServer(odoo.http.root).http_spawn()
        _SERVER["url"] = f"http://127.0.0.1:{port}"
    env["ir.config_parameter"].set_param("report.url", _SERVER["url"])


def _customers_with_open_items(env, count):
    rows = env.execute_query(
        SQL(
            """SELECT l.partner_id FROM account_move_line l
                 JOIN account_account a ON a.id = l.account_id
                 JOIN res_partner p ON p.id = l.partner_id
                WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
                  AND l.parent_state = 'posted' AND p.name != %s
                GROUP BY l.partner_id ORDER BY l.partner_id LIMIT %s""",
            BIG_CUSTOMER,
            count,
        )
    )
    return env["res.partner"].browse([partner_id for (partner_id,) in rows])


def _statement_pdf(env, timer, partners, label):
    _serve(env)
    wizard = env["credit.statement.wizard"].create(
        {"partner_ids": [Command.set(partners.ids)], "date_to": fields.Date.context_today(env.user)}
    )
    with timer:
        pdf = wizard._render_pdf(partners)
    pages = PdfFileReader(io.BytesIO(pdf)).getNumPages()
    if timer.seconds:
        print(
            f"    {label}: {len(pdf) / 1e6:.2f} MB, {pages} pages, {timer.seconds:.1f} s, "
            f"{timer.seconds / pages * 1000:.0f} ms per page",
            flush=True,
        )


def bench_pdf_200_outstanding_statements(env, timer):
    """200 customers' outstanding statements as one PDF (target: under 60 s)."""
    _statement_pdf(env, timer, _customers_with_open_items(env, 200), "200 statements")


def bench_pdf_50_outstanding_statements(env, timer):
    """50 statements: OCA partner_statement takes 63 s and 24 MB."""
    _statement_pdf(env, timer, _customers_with_open_items(env, 50), "50 statements")


def bench_pdf_one_customer_2000_open_invoices(env, timer):
    """One customer with 2,000 open invoices: OCA partner_statement takes 23 s."""
    partner = env["res.partner"].search([("name", "=", BIG_CUSTOMER)], limit=1)
    _statement_pdf(env, timer, partner, "2,000 open invoices")


def bench_pdf_20_statements_one_call_each(env, timer):
    """The previous way, for comparison: one wkhtmltopdf call per statement, merged."""
    _serve(env)
    partners = _customers_with_open_items(env, 20)
    wizard = env["credit.statement.wizard"].create(
        {"partner_ids": [Command.set(partners.ids)], "date_to": fields.Date.context_today(env.user)}
    )
    report = env["ir.actions.report"]
    with timer:
        report._render_qweb_pdf_one_by_one(
            report._get_report("credit_collection.action_report_customer_statement"),
            partners,
            {"statement_wizard_id": wizard.id, "report_type": "pdf"},
            lambda partner: partner.lang,
        )
