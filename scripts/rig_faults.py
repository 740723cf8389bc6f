"""Fault injection in the scale rig: the daily dunning run by Odoo's own cron workers
(prefork, ``--workers 2 --max-cron-threads 2``) while something breaks, then checks, in SQL,
that every notice was sent exactly once and that no case was left half-written, and shows
what the log says.

    RIG_DIR=/var/tmp/rig-faults .venv/bin/python scripts/rig_faults.py \\
        --source credit_collection_bench_medium [--scenario kill-worker db-cut disk-full]

Each scenario runs on a fresh copy of ``--source`` (``createdb -T``, with its filestore;
nobody may be connected to the source), dropped at the end unless ``--keep``:

``kill-worker``
    ``kill -9`` of a cron worker busy sending, once a quarter of the notices are sent; Odoo's
    master starts a new worker and the job is run again.
``db-cut``
    ``pg_terminate_backend`` of every backend of the copy (Odoo's workers' connections), once
    a quarter of the notices are sent. Only that database's connections: the PostgreSQL
    service itself is never restarted (other databases on the cluster keep working).
``disk-full``
    the sending finishes, then the copy's filestore folder is replaced by a tmpfs holding
    its files and nothing more (pre-filled to the last byte) while the finishing job prints
    the letters; then the tmpfs is unmounted and the finishing job run again (the "next
    run"). Needs root (``mount``).

The checks (``CHECKS``) define "half-written": a notice sent without a case, a case whose
level or last notice date does not match its latest sent notices, an email or activity
missing or doubled for a case and level, a sent letter in no batch, a batch whose PDF is not
in the filestore. Development only: never imported by the addon.
"""

import argparse
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from rig import ODOO_CONF, RIG_DIR, OdooServer, log, psql

MODULE = "credit_collection"
DAILY_CRON = "ir_cron_collection_dunning"
FINISH_CRON = "ir_cron_collection_dunning_finish"
SENDER_CRONS = tuple(f"ir_cron_collection_dunning_send_{n}" for n in range(1, 5))
SCENARIOS = ("kill-worker", "db-cut", "disk-full")

# the emails to a case's customer (the case's chatter also emails the collectors the
# activities it assigns them)
DUNNING_EMAILS = """SELECT msg.res_id, msg.subject FROM mail_mail m
                      JOIN mail_message msg ON msg.id = m.mail_message_id
                      JOIN collection_case c ON c.id = msg.res_id
                      JOIN mail_mail_res_partner_rel r ON r.mail_mail_id = m.id
                                                      AND r.res_partner_id = c.partner_id
                     WHERE msg.model = 'collection.case'"""

# (name, SQL counting what is wrong: 0 is a pass)
CHECKS = (
    (
        "no notice left queued",
        "SELECT COUNT(*) FROM collection_notice WHERE state = 'queued'",
    ),
    (
        "every sent notice is in a case of its customer and company",
        """SELECT COUNT(*) FROM collection_notice n
             LEFT JOIN collection_case c ON c.id = n.case_id
            WHERE n.state = 'sent'
              AND (c.id IS NULL OR c.partner_id <> n.partner_id OR c.company_id <> n.company_id)""",
    ),
    (
        "each case's level, last notice date and state follow its latest sent notices"
        " (in progress, legal, or closed by the run's refresh: paid up)",
        """WITH latest AS (
               SELECT DISTINCT ON (n.case_id) n.case_id, n.date, n.level_id
                 FROM collection_notice n
                 JOIN collection_policy_level l ON l.id = n.level_id
                WHERE n.state = 'sent'
             ORDER BY n.case_id, n.date DESC, l.days DESC)
           SELECT COUNT(*) FROM latest
             JOIN collection_case c ON c.id = latest.case_id
            WHERE c.level_id IS DISTINCT FROM latest.level_id
               OR c.last_notice_date IS DISTINCT FROM latest.date
               OR c.state NOT IN ('in_progress', 'legal', 'closed')
               OR (c.state = 'closed' AND c.date_closed IS NULL)""",
    ),
    (
        "one dunning email per case and email level, none missing",
        f"""WITH expected AS (
               SELECT DISTINCT n.case_id, n.level_id FROM collection_notice n
                 JOIN collection_policy_level l ON l.id = n.level_id
                WHERE n.state = 'sent' AND l.mail_template_id IS NOT NULL),
           dunning AS ({DUNNING_EMAILS})
           SELECT ABS((SELECT COUNT(*) FROM expected) - (SELECT COUNT(*) FROM dunning))""",
    ),
    (
        "no case emailed twice with the same subject",
        f"""SELECT COUNT(*) FROM (
               SELECT res_id, subject FROM ({DUNNING_EMAILS}) AS dunning
             GROUP BY res_id, subject HAVING COUNT(*) > 1) AS twice""",
    ),
    (
        "no activity scheduled twice on a case",
        """SELECT COUNT(*) FROM (
               SELECT res_id, activity_type_id, summary FROM mail_activity
                WHERE res_model = 'collection.case'
             GROUP BY res_id, activity_type_id, summary HAVING COUNT(*) > 1) AS twice""",
    ),
    (
        "every open case with notices has its amounts refreshed",
        """SELECT COUNT(*) FROM collection_case c
            WHERE c.state IN ('open', 'in_progress', 'promised', 'dispute', 'legal')
              AND c.amount_due = 0
              AND EXISTS (SELECT 1 FROM collection_notice n WHERE n.case_id = c.id)""",
    ),
    (
        "every sent letter is in a batch",
        """SELECT COUNT(*) FROM collection_notice n
             JOIN collection_policy_level l ON l.id = n.level_id
            WHERE n.state = 'sent' AND l.channel = 'letter' AND n.letter_batch_id IS NULL""",
    ),
    (
        "every letter batch has a PDF attachment",
        """SELECT COUNT(*) FROM collection_letter_batch b
             LEFT JOIN ir_attachment a ON a.id = b.attachment_id
            WHERE a.id IS NULL OR a.mimetype <> 'application/pdf'""",
    ),
)


