"""The scale rig's load test: Odoo in prefork against the primary and a streaming replica,
driven by concurrent users while the crons run, then the daily dunning timed with 1, 2 and 4
cron workers.

    RIG_DIR=/var/tmp/rig-scale .venv/bin/python scripts/rig_load.py --source \\
        credit_collection_bench_large --workers 1 2 4 --cron-workers 1 2 4

(``make rig SIZE=large WORKERS="1 2 4" CRON_WORKERS="1 2 4"``). Never touches ``--source``:

1. copies it once into ``<prefix>_large`` (the day's data as generated) and, from that copy,
   ``<prefix>_base``: role users with passwords holding only their role's groups
   (salesperson, billing clerk, accountant, collector), credit limits on the customers of
   the draft sale orders it creates (most pass the credit check, about one in ten is
   refused), every scheduled action postponed to tomorrow (only the day's dunning runs);
2. builds a streaming replica of the cluster (``rig.Replica``, port 5433);
3. for each HTTP worker count: a fresh copy of ``_base``, Odoo with ``--workers N`` and
   ``--max-cron-threads`` (``--load-cron-workers``) on primary and replica, the daily
   dunning triggered, then two phases: *saturated* (``--duration``; salespeople and clerks
   without pauses: the capacity) and *paced* (``--paced-duration``; users pausing as people
   do, the accountant opening the aging analysis back to back: the latency). The users:
   salespeople confirming orders (``action_confirm`` through ``call_button``; a refusal of
   the credit check is a business answer, counted apart), billing clerks registering
   payments matched to invoices (the ``account.payment.register`` wizard, as the web
   client does), an accountant opening the aging analysis (its wizard's
   ``action_open_analysis``, then ``web_read_group`` on the model, domain and context of
   the action it returns) and a collector printing statements (``/report/pdf/...``, a
   read-only route). Reported per phase: count, throughput, p50/p95, errors per kind, the
   replica's lag sampled each second, the serialization failures Odoo retried (its log),
   the CPU each kind of process used (the other engineers' processes are "other");
4. for each cron worker count: a fresh copy of ``_large``, Odoo with ``--max-cron-threads
   N``, the daily dunning triggered, timed until every notice is sent and every letter
   printed, each notice checked to be emailed once.

Results go to ``$RIG_DIR/results.json`` and, as Markdown tables, to standard output. The
copies are dropped at the end (``--keep`` keeps ``_large`` and ``_base`` for the next run);
the replica is removed (its slot dropped) unless ``--keep-replica``.

Development only: never imported by the addon. The load tool is this script (one thread per
user over ``rig.Client``): it shares the machine's cores with Odoo and PostgreSQL, and its
own CPU time is reported with the rest.
"""

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil
import requests
import rig

PASSWORD = "rig-load-2026"
# role -> (groups, users of that role driving the load)
ROLES = {
    "salesperson": (("sales_team.group_sale_salesman",), 4),
    "billing": (("account.group_account_invoice",), 2),
    "accountant": (("account.group_account_user",), 1),
    "collector": (("credit_collection.group_credit_collector",), 1),
}
ORDERS = 6000
REFUSED_SHARE = 0.1
DUNNING_CRON = "credit_collection.ir_cron_collection_dunning"
HTTP_PORT = 8180
REPLICA_PORT = 5433
RETRY_LOG = "tries left, try again in"
RETRY_GAVE_UP = "maximum number of tries reached"
# a dunning batch rolled back on a conflict (its customers stay queued for the next sender)
BATCH_ROLLED_BACK = "nothing of it is kept"


# ------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------


def filestore():
    for line in rig.ODOO_CONF.read_text().splitlines():
        if line.startswith("data_dir"):
            return Path(line.split("=", 1)[1].strip()) / "filestore"
    return Path.home() / ".local/share/Odoo/filestore"


def db_exists(name):
    return rig.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def copy_db(source, target):
    """``target`` as a copy of ``source`` (nobody connected to it), with its filestore.

    FILE_COPY: the replica copies the files on its side instead of replaying the whole
    database from the WAL (``WAL_LOG``, PostgreSQL 15's default, writes every page)."""
    drop_db(target)
    subprocess.run(["createdb", "-T", source, "-S", "FILE_COPY", target], check=True)
    if (filestore() / source).is_dir():
        subprocess.run(["cp", "-r", filestore() / source, filestore() / target], check=True)


def drop_db(name):
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run(["rm", "-rf", str(filestore() / name)], check=True)


