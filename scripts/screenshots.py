"""README screenshots of the demo database, in English and in Simplified Chinese.

    make demo            # in another terminal: builds credit_collection_demo and serves it
    make screenshots     # = .venv/bin/python scripts/screenshots.py

A development script, never imported by the addon. It logs in over JSON-RPC as the demo
users of each role, hands each session cookie to a headless Chromium driven through the
DevTools protocol, and captures at 1440x900, once with the users in English and once in
Chinese (zh_CN, which scripts/demo.sh installs):

* as the salesperson (`sales`, Sales only): the Credit tab (信用档案) of one of their
  graded customers, from the Sales app, and a quotation of the customer on credit hold after
  clicking Confirm (banner and message);
* as the collector (`collector`, Collector only): the collection cases kanban (催收工作台),
  a collection case with its ledger of contacts (催收台账), the aging analysis pivot
  (账龄分析) and the receivables dashboard (应收账款看板);
* as the customer (`portal`, a portal user of a contact of the customer whose case is
  shown, created by the script if missing): its statement on Odoo's portal with the credit
  information (the script turns the company's portal setting on), and the forms to promise
  to pay and to dispute an overdue invoice;
* the first page of a customer statement and of a dunning letter, each printed in its
  customer's language (an English-speaking customer for the English set, a Chinese one for
  the Chinese set), turned into PNG by ``pdftoppm -r 60``.

The demo's crons (credit re-evaluation, dunning run) grade the customers and open the cases
a minute after the server starts; the script runs them itself when they have not run yet.
The one thing it adds to the demo database is a call and a visit in the ledger of the case
it shows, logged through the same wizard as the Log Call button, when that case has none.

Images go to docs/screenshots/<screen>.<lang>.png; a PNG over 240 KB is reduced to 256
colours so that the README stays light. Each user's language is set back at the end.
"""

import argparse
import base64
import io
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import requests
import websocket
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1440, 900
MAX_BYTES = 240_000
LANGS = ("en_US", "zh_CN")
ROLES = ("sales", "collector")  # demo logins whose screens are shown; password = login
PORTAL = "portal"  # the customer's portal login the script creates; password = login
BUSY = ".o_loading_indicator, .o_blockUI, .o_pivot .o_pivot_header_cell_opened.o_loading"


# ------------------------------------------------------------
# ODOO OVER JSON-RPC
# ------------------------------------------------------------


class Odoo:
    """The few JSON-RPC calls the script needs, in one authenticated HTTP session."""

    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        info = self._rpc(
            "/web/session/authenticate", {"db": db, "login": login, "password": password}
        )
        if not info.get("uid"):
            sys.exit(f"Could not log in to {db} on {self.url} as {login}.")
        self.uid = info["uid"]
        self.session_id = self.http.cookies["session_id"]

    def _rpc(self, path, params):
        response = self.http.post(
            self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params}
        )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            error = data["error"].get("data", {}).get("message") or data["error"]["message"]
            raise RuntimeError(f"{path}: {error}")
        return data["result"]

    def call(self, model, method, *args, **kwargs):
        return self._rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        if not rows:
            raise RuntimeError(f"No record {xmlid} in the database.")
        return rows[0]["res_id"]

    def download(self, path):
        response = self.http.get(self.url + path)
        response.raise_for_status()
        return response.content


# ------------------------------------------------------------
# HEADLESS CHROMIUM OVER THE DEVTOOLS PROTOCOL
# ------------------------------------------------------------


class Browser:
    """One headless Chromium tab, driven through the DevTools protocol."""

    def __init__(self, binary, base_url, session_id):
        self.base_url = base_url
        self.profile = tempfile.mkdtemp(prefix="cc-screenshots-")
        port = _free_port()
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--lang=en-US",
                "--remote-allow-origins=*",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = websocket.create_connection(self._page_socket(port), timeout=120)
        self._id = 0
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.send("Network.enable")
        self.use_session(session_id)

    def use_session(self, session_id):
        """Browse as the user of this Odoo session from the next page on."""
        self.send("Network.setCookie", name="session_id", value=session_id, url=self.base_url)

    def _page_socket(self, port):
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                pages = [t for t in targets if t["type"] == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise RuntimeError("Chromium did not open its DevTools port.")

    def send(self, method, **params):
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, selector, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return self.settle()
            time.sleep(0.25)
        raise RuntimeError(f"Nothing matches {selector} after {timeout}s.")

    def settle(self, pause=1.2):
        """Wait until the web client shows no loading indicator, then let it paint."""
        for _i in range(240):
            idle = self.evaluate(
                f"!document.querySelector({json.dumps(BUSY)}) && document.fonts.status === 'loaded'"
            )
            if idle:
                break
            time.sleep(0.25)
        time.sleep(pause)

    def open(self, path, selector):
        self.send("Page.navigate", url=self.base_url + path)
        time.sleep(0.5)
        self.wait_for(selector)

    def click(self, selector, wait_for=None, index=0):
        """Click the index-th element that matches, then wait for `wait_for` or for calm."""
        found = self.evaluate(
            f"(() => {{ const el = document.querySelectorAll({json.dumps(selector)})[{index}];"
            " if (el) { el.scrollIntoView({block: 'center'}); el.click(); } return !!el; })()"
        )
        if not found:
            raise RuntimeError(f"Nothing to click at {selector} [{index}].")
        if wait_for:
            self.wait_for(wait_for)
        else:
            self.settle()

    def scroll_to(self, selector):
        self.evaluate(
            f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'start'}})"
        )
        self.settle(0.5)

    def screenshot(self):
        return base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------