def sql(query, database="postgres", attempts=5):
    """``psql`` on ``database``, tried again when it fails (the rig's own queries meet the
    faults it injects: a lock, a terminated backend), saying why."""
    for attempt in range(attempts):
        try:
            return psql(query, database=database)
        except subprocess.CalledProcessError as error:
            if attempt + 1 == attempts:
                raise SystemExit(f"psql failed: {error.stderr.strip()}\n{query}") from error
            log(f"psql failed ({error.stderr.strip()}): trying again")
            time.sleep(1)
    return None


def data_dir():
    text = Path(ODOO_CONF).read_text()
    return Path(re.search(r"^data_dir\s*=\s*(.+)$", text, re.M).group(1).strip())


def filestore(database):
    return data_dir() / "filestore" / database


# ------------------------------------------------------------
# THE COPY
# ------------------------------------------------------------


def make_copy(source, copy):
    drop_copy(copy)
    subprocess.run(["createdb", "-T", source, copy], check=True)
    if filestore(source).is_dir():
        subprocess.run(["cp", "-r", str(filestore(source)), str(filestore(copy))], check=True)
    # nothing runs by itself: only the jobs this rig triggers
    sql(
        "UPDATE ir_cron SET nextcall = (now() AT TIME ZONE 'UTC') + interval '7 days';"
        "DELETE FROM ir_cron_trigger; DELETE FROM ir_cron_progress;",
        database=copy,
    )


def drop_copy(copy):
    subprocess.run(["dropdb", "--if-exists", "--force", copy], check=True)
    subprocess.run(["rm", "-rf", str(filestore(copy))], check=True)


def cron_id(database, xmlid):
    return int(
        sql(
            f"SELECT res_id FROM ir_model_data WHERE module = '{MODULE}' AND name = '{xmlid}'",
            database=database,
        )
    )


def trigger(database, xmlid):
    """What ``ir.cron._trigger()`` does: a trigger due now, and the cron workers woken."""
    sql(
        f"INSERT INTO ir_cron_trigger (cron_id, call_at) "
        f"VALUES ({cron_id(database, xmlid)}, date_trunc('second', now() AT TIME ZONE 'UTC'))",
        database=database,
    )
    sql(f"SELECT pg_notify('cron_trigger', '{database}')")


def counts(database):
    row = sql(
        "SELECT COUNT(*) FILTER (WHERE state = 'sent'), COUNT(*) FILTER (WHERE state = 'queued')"
        " FROM collection_notice",
        database=database,
    )
    sent, queued = map(int, row.split("|"))
    return sent, queued


def busy_backends(database):
    """Backends of ``database`` in a transaction (a cron job running), other than psql's."""
    return int(
        sql(
            f"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{database}'"
            " AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')"
            " AND pid <> pg_backend_pid()",
            database=database,
        )
    )