def odoo_update(database):
    """The addon updated to this checkout's code in ``database`` (after a merge)."""
    subprocess.run(
        [rig.PY, rig.ODOO_PATH / "odoo-bin", "-c", rig.ODOO_CONF, "-d", database,
         "-u", "credit_collection", "--stop-after-init", "--no-http", "--log-level=warn"],
        check=True,
    )  # fmt: skip


def _env_run(database, function, *args):
    """``function(env, *args)`` as superuser in ``database``, in this process, committed."""
    import odoo  # noqa: PLC0415 (the load driver itself needs no Odoo)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", str(rig.ODOO_CONF), "-d", database, "--log-level=warn"])
    with Registry(database).cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}), *args)


def in_odoo(database, function, *args):
    """Run ``_env_run`` in a child process: the driver keeps no registry nor connection."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_env_run, (database, function, *args))


def postpone_crons(database):
    """Every scheduled action to tomorrow, nothing left to trigger: only what the rig
    triggers runs (the crons of a generated database are long overdue)."""
    rig.psql(
        "UPDATE ir_cron SET nextcall = (NOW() AT TIME ZONE 'UTC') + INTERVAL '1 day';"
        " DELETE FROM ir_cron_trigger",
        database=database,
    )


def trigger_dunning(database):
    """What ``ir.cron._trigger()`` does for the daily dunning: a trigger now, and the
    ``cron_trigger`` notification that wakes the cron workers."""
    rig.psql(
        "INSERT INTO ir_cron_trigger (cron_id, call_at)"
        " SELECT res_id, NOW() AT TIME ZONE 'UTC' FROM ir_model_data"
        " WHERE module = 'credit_collection' AND name = 'ir_cron_collection_dunning'",
        database=database,
    )
    rig.psql(f"SELECT pg_notify('cron_trigger', '{database}')")


# ------------------------------------------------------------
# PREPARATION (in Odoo, superuser)
# ------------------------------------------------------------


def _prepare(env, orders_wanted, seed):
    from odoo import Command  # noqa: PLC0415

    rnd = random.Random(seed)
    company = env.ref("base.main_company")
    users = _create_role_users(env, company)
    sellers = users["salesperson"]
    customers = env["res.partner"].search(
        [("customer_rank", ">", 0), ("is_company", "=", True), ("parent_id", "=", False)],
        order="id",
    )
    customers = customers.browse(rnd.sample(customers.ids, min(orders_wanted, len(customers))))
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1, order="id")
    orders = (
        env["sale.order"]
        .with_context(tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
        .create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "user_id": sellers[index % len(sellers)].id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": rnd.randint(1, 10),
                                "price_unit": rnd.randint(100, 2000),
                            }
                        )
                    ],
                }
                for index, customer in enumerate(customers)
            ]
        )
    )
    _set_credit_limits(env, company, orders, rnd)
    env.cr.commit()
    return {"users": {role: len(found) for role, found in users.items()}, "orders": len(orders)}


def _create_role_users(env, company):
    from odoo import Command  # noqa: PLC0415

    users = {}
    for role, (groups, count) in ROLES.items():
        group_ids = [env.ref("base.group_user").id, *(env.ref(g).id for g in groups)]
        users[role] = (
            env["res.users"]
            .with_context(no_reset_password=True, mail_create_nolog=True)
            .create(
                [
                    {
                        "name": f"Rig {role} {n}",
                        "login": f"rig_{role}_{n}",
                        "password": PASSWORD,
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "group_ids": [Command.set(group_ids)],
                    }
                    for n in range(1, count + 1)
                ]
            )
        )
    return users


def _set_credit_limits(env, company, orders, rnd):
    """A credit limit on each order's customer: above its exposure with the order for
    most, below it for about ``REFUSED_SHARE`` of them (their confirmation is refused)."""
    customers = orders.partner_id.commercial_partner_id
    exposure = customers._get_credit_exposure(company)
    amounts = {o.partner_id.commercial_partner_id.id: o._get_credit_amount() for o in orders}
    for customer in customers.with_company(company):
        total = max(exposure.get(customer.id, {}).get("total", 0.0), 0.0)
        if rnd.random() < REFUSED_SHARE:
            limit = max(total * 0.5, 1.0)
        else:
            limit = total + 2 * amounts[customer.id] + 1000.0
        customer.credit_limit = round(limit, 2)


def prepare(source, prefix, orders, seed=19):
    large, base = f"{prefix}_large", f"{prefix}_base"
    if not db_exists(large):
        rig.log(f"copying {source} into {large}")
        copy_db(source, large)
    rig.log(f"updating the addon in {large}")
    odoo_update(large)
    postpone_crons(large)
    copy_db(large, base)
    rig.log(f"preparing {base}: role users, {orders} draft orders with credit limits")
    done = in_odoo(base, _prepare, orders, seed)
    postpone_crons(base)
    rig.psql("VACUUM ANALYZE sale_order, sale_order_line, res_partner", database=base)
    rig.log(f"prepared: {done}")
    return large, base


# ------------------------------------------------------------
# WORK LISTS (read from the run's database before the load)
# ------------------------------------------------------------


def _ids(sql, database):
    out = rig.psql(sql, database=database)
    return [[int(value) for value in line.split("|")] for line in out.splitlines() if line]


def work_lists(database, seed=19):
    """Who does what: each salesperson their own draft orders, each clerk open invoices no
    other clerk pays, the collector customers with open items."""
    rnd = random.Random(seed)
    orders = defaultdict(list)
    for order_id, login_n in _ids(
        "SELECT o.id, substring(u.login from '[0-9]+$')::int FROM sale_order o"
        " JOIN res_users u ON u.id = o.user_id"
        " WHERE o.state = 'draft' AND u.login LIKE 'rig_salesperson_%' ORDER BY o.id",
        database,
    ):
        orders[login_n].append(order_id)
    invoices = [
        row[0]
        for row in _ids(
            "SELECT m.id FROM account_move m JOIN res_company c ON c.id = m.company_id"
            " WHERE m.move_type = 'out_invoice' AND m.state = 'posted'"
            " AND m.payment_state = 'not_paid' AND m.currency_id = c.currency_id",
            database,
        )
    ]
    rnd.shuffle(invoices)
    clerks = ROLES["billing"][1]
    partners = [row[0] for row in _ids(
        "SELECT DISTINCT partner_id FROM account_move WHERE move_type = 'out_invoice'"
        " AND state = 'posted' AND payment_state != 'paid' ORDER BY partner_id LIMIT 2000",
        database,
    )]  # fmt: skip
    rnd.shuffle(partners)
    return {
        "orders": dict(orders),
        "invoices": {n + 1: invoices[n::clerks] for n in range(clerks)},
        "partners": partners,
    }


# ------------------------------------------------------------
# THE USERS (one thread each)
# ------------------------------------------------------------


class Recorder:
    """Every request of the run: ``(kind, start, seconds, outcome)``; outcome is ``ok``,
    ``refused`` (a business answer: the credit check said no) or the error's kind."""

    def __init__(self):
        self.samples = []
        self.lock = threading.Lock()

    def add(self, kind, start, seconds, outcome="ok"):
        with self.lock:
            self.samples.append((kind, start, seconds, outcome))

    def timed(self, kind, function, refusal=None):
        """Call ``function``, record it under ``kind``; an error whose message contains
        ``refusal`` is a business answer."""
        start = time.monotonic()
        try:
            result = function()
        except rig.RpcError as error:
            refused = refusal and refusal in str(error)
            self.add(kind, start, time.monotonic() - start, "refused" if refused else error.kind)
            return None
        except requests.RequestException as error:
            self.add(kind, start, time.monotonic() - start, type(error).__name__)
            return None
        self.add(kind, start, time.monotonic() - start)
        return result