# IMAGES
# ------------------------------------------------------------


def save_png(content, path):
    """Write a PNG, reduced to 256 colours when it is heavier than MAX_BYTES."""
    image = Image.open(io.BytesIO(content))
    image.load()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    if buffer.tell() > MAX_BYTES:
        buffer = io.BytesIO()
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            buffer, "PNG", optimize=True
        )
    path.write_bytes(buffer.getvalue())
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"  {shown}  {image.width}x{image.height}  {buffer.tell() // 1024} KB")


def save_pdf_first_page(pdf, path):
    """The first page of a PDF as PNG, at 60 dpi."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", source,
             Path(tmp) / "page"],
            check=True,
        )  # fmt: skip
        save_png((Path(tmp) / "page.png").read_bytes(), path)


# ------------------------------------------------------------
# DEMO RECORDS TO SHOW
# ------------------------------------------------------------


def ensure_crons_ran(odoo):
    """Grades and cases come from the daily crons; run them if the server has not yet."""
    graded = odoo.call("res.partner", "search_count", [("credit_grade_id", "!=", False)])
    cases = odoo.call("collection.case", "search_count", [])
    for count, xmlid in (
        (graded, "credit_collection.ir_cron_credit_reevaluate"),
        (cases, "credit_collection.ir_cron_collection_dunning"),
    ):
        if not count:
            print(f"  running {xmlid}")
            odoo.call("ir.cron", "method_direct_trigger", [odoo.ref(xmlid)])


def pick_records(odoo, salesperson_id):
    """The customer, order, cases and statement customers the screenshots show: the
    customer and the held quotation are the salesperson's own."""
    company_id = odoo.ref("base.main_company")
    customers = odoo.call(
        "res.partner",
        "search_read",
        [
            ("credit_grade_id", "!=", False),
            ("parent_id", "=", False),
            ("company_id", "=", company_id),
            ("credit_hold", "=", False),
            ("user_id", "=", salesperson_id),
        ],
        fields=["lang", "credit_exposure", "credit_limit", "credit_dso"],
    )
    # a customer within its limit, with open invoices, Chinese-speaking if possible
    shown = [
        c for c in customers if c["credit_dso"] and 0 < c["credit_exposure"] < c["credit_limit"]
    ]
    customer = max(shown or customers, key=lambda c: (c["lang"] == "zh_CN", c["credit_exposure"]))
    orders = odoo.call(
        "sale.order",
        "search",
        [
            ("partner_id.credit_hold", "=", True),
            ("state", "in", ("draft", "sent")),
            ("user_id", "=", salesperson_id),
        ],
        limit=1,
    )
    cases = odoo.call(
        "collection.case",
        "search_read",
        [("company_id", "=", company_id), ("state", "not in", ("closed", "written_off"))],
        fields=["partner_id", "state", "amount_overdue", "log_ids"],
        order="priority desc",
    )
    if not (orders and cases):
        sys.exit(
            "The demo database has no held quotation or no collection case: make demo RESET=1."
        )
    langs = {
        p["id"]: p["lang"]
        for p in odoo.call(
            "res.partner", "read", [c["partner_id"][0] for c in cases], fields=["lang"]
        )
    }
    letters = {}
    for lang in LANGS:
        letters[lang] = next(
            (c for c in cases if langs[c["partner_id"][0]] == lang and c["amount_overdue"]),
            cases[0],
        )
    # the case whose ledger an earlier run filled, else the first one being worked on
    worked = next(
        (c for c in cases if c["log_ids"]),
        next((c for c in cases if c["state"] == "in_progress"), cases[0]),
    )
    return {
        "customer": customer["id"],
        "order": orders[0],
        "case": worked["id"],
        "letters": letters,
    }