def wait_sent_fraction(database, fraction, timeout=900):
    """Wait until ``fraction`` of the day's notices are sent (some sent, some still queued)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent, queued = counts(database)
        if queued + sent and sent >= fraction * (sent + queued) and queued:
            return sent, queued
        time.sleep(0.2)
    raise SystemExit(f"the sending did not reach {fraction:.0%} in {timeout} s")


def wait_done(database, timeout=1800, finish=True):
    """Wait until nothing is queued, no job of the dunning is due or running and (with
    ``finish``) the finishing job ran after the last notice was sent. The finishing job
    comes back every 5 minutes while notices are queued: the rig brings that run forward
    instead of waiting."""
    crons = ",".join(str(cron_id(database, x)) for x in (DAILY_CRON, *SENDER_CRONS))
    finish_id = cron_id(database, FINISH_CRON)
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        __, queued = counts(database)
        if not queued and finish:
            moved = sql(
                "UPDATE ir_cron_trigger"
                "   SET call_at = date_trunc('second', now() AT TIME ZONE 'UTC')"
                f" WHERE cron_id = {finish_id}"
                "   AND call_at > (now() AT TIME ZONE 'UTC')"
                "   AND call_at < (now() AT TIME ZONE 'UTC') + interval '6 minutes'"
                " RETURNING id",
                database,
            )
            if moved:
                sql(f"SELECT pg_notify('cron_trigger', '{database}')")
        due = int(
            sql(
                "SELECT COUNT(*) FROM ir_cron_trigger WHERE call_at <= now() AT TIME ZONE 'UTC'"
                f" AND cron_id IN ({crons}{f',{finish_id}' if finish else ''})",
                database=database,
            )
        )
        quiet = quiet + 1 if not queued and not due and not busy_backends(database) else 0
        if quiet >= 5:
            return
        time.sleep(0.5)
    raise SystemExit(f"the dunning did not finish in {timeout} s")


# ------------------------------------------------------------
# FAULTS
# ------------------------------------------------------------


def kill_cron_worker(server, database):
    """kill -9 the cron worker whose database connection is in a transaction (a job)."""
    busy_apps = sql(
        f"SELECT application_name FROM pg_stat_activity WHERE datname = '{database}'"
        " AND state IN ('active', 'idle in transaction')",
        database=database,
    ).split()
    workers = server.children("WorkerCron")
    busy = [pid for pid in workers if f"odoo-{pid}" in busy_apps] or workers
    pid = busy[0]
    os.kill(pid, signal.SIGKILL)
    return f"kill -9 of cron worker {pid} (cron workers {workers}, busy {busy})"


def cut_connections(database):
    count = sql(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        f" WHERE datname = '{database}' AND pid <> pg_backend_pid()) AS cut",
        database=database,
    )
    return f"pg_terminate_backend of the {count} backends of {database}"


class FullFilestore:
    """The database's filestore folder replaced by a tmpfs holding its files and nothing
    more: reading works, writing any new file fails with ENOSPC."""

    def __init__(self, database):
        self.path = filestore(database)
        self.saved = self.path.with_name(self.path.name + ".rig-saved")

    def __enter__(self):
        size = int(subprocess.run(
            ["du", "-sb", str(self.path)], check=True, capture_output=True, text=True
        ).stdout.split()[0])  # fmt: skip
        self.path.rename(self.saved)
        self.path.mkdir()
        tmpfs_kb = size // 1024 * 2 + 256  # room for the files and their folders' blocks
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={tmpfs_kb}k", "tmpfs", str(self.path)],
            check=True,
        )
        subprocess.run(["cp", "-a", f"{self.saved}/.", str(self.path)], check=True)
        subprocess.run(
            ["dd", "if=/dev/zero", f"of={self.path / 'rig-filler'}", "bs=4k"],
            capture_output=True,
            check=False,
        )  # runs until the disk is full
        free = os.statvfs(self.path)
        log(f"filestore {self.path} is a full tmpfs ({free.f_bavail * free.f_frsize} bytes free)")
        return self

    def __exit__(self, *exc):
        subprocess.run(["umount", str(self.path)], check=True)
        self.path.rmdir()
        self.saved.rename(self.path)
        log(f"filestore {self.path} unmounted and back on disk")


# ------------------------------------------------------------
# SCENARIOS
# ------------------------------------------------------------


def run_scenario(name, source, port, keep):
    copy = f"{source}_faults_{name.replace('-', '_')}"
    logfile = RIG_DIR / f"faults-{name}.log"
    log(f"=== {name}: copying {source} to {copy}")
    make_copy(source, copy)
    events = []
    started = time.monotonic()
    try:
        if name == "disk-full":  # printed by the rig's own trigger, once the disk is full
            sql(f"UPDATE ir_cron SET active = false WHERE id = {cron_id(copy, FINISH_CRON)}",
                 database=copy)  # fmt: skip
        with OdooServer(copy, port, workers=2, cron_workers=2, logfile=logfile) as server:
            trigger(copy, DAILY_CRON)
            events.append(f"dunning triggered ({DAILY_CRON})")
            if name == "disk-full":
                events += disk_full(copy)
            else:
                sent, queued = wait_sent_fraction(copy, 0.25)
                events.append(f"{sent} notices sent, {queued} queued: injecting the fault")
                if name == "kill-worker":
                    events.append(kill_cron_worker(server, copy))
                else:
                    events.append(cut_connections(copy))
                wait_done(copy)
            events.append(f"dunning finished, {time.monotonic() - started:.0f} s after start")
        verdicts = check(copy)
    finally:
        if not keep:
            drop_copy(copy)
    for event in events:
        log(f"{name}: {event}")
    report(name, verdicts, logfile)
    return all(bad == 0 for __, bad in verdicts)


def disk_full(copy):
    events = []
    wait_done(copy, finish=False)
    sent, queued = counts(copy)
    events.append(f"sending done ({sent} sent, {queued} queued); filestore filled")
    sql(f"UPDATE ir_cron SET active = true WHERE id = {cron_id(copy, FINISH_CRON)}",
         database=copy)  # fmt: skip
    with FullFilestore(copy):
        trigger(copy, FINISH_CRON)
        events.append("finishing job triggered with the filestore full")
        wait_done(copy)
        events.append(f"{letter_state(copy)} after the run with the disk full")
    trigger(copy, FINISH_CRON)
    events.append("filestore freed; finishing job triggered again (the next run)")
    wait_done(copy)
    events.append(f"{letter_state(copy)} after the next run")
    return events


def letter_state(copy):
    batches, letters = sql(
        "SELECT COUNT(*), COALESCE(SUM((SELECT COUNT(*) FROM collection_notice n"
        " WHERE n.letter_batch_id = b.id)), 0) FROM collection_letter_batch b",
        database=copy,
    ).split("|")
    unprinted = sql(
        "SELECT COUNT(*) FROM collection_notice n JOIN collection_policy_level l"
        " ON l.id = n.level_id WHERE l.channel = 'letter' AND n.state = 'sent'"
        " AND n.letter_batch_id IS NULL",
        database=copy,
    )
    return f"{batches} letter batches holding {letters} letter notices, {unprinted} unprinted"


# ------------------------------------------------------------
# CHECKS AND REPORT
# ------------------------------------------------------------


def check(copy):
    verdicts = [(name, int(sql(query, copy))) for name, query in CHECKS]
    verdicts.append(("every letter PDF is in the filestore, whole", missing_files(copy)))
    sent, queued = counts(copy)
    mails = sql(f"SELECT COUNT(*) FROM ({DUNNING_EMAILS}) AS dunning", copy)
    log(f"{copy}: {sent} notices sent, {queued} queued, {mails} dunning emails queued")
    return verdicts


def missing_files(copy):
    rows = sql(
        "SELECT a.store_fname, a.checksum FROM collection_letter_batch b"
        " JOIN ir_attachment a ON a.id = b.attachment_id WHERE a.store_fname IS NOT NULL",
        database=copy,
    )
    bad = 0
    for line in filter(None, rows.splitlines()):
        fname, checksum = line.split("|")
        path = filestore(copy) / fname
        if not path.is_file() or hashlib.sha1(path.read_bytes()).hexdigest() != checksum:
            bad += 1
    return bad


LOG_PATTERN = re.compile(
    r" (WARNING|ERROR|CRITICAL) | odoo\.addons\.credit_collection\.|"
    r"odoo\.addons\.base\.models\.ir_cron: Job '(Collections|Odoo)"
)


def report(name, verdicts, logfile):
    for check_name, bad in verdicts:
        log(f"{name}: {'PASS' if not bad else 'FAIL'} {check_name}" + (f" ({bad})" if bad else ""))
    lines = [
        line
        for line in logfile.read_text().splitlines()
        if LOG_PATTERN.search(line) and "wkhtmltopdf: The switch" not in line
    ]
    log(f"{name}: {len(lines)} log lines of the dunning, cron jobs and failures ({logfile}):")
    shown = lines if len(lines) <= 80 else [*lines[:40], "   [...]", *lines[-40:]]
    for line in shown:
        print(f"    {line[:300]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="credit_collection_bench_medium")
    parser.add_argument("--scenario", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--keep", action="store_true", help="keep the copies (inspection)")
    args = parser.parse_args()
    # a kill (SIGTERM) unwinds like an error: servers stopped, tmpfs unmounted, copies dropped
    signal.signal(signal.SIGTERM, lambda *__: sys.exit(143))
    if os.geteuid() != 0 and "disk-full" in args.scenario:
        raise SystemExit("disk-full mounts a tmpfs: run as root")
    results = {
        name: run_scenario(name, args.source, args.port, args.keep) for name in args.scenario
    }
    log("verdicts: " + ", ".join(f"{n} {'PASS' if ok else 'FAIL'}" for n, ok in results.items()))
    sys.exit(0 if all(results.values()) else 1)


if __name__ == "__main__":
    main()