def think(stop, pause):
    """A user's pause between two requests: exponential around ``pause`` (0: none), so
    paced users do not march in step."""
    if pause:
        stop.wait(random.expovariate(1 / pause))


def _login(url, database, login):
    return rig.Client(url, database, login, PASSWORD)


def work_through(items, act, kind, *, recorder, stop, pause, refusal=None):
    """A user's round: ``act(item)`` for each item, timed under ``kind``, a pause between
    two, until the items or the phase run out."""
    for item in items:
        if stop.is_set():
            return
        recorder.timed(kind, lambda item=item: act(item), refusal=refusal)
        think(stop, pause)


def salesperson(client, recorder, orders, stop, pause):
    """Confirm one's own quotations, one after the other, as the Confirm button does."""

    def confirm(order_id):
        return client.call("sale.order", "action_confirm", [order_id])

    work_through(
        orders, confirm, "confirm", recorder=recorder, stop=stop, pause=pause,
        refusal="cannot be confirmed",
    )  # fmt: skip


def billing_clerk(client, recorder, invoices, stop, pause):
    """Register Payment on an invoice, the wizard's defaults (its residual, today), Create
    Payment: the payment is posted and matched with the invoice."""

    def pay(invoice_id):
        action = client.call("account.move", "action_register_payment", [invoice_id])
        context = {**client.context, **action.get("context", {})}
        wizard = client.call(
            "account.payment.register", "web_save", [], {}, specification={}, context=context
        )
        return client.call(
            "account.payment.register", "action_create_payments", [wizard[0]["id"]],
            context=context,
        )  # fmt: skip

    work_through(invoices, pay, "payment", recorder=recorder, stop=stop, pause=pause)