def ensure_ledger(odoo, case_id):
    """Two contacts in the ledger of the case shown, logged as a collector would."""
    case = odoo.call("collection.case", "read", [case_id], fields=["log_ids", "partner_id"])[0]
    if case["log_ids"]:
        return
    contacts = odoo.call(
        "res.partner", "search_read", [("parent_id", "=", case["partner_id"][0])], fields=["name"]
    )
    contact = contacts[0]["name"] if contacts else ""
    today = date.today()
    entries = [
        {
            "channel": "phone",
            "result": "no_answer",
            "contact_name": contact,
            "next_action_date": str(today + timedelta(days=2)),
        },
        {
            "channel": "visit",
            "result": "promise",
            "contact_name": contact,
            "customer_words": "本月25日前先付一半，余款下月结清。"
            " / Half before the 25th, the rest next month.",
            "promise_amount": 20000,
            "promise_date": str(today + timedelta(days=10)),
        },
    ]
    for vals in entries:
        wizard = odoo.call("collection.log.wizard", "create", {"case_id": case_id, **vals})
        odoo.call("collection.log.wizard", "action_confirm", [wizard])
    print(f"  logged a call and a visit on {case['partner_id'][1]}")


def ensure_portal_user(odoo, case_id):
    """A portal user for a contact of the case's customer, and the company's portal credit
    information switched on."""
    partner_id = odoo.call("collection.case", "read", [case_id], fields=["partner_id"])[0][
        "partner_id"
    ][0]
    company_id = odoo.ref("base.main_company")
    odoo.call("res.company", "write", [company_id], {"portal_show_credit_info": True})
    if odoo.call("res.users", "search", [("login", "=", PORTAL)]):
        return
    contacts = odoo.call("res.partner", "search", [("parent_id", "=", partner_id)], limit=1)
    contact = contacts[0] if contacts else None
    if not contact:
        contact = odoo.call("res.partner", "create", {"name": "Portal", "parent_id": partner_id})
    odoo.call(
        "res.users",
        "create",
        {
            "login": PORTAL,
            "password": PORTAL,
            "partner_id": contact,
            "company_id": company_id,
            "company_ids": [(6, 0, [company_id])],
            "group_ids": [(6, 0, [odoo.ref("base.group_portal")])],
        },
    )
    print(f"  created the portal user {PORTAL!r} for a contact of the case's customer")


# ------------------------------------------------------------
# SCREENS
# ------------------------------------------------------------


def shoot_screens(browser, sessions, records, out, lang):
    def save(name):
        save_png(browser.screenshot(), out / f"{name}.{lang}.png")

    # the salesperson, from the Sales app: their customer's credit file and a held quotation
    browser.use_session(sessions["sales"])
    browser.open(
        f"/odoo/action-account.res_partner_action_customer/{records['customer']}",
        ".o_form_view .o_notebook",
    )
    browser.click(".o_notebook_headers a[name='credit_collection']")
    browser.scroll_to(".o_notebook_headers")
    save("credit-file")

    browser.open(
        f"/odoo/action-sale.action_quotations_with_onboarding/{records['order']}",
        ".o_form_view .alert-danger",
    )
    browser.click(".o_form_view button[name='action_confirm']", wait_for=".modal-dialog")
    save("credit-hold-order")

    # the collector: the cases, one case's ledger, the aging
    browser.use_session(sessions["collector"])
    browser.open(
        "/odoo/action-credit_collection.action_collection_cases", ".o_kanban_view .o_kanban_record"
    )
    save("collection-cases")

    browser.open(
        f"/odoo/action-credit_collection.action_collection_cases/{records['case']}",
        ".o_form_view .o_notebook",
    )
    browser.click(".o_notebook_headers a[name='logs']", wait_for=".o_field_one2many .o_data_row")
    save("collection-case")

    browser.open("/odoo/action-credit_collection.action_credit_aging_wizard", ".modal-dialog")
    browser.click("button[name='action_open_analysis']", wait_for=".o_pivot table")
    # customers down, buckets across: group by Customer (2nd option) instead of Aging Bucket
    # (1st), which the action puts on both axes
    group_by = ".o_group_by_menu .o_menu_item:not(select)"
    browser.click(".o_searchview_dropdown_toggler", wait_for=group_by)
    browser.click(group_by, index=1)
    browser.click(group_by, index=0)
    browser.click(".o_searchview_dropdown_toggler")
    save("aging-pivot")

    # the receivables dashboard of this month, as the collector reads it
    browser.open(
        "/odoo/action-credit_collection.action_receivables_dashboard",
        ".o_credit_dashboard .o_credit_dashboard_kpi",
    )
    save("receivables-dashboard")
    browser.scroll_to(".o_credit_dashboard_buckets")
    save("receivables-dashboard-customers")


