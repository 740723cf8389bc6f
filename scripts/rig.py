"""The scale rig's moving parts, shared by the rig's scripts (load and faults): a streaming
replica of the local PostgreSQL cluster, Odoo in prefork mode (HTTP workers and cron
workers) against the primary and the replica, and a JSON-RPC client that calls Odoo the way
the web client does (so Odoo's read-only routing applies).

Development only: never imported by the addon. It needs root (Debian's PostgreSQL runs as
``postgres``; the replica is started with ``runuser``) and says what it changes on the
machine: the rig adds ``replication`` lines to the cluster's pg_hba.conf if they are missing.
"""

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo/19.0"))
ODOO_CONF = ROOT / ".odoorc"
RIG_DIR = Path(os.environ.get("RIG_DIR", "/var/tmp/credit_collection_rig"))


def log(message):
    print(f"[rig] {message}", flush=True)


def psql(sql, port=5432, database="postgres"):
    """One value (or rows, tab-separated) from ``sql``, as the current (trusted) user."""
    out = subprocess.run(
        ["psql", "-p", str(port), "-d", database, "-AtXqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    if not found:
        raise SystemExit("pg_basebackup not found: apt install postgresql (Debian's)")
    return Path(found[-1]).parent


def _as_postgres(*command, **kwargs):
    command = ["runuser", "-u", "postgres", "--", *map(str, command)]
    return subprocess.run(command, check=True, **kwargs)


# ------------------------------------------------------------
# REPLICA
# ------------------------------------------------------------


class Replica:
    """A hot standby of the local cluster on another port, fed by streaming replication.

    Built once with ``pg_basebackup`` (the whole cluster: every database is replicated, as
    in production) and kept in ``datadir`` for the next run; ``start(fresh=True)`` builds
    it again. A replication slot keeps the primary's WAL until the replica has it, even
    while the replica is stopped: ``remove()`` drops the slot with the copy, or the
    primary's disk fills up. Long report queries on it are not cancelled by the primary's
    vacuum (``hot_standby_feedback``)."""

    def __init__(self, port=5433, datadir=None):
        self.port = port
        self.datadir = Path(datadir or RIG_DIR / f"replica-{port}")
        self.bin = _pg_bin()
        self.slot = f"credit_collection_rig_{port}"

    def start(self, fresh=False):
        self._allow_replication()
        has_slot = psql(f"SELECT 1 FROM pg_replication_slots WHERE slot_name = '{self.slot}'")
        if fresh or not has_slot or not (self.datadir / "standby.signal").exists():
            self._base_backup()
        if not self.running():
            _as_postgres(
                self.bin / "pg_ctl", "-D", self.datadir, "-l", self.datadir / "replica.log",
                "-w", "-t", "300", "start",
            )  # fmt: skip
        self.wait_caught_up()
        log(f"replica on port {self.port} streaming from the primary ({self.datadir})")
        return self

    def stop(self):
        if self.running():
            _as_postgres(self.bin / "pg_ctl", "-D", self.datadir, "-m", "fast", "-w", "stop")

    def remove(self):
        """Stop the replica, drop its slot (the primary stops keeping WAL for it) and its copy."""
        self.stop()
        psql(
            f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
            f" WHERE slot_name = '{self.slot}'"
        )
        if self.datadir.exists():
            shutil.rmtree(self.datadir)
        log(f"replica on port {self.port} removed (slot {self.slot} dropped)")

    def running(self):
        return (self.datadir / "postmaster.pid").exists() and subprocess.run(
            ["runuser", "-u", "postgres", "--", self.bin / "pg_ctl", "-D", self.datadir, "status"],
            capture_output=True,
            check=False,
        ).returncode == 0

    def lag(self):
        """``(bytes, seconds)`` the replica is behind the primary: WAL not yet replayed, and
        the primary's own measure of the replay delay (``pg_stat_replication.replay_lag``,
        empty when idle)."""
        row = psql(
            "SELECT COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0),"
            "       COALESCE(EXTRACT(EPOCH FROM replay_lag), 0)"
            "  FROM pg_stat_replication ORDER BY backend_start DESC LIMIT 1"
        )
        if not row:
            return None, None
        lag_bytes, lag_seconds = row.split("|")
        return int(float(lag_bytes)), float(lag_seconds)

    def wait_caught_up(self, timeout=600):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if psql("SELECT pg_is_in_recovery()", port=self.port) == "t":
                    lag_bytes, _seconds = self.lag()
                    if lag_bytes is not None and lag_bytes < 1024 * 1024:
                        return
            except subprocess.CalledProcessError:
                pass  # still starting
            time.sleep(1)
        raise SystemExit(f"the replica on port {self.port} did not catch up in {timeout} s")

    def wait_for_database(self, database, timeout=600):
        """Wait until ``database``, just created on the primary, can be read on the
        replica: replaying its CREATE DATABASE copies the files there, while the WAL lag
        already looks nil. Odoo started before that falls back to the primary for its
        read-only requests (for 20 minutes) instead."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                psql("SELECT 1", port=self.port, database=database)
                return
            except subprocess.CalledProcessError:
                time.sleep(1)
        raise SystemExit(f"{database} did not reach the replica on port {self.port} in {timeout} s")

    def _allow_replication(self):
        hba = Path(psql("SHOW hba_file"))
        lines = hba.read_text().splitlines()
        wanted = ["local replication all trust", "host replication all 127.0.0.1/32 trust"]
        missing = [line for line in wanted if line not in lines]
        if missing:
            log(f"adding to {hba}: {'; '.join(missing)} (reloading the configuration)")
            hba.write_text("\n".join([*lines, *missing]) + "\n")
            psql("SELECT pg_reload_conf()")

    def _base_backup(self):
        self.remove()
        self.datadir.mkdir(parents=True)
        os.chmod(self.datadir, 0o700)
        shutil.chown(self.datadir, "postgres", "postgres")
        size = psql("SELECT pg_size_pretty(SUM(pg_database_size(datname))) FROM pg_database")
        log(f"copying the cluster ({size}) with pg_basebackup into {self.datadir}")
        started = time.monotonic()
        _as_postgres(
            self.bin / "pg_basebackup", "-h", "/var/run/postgresql", "-p", "5432",
            "-D", self.datadir, "-R", "-X", "stream", "-c", "fast", "-C", "-S", self.slot,
        )  # fmt: skip
        log(f"base backup done in {time.monotonic() - started:.0f} s")
        self._write_config()

    def _write_config(self):
        # a hot standby needs at least the primary's values of these
        settings = {
            name: psql(f"SHOW {name}")
            for name in (
                "max_connections",
                "max_worker_processes",
                "max_wal_senders",
                "max_prepared_transactions",
                "max_locks_per_transaction",
            )
        }
        conf = {
            **settings,
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": "'/var/run/postgresql'",
            "hot_standby": "on",
            "hot_standby_feedback": "on",
            "max_standby_streaming_delay": "'300s'",
            "shared_buffers": "'256MB'",
            "hba_file": f"'{self.datadir / 'pg_hba.conf'}'",
            "ident_file": f"'{self.datadir / 'pg_ident.conf'}'",
        }
        primary_conf = Path(psql("SHOW config_file")).parent
        for name in ("pg_hba.conf", "pg_ident.conf"):
            shutil.copy(primary_conf / name, self.datadir / name)
        text = "".join(f"{key} = {value}\n" for key, value in conf.items())
        (self.datadir / "postgresql.conf").write_text(text)
        subprocess.run(["chown", "-R", "postgres:postgres", str(self.datadir)], check=True)


# ------------------------------------------------------------
# ODOO
# ------------------------------------------------------------


class OdooServer:
    """Odoo serving one database in prefork mode: ``workers`` HTTP worker processes and
    ``cron_workers`` cron worker processes (``--max-cron-threads``), optionally reading from
    a replica (``--db_replica_host/port``: read-only routes and ``api.readonly`` calls go
    there). Use as a context manager; the log is in ``logfile``."""

    def __init__(
        self, database, port, *, workers=2, cron_workers=0, replica_port=None, logfile=None
    ):
        self.database = database
        self.port = port
        self.workers = workers
        self.cron_workers = cron_workers
        self.replica_port = replica_port
        self.logfile = Path(logfile or RIG_DIR / f"odoo-{port}.log")
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        command = [
            PY, ODOO_PATH / "odoo-bin", "-c", ODOO_CONF, "-d", self.database,
            "--db-filter", f"^{self.database}$", "--no-database-list",
            "--http-interface", "127.0.0.1", "--http-port", self.port,
            "--gevent-port", self.port + 1,
            "--workers", self.workers, "--max-cron-threads", self.cron_workers,
            "--limit-time-real", 3600, "--limit-time-cpu", 3600,
            "--limit-time-real-cron", 3600,
            "--limit-memory-soft", 4 << 30, "--limit-memory-hard", 6 << 30,
            "--log-level", "info", "--logfile", self.logfile,
        ]  # fmt: skip
        if self.replica_port:
            command += ["--db_replica_host", "127.0.0.1", "--db_replica_port", self.replica_port]
        return [str(part) for part in command]

    def start(self, timeout=180):
        if _listening(self.port):
            # another server (an earlier run left behind?) would answer for this one
            raise SystemExit(f"port {self.port} is already in use: stop what listens there")
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        self.logfile.write_text("")
        self.process = subprocess.Popen(self.command(), start_new_session=True)
        try:
            return self._wait_healthy(timeout)
        except BaseException:
            self.stop()  # __exit__ does not run when __enter__ fails
            raise

    def _wait_healthy(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"Odoo stopped at start: see {self.logfile}")
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).status_code == 200:
                    replica = f", replica on port {self.replica_port}" if self.replica_port else ""
                    log(
                        f"Odoo on {self.url}: {self.workers} HTTP workers, "
                        f"{self.cron_workers} cron workers{replica}"
                    )
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or too busy starting (a loaded machine)
            time.sleep(0.5)
        raise SystemExit(f"Odoo did not answer on {self.url} in {timeout} s: see {self.logfile}")

    def stop(self):
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def children(self, kind):
        """The pids of the worker processes of ``kind`` ("WorkerHTTP", "WorkerCron"), read
        from the titles Odoo gives its workers."""
        pids = []
        for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
            try:
                title = Path(cmdline).read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith(f"odoo: {kind} "):
                pid = int(cmdline.split("/")[2])
                if _parent(pid) == self.process.pid:
                    pids.append(pid)
        return pids

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _parent(pid):
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


# ------------------------------------------------------------
# CLIENT
# ------------------------------------------------------------


class Client:
    """A logged-in user calling Odoo over JSON-RPC on the web client's routes
    (``/web/dataset/call_kw`` and ``call_button``), so that Odoo routes read-only calls to
    the replica exactly as it does for a browser."""

    def __init__(self, url, database, login, password):
        self.url = url
        self.session = requests.Session()
        self.context = {}
        result = self._post(
            "/web/session/authenticate", {"db": database, "login": login, "password": password}
        )
        self.uid = result["uid"]
        self.context = result.get("user_context", {})

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        route = "call_button" if method.startswith("action_") else "call_kw"
        return self._post(
            f"/web/dataset/{route}/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def get(self, path, **params):
        response = self.session.get(f"{self.url}{path}", params=params, timeout=600)
        response.raise_for_status()
        return response

    def _post(self, path, params):
        response = self.session.post(
            f"{self.url}{path}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}),
            headers={"Content-Type": "application/json"},
            timeout=600,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"])
        return body["result"]


class RpcError(Exception):
    """An error Odoo returned; ``kind`` is its exception's name (serialization failures
    that Odoo retried never reach the client)."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.kind = data.get("name", "")
        super().__init__(data.get("message") or error.get("message"))