def accountant(client, recorder, stop, pause):
    """Open the aging analysis: the wizard's defaults, its action, then the pivot's grouped
    read of whatever model, domain and context the action names."""
    groupby = []

    def analysis():
        wizard = client.call("credit.aging.wizard", "web_save", [], {}, specification={})
        action = client.call("credit.aging.wizard", "action_open_analysis", [wizard[0]["id"]])
        model = action["res_model"]
        context = {**client.context, **(action.get("context") or {})}
        if not groupby:
            groupby.extend(_aging_groupby(client, model))
        start = time.monotonic()
        result = client.call(
            model, "web_read_group", action.get("domain") or [], groupby[:1], groupby[1:],
            context=context,
        )  # fmt: skip
        recorder.add("aging read_group", start, time.monotonic() - start)
        return result

    while not stop.is_set():
        recorder.timed("aging", analysis)
        think(stop, pause)


def _aging_groupby(client, model):
    """The pivot's row and measures: its bucket when it has one (before and after the
    analysis became a read-only query, the fields may change), the count and the amount."""
    fields = client.call(model, "fields_get", [], attributes=["type"])
    row = next(
        (name for name in ("bucket_id", "bucket", "partner_id") if name in fields),
        next(name for name, field in fields.items() if field["type"] == "many2one"),
    )
    measures = ["__count"] + ["amount_residual:sum"] * ("amount_residual" in fields)
    return [row, *measures]


def collector(client, recorder, partners, stop, pause):
    """Print customers' statements: the report route, read-only, served by the replica."""

    def print_statement(partner_id):
        return client.get(f"/report/pdf/credit_collection.report_customer_statement/{partner_id}")

    work_through(partners, print_statement, "statement", recorder=recorder, stop=stop, pause=pause)


# ------------------------------------------------------------
# WHAT THE MACHINE DOES MEANWHILE
# ------------------------------------------------------------


_KINDS = {}


def _process_kind(process, databases):
    """Which part of the rig a process is: Odoo's HTTP or cron workers, PostgreSQL serving
    the rig's ``databases`` (backends, WAL sender), the replica (its processes work in its
    data directory), wkhtmltopdf, this driver, or anything else on the machine (the other
    engineers' work, PostgreSQL serving them)."""
    if process.pid == os.getpid():
        return "load tool"
    try:
        title = " ".join(process.cmdline())[:120]
        cwd = process.cwd() if process.name().startswith("postgres") else ""
    except (psutil.Error, OSError):
        return "other"
    kinds = {
        "odoo http workers": title.startswith("odoo: WorkerHTTP"),
        "odoo cron workers": title.startswith("odoo: WorkerCron"),
        "wkhtmltopdf": "wkhtmltopdf" in title[:40],
        "replica": cwd.startswith(str(rig.RIG_DIR / f"replica-{REPLICA_PORT}")),
        "postgresql (rig)": bool(cwd)
        and (any(f" {db} " in title for db in databases) or "walsender" in title),
    }
    return next((kind for kind, found in kinds.items() if found), "other")


def cpu_times(databases=()):
    """CPU seconds used so far by each kind of process (children that ended are lost:
    wkhtmltopdf is sampled by the sampler's thread while it runs)."""
    totals = defaultdict(float)
    for process in psutil.process_iter():
        try:
            times = process.cpu_times()
            key = (process.pid, process.create_time())
        except psutil.Error:
            continue
        if key not in _KINDS:
            _KINDS[key] = _process_kind(process, databases)
        totals[(key, _KINDS[key])] = times.user + times.system
    return totals