def shoot_forecast_and_warnings(browser, sessions, out, lang):
    """The collector's cash-in forecast (graph), the early warnings, and both cards of the
    receivables dashboard."""

    def save(name):
        save_png(browser.screenshot(), out / f"{name}.{lang}.png")

    browser.use_session(sessions["collector"])
    browser.open(
        "/odoo/action-credit_collection.action_credit_cashin_report",
        ".o_graph_view .o_graph_canvas_container canvas",
    )
    save("cashin-forecast")
    browser.open("/odoo/action-credit_collection.action_credit_alerts", ".o_list_view .o_data_row")
    save("early-warnings")
    browser.open(
        "/odoo/action-credit_collection.action_receivables_dashboard",
        ".o_credit_dashboard .o_credit_dashboard_alerts",
    )
    browser.scroll_to(".o_credit_dashboard_alerts")
    save("receivables-dashboard-warnings")


def shoot_portal(browser, sessions, out, lang):
    """The customer on the portal: its statement, then the promise and dispute forms."""

    def save(name):
        save_png(browser.screenshot(), out / f"{name}.{lang}.png")

    # the portal's language is the URL's (then its cookie's), as on any Odoo frontend page
    statement = f"/{lang.split('_')[0] if lang == 'en_US' else lang}/my/statement"
    browser.use_session(sessions[PORTAL])
    browser.open(statement, ".o_credit_portal_statement")
    save("portal-statement")
    browser.click("a.o_credit_portal_promise", wait_for="form.o_credit_portal_promise_form")
    save("portal-promise")
    browser.open(statement, ".o_credit_portal_statement")
    browser.click("a.o_credit_portal_dispute", wait_for="form.o_credit_portal_dispute_form")
    save("portal-dispute")


def shoot_documents(odoo, records, out, lang):
    case = records["letters"][lang]
    context = {"lang": lang}
    wizard = odoo.call(
        "credit.statement.wizard",
        "create",
        {"partner_ids": [(6, 0, [case["partner_id"][0]])], "statement_type": "outstanding"},
        context=context,
    )
    action = odoo.call("credit.statement.wizard", "action_print_pdf", [wizard], context=context)
    save_pdf_first_page(odoo.download(action["url"]), out / f"statement.{lang}.png")
    letter = odoo.download(f"/report/pdf/credit_collection.report_dunning_letter/{case['id']}")
    save_pdf_first_page(letter, out / f"dunning-letter.{lang}.png")


# ------------------------------------------------------------
# MAIN
# ------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="credit_collection_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--only-portal", action="store_true", help="take the customer portal's screens only"
    )
    parser.add_argument(
        "--only-forecast",
        action="store_true",
        help="take the cash-in forecast's and the early warnings' screens only",
    )
    args = parser.parse_args()
    try:
        requests.get(f"{args.url}/web/webclient/version_info", timeout=5)
    except requests.ConnectionError:
        sys.exit(f"No Odoo answers on {args.url}: start `make demo` first.")
    args.out.mkdir(parents=True, exist_ok=True)

    odoo = Odoo(args.url, args.db, args.login, args.password)
    ensure_crons_ran(odoo)
    # the demo users of the roles shown, each with exactly their role's groups
    users = {"admin": odoo, **{login: Odoo(args.url, args.db, login, login) for login in ROLES}}
    records = pick_records(odoo, users["sales"].uid)
    ensure_ledger(odoo, records["case"])
    ensure_portal_user(odoo, records["case"])
    users[PORTAL] = Odoo(args.url, args.db, PORTAL, PORTAL)
    original_langs = {
        login: user.call("res.users", "read", [user.uid], fields=["lang"])[0]["lang"]
        for login, user in users.items()
    }
    sessions = {login: user.session_id for login, user in users.items()}
    browser = Browser(args.chromium, args.url, odoo.session_id)
    try:
        for lang in LANGS:
            print(f"{lang}:")
            for user in users.values():
                user.call("res.users", "write", [user.uid], {"lang": lang})
            if args.only_forecast:
                shoot_forecast_and_warnings(browser, sessions, args.out, lang)
                continue
            if not args.only_portal:
                shoot_screens(browser, sessions, records, args.out, lang)
                shoot_forecast_and_warnings(browser, sessions, args.out, lang)
                shoot_documents(odoo, records, args.out, lang)
            shoot_portal(browser, sessions, args.out, lang)
    finally:
        browser.close()
        for login, user in users.items():
            user.call("res.users", "write", [user.uid], {"lang": original_langs[login]})


if __name__ == "__main__":
    main()