class Sampler(threading.Thread):
    """Each second: the replica's lag (bytes of WAL not replayed, seconds of replay delay)
    and the CPU seconds of every process, to say afterwards what bound the run."""

    def __init__(self, replica, databases):
        super().__init__(daemon=True)
        self.replica = replica
        self.databases = databases
        self.stop = threading.Event()
        self.lags = []

    def start(self):
        """The baselines are taken when the clock starts, not when the sampler is made."""
        self.cpu_start = cpu_times(self.databases)
        self.cpu_last = dict(self.cpu_start)
        self.wall_start = time.monotonic()
        self.machine_start = psutil.cpu_times()
        super().start()

    def run(self):
        while not self.stop.wait(1):
            if self.replica:
                with contextlib.suppress(subprocess.CalledProcessError):
                    self.lags.append(self.replica.lag())
            self.cpu_last.update(cpu_times(self.databases))

    def result(self):
        self.stop.set()
        self.join()
        self.cpu_last.update(cpu_times(self.databases))
        wall = time.monotonic() - self.wall_start
        by_kind = defaultdict(float)
        for key, seconds in self.cpu_last.items():
            by_kind[key[1]] += seconds - self.cpu_start.get(key, 0.0)
        machine = psutil.cpu_times()
        busy = sum(
            getattr(machine, f) - getattr(self.machine_start, f)
            for f in ("user", "system", "nice", "irq", "softirq")
        )
        return {
            "cores_busy": round(busy / wall, 2),
            "cpu_share": {kind: round(s / wall, 2) for kind, s in sorted(by_kind.items())},
            "iowait": round((machine.iowait - self.machine_start.iowait) / wall, 2),
            "lag": _lag_summary(self.lags),
        }


def _lag_summary(lags):
    lags = [lag for lag in lags if lag[0] is not None]
    if not lags:
        return None
    kbytes = sorted(lag[0] / 1024 for lag in lags)
    seconds = sorted(lag[1] for lag in lags)
    return {
        "samples": len(lags),
        "kb_median": round(statistics.median(kbytes), 1),
        "kb_max": round(kbytes[-1], 1),
        "s_median": round(statistics.median(seconds), 3),
        "s_max": round(seconds[-1], 3),
    }


# the requests whose cursor (primary "rw", replica "ro", "ro->rw" fallen back) the
# report shows, by a part of their path in Odoo's request log
ROUTED = ("action_confirm", "action_create_payments", "action_open_analysis",
          "web_read_group", "/report/pdf/")  # fmt: skip


def cursor_modes(logfile, offset=0):
    """``{"web_read_group ro": n, ...}``: where Odoo served each kind of request, from the
    last word of its request log lines (``rw``, ``ro`` or ``ro->rw``)."""
    modes = defaultdict(int)
    with open(logfile, errors="replace") as log:
        log.seek(offset)
        for line in log:
            if "werkzeug" not in line:
                continue
            for path in ROUTED:
                if path in line:
                    modes[f"{path.strip('/')} {line.split()[-1]}"] += 1
    return dict(sorted(modes.items()))


def count_in_log(logfile, text, offset=0):
    with open(logfile, errors="replace") as log:
        log.seek(offset)
        return sum(text in line for line in log)


# ------------------------------------------------------------
# A LOAD RUN (HTTP workers)
# ------------------------------------------------------------


def phases(args):
    """The two phases of a load run, on the same server one after the other: saturated
    (salespeople and clerks without a pause: the capacity, confirmations per second) and
    paced (users pausing between requests as people do, the accountant opening the aging
    analysis back to back: the latency a salesperson sees). Pauses in seconds."""
    return {
        "saturated": {
            "duration": args.duration,
            "pauses": {"sales": 0, "billing": 0, "aging": args.aging_pause,
                       "statement": args.statement_pause},
        },
        "paced": {
            "duration": args.paced_duration,
            "pauses": {"sales": args.sales_pause, "billing": args.billing_pause, "aging": 0,
                       "statement": args.statement_pause},
        },
    }  # fmt: skip


def load_run(base, workers, args, replica):
    """``base`` copied afresh, Odoo with ``workers`` HTTP workers, the day's dunning
    triggered, then each phase driven by every user."""
    database = f"{args.prefix}_run"
    copy_db(base, database)
    if replica:
        replica.wait_for_database(database)
        replica.wait_caught_up()
    server = rig.OdooServer(
        database, HTTP_PORT, workers=workers, cron_workers=args.load_cron_workers,
        replica_port=replica.port if replica else None,
        logfile=rig.RIG_DIR / f"odoo-load-{workers}.log",
    )  # fmt: skip
    work = work_lists(database)
    result = {"workers": workers, "cron_workers": args.load_cron_workers, "phases": {}}
    try:
        with server:
            _warm_up(server.url, database, workers)
            if args.dunning_during_load:
                trigger_dunning(database)
            for index, (name, phase) in enumerate(phases(args).items()):
                rig.log(f"{workers} HTTP workers: {name} phase, {phase['duration']} s")
                mine = _work_slice(work, index, 2)
                result["phases"][name] = _phase(server, database, mine, phase, replica)
    finally:
        drop_db(database)
    return result


def _phase(server, database, work, phase, replica):
    offset = server.logfile.stat().st_size
    sent_before = _sent(database)
    recorder, sampler = Recorder(), Sampler(replica, [database])
    started = _drive(server.url, database, work, recorder, phase, sampler=sampler)
    machine = sampler.result()
    return {
        "seconds": phase["duration"],
        "pauses": phase["pauses"],
        "kinds": summarize(recorder.samples, started, phase["duration"]),
        "serialization_retried": count_in_log(server.logfile, RETRY_LOG, offset),
        "serialization_gave_up": count_in_log(server.logfile, RETRY_GAVE_UP, offset),
        "served": cursor_modes(server.logfile, offset),
        "dunning_batches_rolled_back": count_in_log(server.logfile, BATCH_ROLLED_BACK, offset),
        "dunning_notices_sent_meanwhile": _sent(database) - sent_before,
        **machine,
    }


def _sent(database):
    return int(
        rig.psql("SELECT COUNT(*) FROM collection_notice WHERE state = 'sent'", database=database)
    )


def _work_slice(work, index, count):
    """The ``index``-th of ``count`` parts of every work list: each phase its own orders,
    invoices and customers."""

    def part(items):
        size = len(items) // count
        return items[index * size : (index + 1) * size]

    return {
        "orders": {n: part(orders) for n, orders in work["orders"].items()},
        "invoices": {n: part(invoices) for n, invoices in work["invoices"].items()},
        "partners": part(work["partners"]),
    }


def _warm_up(url, database, workers):
    """Each HTTP worker loads the registry and the assets once before the clock starts."""
    client = _login(url, database, "rig_accountant_1")
    for _n in range(workers * 2):
        client.call("res.partner", "search_count", [])


def _drive(url, database, work, recorder, phase, *, sampler):
    """Log every user in, start them and the sampler, stop them after the phase's
    duration; return when the clock started (after the logins)."""
    stop = threading.Event()
    pauses = phase["pauses"]
    users = []
    for n in range(1, ROLES["salesperson"][1] + 1):
        client = _login(url, database, f"rig_salesperson_{n}")
        orders = work["orders"].get(n, [])
        users.append((salesperson, (client, recorder, orders, stop, pauses["sales"])))
    for n in range(1, ROLES["billing"][1] + 1):
        client = _login(url, database, f"rig_billing_{n}")
        invoices = work["invoices"][n]
        users.append((billing_clerk, (client, recorder, invoices, stop, pauses["billing"])))
    client = _login(url, database, "rig_accountant_1")
    users.append((accountant, (client, recorder, stop, pauses["aging"])))
    if pauses["statement"] is not None:
        client = _login(url, database, "rig_collector_1")
        partners = work["partners"]
        users.append((collector, (client, recorder, partners, stop, pauses["statement"])))
    threads = [threading.Thread(target=target, args=a, daemon=True) for target, a in users]
    sampler.start()
    started = time.monotonic()
    for thread in threads:
        thread.start()
    stop.wait(phase["duration"])
    stop.set()
    for thread in threads:
        thread.join(600)
    return started


def summarize(samples, started, duration):
    """Per kind: count, throughput, p50/p95 of the successful and refused requests, errors
    by kind. Throughput counts the answers within the phase's ``duration``; a request still
    running at the end counts in the latencies when it ends."""
    kinds = {}
    for kind in sorted({sample[0] for sample in samples}):
        mine = [s for s in samples if s[0] == kind]
        answered = sorted(s[2] for s in mine if s[3] in ("ok", "refused"))
        errors = defaultdict(int)
        for s in mine:
            if s[3] not in ("ok", "refused"):
                errors[s[3]] += 1
        kinds[kind] = {
            "count": len(answered),
            "refused": sum(s[3] == "refused" for s in mine),
            "per_s": round(
                sum(s[1] + s[2] <= started + duration for s in mine if s[3] in ("ok", "refused"))
                / duration,
                2,
            ),
            "p50_ms": round(_percentile(answered, 50) * 1000) if answered else None,
            "p95_ms": round(_percentile(answered, 95) * 1000) if answered else None,
            "errors": dict(errors),
        }
    return kinds


def _percentile(values, percent):
    index = max(0, min(len(values) - 1, round(percent / 100 * len(values) + 0.5) - 1))
    return values[index]


# ------------------------------------------------------------
# A DUNNING RUN (cron workers)
# ------------------------------------------------------------


DUNNING_STATE = """SELECT
    (SELECT COUNT(*) FROM collection_notice),
    (SELECT COUNT(*) FROM collection_notice WHERE state = 'queued'),
    (SELECT COUNT(*) FROM collection_notice n
       JOIN collection_policy_level l ON l.id = n.level_id
      WHERE n.state = 'sent' AND l.channel = 'letter' AND n.case_id IS NOT NULL
        AND n.letter_batch_id IS NULL),
    (SELECT COUNT(*) FROM collection_letter_batch WHERE attachment_id IS NOT NULL)"""


def dunning_run(large, cron_workers, args):
    """A fresh copy of ``large``, Odoo with ``cron_workers`` cron workers, the daily dunning
    triggered: the time until it decided, sent every notice and printed every letter."""
    database = f"{args.prefix}_dunning"
    copy_db(large, database)
    server = rig.OdooServer(
        database, HTTP_PORT + 2, workers=1, cron_workers=cron_workers,
        logfile=rig.RIG_DIR / f"odoo-dunning-{cron_workers}.log",
    )  # fmt: skip
    try:
        with server:
            before = int(rig.psql("SELECT COUNT(*) FROM collection_notice", database=database))
            sampler = Sampler(None, [database])
            sampler.start()
            timings = _time_dunning(database, before, args.dunning_timeout)
            machine = sampler.result()
            retried = count_in_log(server.logfile, RETRY_LOG)
        sent, left, twice = in_odoo(database, _check_sent_once)
    finally:
        drop_db(database)
    return {
        "cron_workers": cron_workers,
        **timings,
        "sent": sent,
        "left": left,
        "emailed_twice": twice,
        "serialization_retried": retried,
        **machine,
    }


def _time_dunning(database, before, timeout):
    started = time.monotonic()
    trigger_dunning(database)
    timings = {"decided_s": None, "sent_s": None, "done_s": None}
    while time.monotonic() - started < timeout:
        time.sleep(1)
        total, queued, unprinted, batches = map(
            int, rig.psql(DUNNING_STATE, database=database).split("|")
        )
        elapsed = round(time.monotonic() - started, 1)
        if total > before and timings["decided_s"] is None:
            timings["decided_s"] = elapsed
            timings["notices"] = total - before
        if timings["decided_s"] is not None and not queued and timings["sent_s"] is None:
            timings["sent_s"] = elapsed
        if timings["sent_s"] is not None and not unprinted and batches:
            timings["done_s"] = elapsed
            timings["letter_batches"] = batches
            return timings
    rig.log(f"the dunning did not finish in {timeout} s: {timings}")
    return timings


def _check_sent_once(env):
    """Notices sent, still queued, and customers emailed twice for the same level (see
    scripts/bench_dunning_workers.py)."""
    env.cr.execute(
        """SELECT COUNT(*) FILTER (WHERE state = 'sent'), COUNT(*) FILTER (WHERE state = 'queued')
             FROM collection_notice"""
    )
    sent, queued = env.cr.fetchone()
    env.cr.execute(
        """SELECT COUNT(*) FROM (
               SELECT msg.res_id, msg.subject FROM mail_mail m
                 JOIN mail_message msg ON msg.id = m.mail_message_id
                WHERE msg.model = 'collection.case'
             GROUP BY msg.res_id, msg.subject HAVING COUNT(*) > 1) AS twice"""
    )
    return sent, queued, env.cr.fetchone()[0]


# ------------------------------------------------------------
# REPORT
# ------------------------------------------------------------


def load_table(run):
    """Markdown: one table per phase of a worker count's run, and what the machine did."""
    lines = []
    for name, phase in run["phases"].items():
        pauses = ", ".join(f"{kind} {pause}" for kind, pause in phase["pauses"].items())
        lines += [
            f"**{run['workers']} HTTP worker{'s' if run['workers'] > 1 else ''}, {name}** "
            f"({phase['seconds']} s; pauses in s: {pauses}; {run['cron_workers']} cron "
            f"workers sent {phase['dunning_notices_sent_meanwhile']} dunning notices "
            "meanwhile)",
            "",
            "| request | count | per s | p50 ms | p95 ms | refused | errors |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for kind, k in phase["kinds"].items():
            errors = ", ".join(f"{error} {n}" for error, n in k["errors"].items()) or "0"
            lines.append(
                f"| {kind} | {k['count']} | {k['per_s']} | {k['p50_ms']} | {k['p95_ms']} "
                f"| {k['refused']} | {errors} |"
            )
        lines += ["", _machine_line(phase), ""]
    return "\n".join(lines)


def _machine_line(phase):
    lag = phase.get("lag") or {}
    cpu = ", ".join(f"{kind} {share}" for kind, share in phase["cpu_share"].items())
    return (
        f"Replica lag (each second, {lag.get('samples', 0)} samples): typical "
        f"{lag.get('kb_median')} kB / {lag.get('s_median')} s, max {lag.get('kb_max')} kB / "
        f"{lag.get('s_max')} s. Serialization failures retried by Odoo: "
        f"{phase['serialization_retried']} (given up: {phase['serialization_gave_up']}); "
        f"dunning batches rolled back on a conflict and sent again later: "
        f"{phase.get('dunning_batches_rolled_back', 0)}. "
        f"Cores busy: {phase['cores_busy']} of {os.cpu_count()} (iowait {phase['iowait']}); "
        f"by process, in cores: {cpu}. Served (primary rw, replica ro): "
        + ", ".join(f"{mode} {n}" for mode, n in phase.get("served", {}).items())
        + "."
    )


def dunning_table(runs):
    lines = [
        "| cron workers | notices | decided s | all sent s | letters printed s | vs 1 worker "
        "| sent once | cores busy |",
        "|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    first = runs[0].get("done_s") if runs else None
    for run in runs:
        share = f"{run['done_s'] / first:.0%}" if first and run.get("done_s") is not None else "-"
        once = "yes" if not run["emailed_twice"] and not run["left"] else (
            f"{run['emailed_twice']} twice, {run['left']} left"
        )  # fmt: skip
        lines.append(
            f"| {run['cron_workers']} | {run.get('notices')} | {run['decided_s']} "
            f"| {run['sent_s']} | {run['done_s']} | {share} | {once} | {run['cores_busy']} |"
        )
    return "\n".join(lines)


# ------------------------------------------------------------
# MAIN
# ------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="credit_collection_bench_large")
    parser.add_argument("--prefix", default="credit_collection_rig")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--cron-workers", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--load-cron-workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=60, help="seconds of saturated load")
    parser.add_argument("--paced-duration", type=int, default=40, help="seconds of paced load")
    parser.add_argument("--sales-pause", type=float, default=2.0)
    parser.add_argument("--billing-pause", type=float, default=4.0)
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--aging-pause", type=float, default=2.0)
    parser.add_argument("--statement-pause", type=float, default=2.0)
    parser.add_argument("--no-replica", dest="replica", action="store_false")
    parser.add_argument("--dunning-timeout", type=int, default=1200)
    parser.add_argument(
        "--no-dunning-during-load", dest="dunning_during_load", action="store_false",
        help="drive the load phases with the crons idle instead of the day's dunning running",
    )  # fmt: skip
    parser.add_argument("--reuse", action="store_true", help="reuse the prepared copies")
    parser.add_argument("--keep", action="store_true", help="keep the prepared copies")
    parser.add_argument("--keep-replica", action="store_true")
    return parser.parse_args()


def main():
    args = parse_args()
    rig.RIG_DIR.mkdir(parents=True, exist_ok=True)
    large, base = f"{args.prefix}_large", f"{args.prefix}_base"
    if not (args.reuse and db_exists(large) and db_exists(base)):
        prepare(args.source, args.prefix, args.orders)
    results = {"load": [], "dunning": [], "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    replica = rig.Replica(REPLICA_PORT) if args.replica and args.workers else None
    try:
        if replica:
            replica.start()
        for workers in args.workers:
            rig.log(f"load with {workers} HTTP workers for {args.duration} s")
            results["load"].append(load_run(base, workers, args, replica))
            print(load_table(results["load"][-1]), "\n", flush=True)
    finally:
        if replica and not args.keep_replica:
            replica.remove()
    for cron_workers in args.cron_workers:
        rig.log(f"dunning with {cron_workers} cron workers")
        results["dunning"].append(dunning_run(large, cron_workers, args))
        rig.log(json.dumps(results["dunning"][-1]))
    if results["dunning"]:
        print(dunning_table(results["dunning"]), flush=True)
    (rig.RIG_DIR / "results.json").write_text(json.dumps(results, indent=1))
    tables = [load_table(run) for run in results["load"]]
    if results["dunning"]:
        tables.append(dunning_table(results["dunning"]))
    (rig.RIG_DIR / "results.md").write_text("\n\n".join(tables) + "\n")
    if not args.keep:
        drop_db(large)
        drop_db(base)


if __name__ == "__main__":
    main()
