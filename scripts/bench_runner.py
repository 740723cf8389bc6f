"""Run every scripts/benchmarks/bench_*.py on a benchmark database and report.

    scripts/bench_runner.py -d credit_collection_bench_small --size small [--runs 7]

A benchmark module defines functions ``bench_<name>(env, timer)``; each is called once to
warm the caches, then ``--runs`` times, every call inside a savepoint rolled back
afterwards, so that runs do not see each other's writes. Only what happens inside
``with timer:`` is measured: wall time and the number of SQL queries (Odoo's cursor counts
every query in ``sql_log_count``), pending ORM writes flushed included.

A module may define ``prepare(env)``: it runs once before the module's benchmarks and is
committed, so that it can add lasting fixtures (a customer with 5,000 open invoices...) to
the benchmark database. It must be idempotent: it finds what an earlier run made.

``--only PATTERN`` runs the benchmarks whose ``module.function`` contains PATTERN.

Prints a table and writes it, with the machine, date and commit, into docs/benchmarks.md:
the rows of the benchmarks that ran are replaced or added in the section of this size,
the other rows are kept. The database is vacuumed and analysed after the fixtures and
before the first measurement.
"""

import argparse
import importlib.util
import os
import platform
import re
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import odoo
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


class Timer:
    """Context manager measuring wall time and SQL queries of the timed block."""

    def __init__(self, env):
        self.env = env
        self.seconds = self.queries = None

    def __enter__(self):
        self._queries = self.env.cr.sql_log_count
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.env.flush_all()
        self.seconds = time.perf_counter() - self._start
        self.queries = self.env.cr.sql_log_count - self._queries
        return False


def load_benchmarks(only=None):
    """(module, function name, function) of every benchmark, in file order."""
    found = []
    for path in sorted((ROOT / "scripts" / "benchmarks").glob("bench_*.py")):
        module = _load(path)
        found += [
            (module, name, getattr(module, name))
            for name in vars(module)
            if name.startswith("bench_")
            and callable(getattr(module, name))
            and (not only or only in f"{path.stem}.{name}")
        ]
    return found


def run_one(env, func, runs):
    """Median, min, max milliseconds and median queries of ``runs`` calls after a warm-up."""
    timings, queries = [], []
    for i in range(runs + 1):
        timer = Timer(env)
        savepoint = env.cr.savepoint()
        try:
            func(env, timer)
        finally:
            savepoint.close(rollback=True)
            env.invalidate_all()
        if i and timer.seconds is not None:  # the first call warms the caches
            timings.append(timer.seconds * 1000)
            queries.append(timer.queries)
    return {
        "median": statistics.median(timings),
        "min": min(timings),
        "max": max(timings),
        "queries": int(statistics.median(queries)),
        "runs": len(timings),
    }


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB RAM"


def commit():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--", ".") else ""
    return f"{git('rev-parse', '--short', 'HEAD')}{dirty}"


def _previous_rows(size):
    """{row key: markdown row} of the section of this size in docs/benchmarks.md."""
    text = DOC.read_text() if DOC.exists() else ""
    match = re.search(rf"<!-- bench:{size}:start -->(.*?)<!-- bench:{size}:end -->", text, re.S)
    rows = re.findall(r"^(\| `([^`]+)` .*)$", match.group(1), re.M) if match else []
    return {key: line for line, key in rows}


def render(size, results, totals, build):
    lines = [
        f"<!-- bench:{size}:start -->",
        f"### {size}",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}",
        f"- Machine: {machine()}, PostgreSQL on the same host, "
        f"load average {os.getloadavg()[0]:.1f} while measuring",
        "- Database: " + ", ".join(f"{count:,} {label}" for label, count in totals.items()),
        f"- Build: {build}",
        "",
        "| benchmark | runs | median ms | min ms | max ms | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = _previous_rows(size)
    for module, name, r in results:
        rows[f"{module}.{name}"] = (
            f"| `{module}.{name}` | {r['runs']} | {r['median']:.1f} | {r['min']:.1f} "
            f"| {r['max']:.1f} | {r['queries']} |"
        )
    lines += [rows[key] for key in sorted(rows)]
    lines.append(f"<!-- bench:{size}:end -->")
    return "\n".join(lines)


def write_doc(size, section):
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n## Results\n"
    pattern = re.compile(rf"<!-- bench:{size}:start -->.*?<!-- bench:{size}:end -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        marker = "<!-- bench:results -->"
        text = text.replace(marker, f"{marker}\n{section}\n") if marker in text else text + section
    DOC.write_text(text if text.endswith("\n") else text + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default=str(ROOT / ".odoorc"))
    parser.add_argument("--size", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--build", default="reused an existing database")
    parser.add_argument("--only", help="run the benchmarks whose module.function contains this")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    checks = _load(ROOT / "scripts" / "receivables_checks.py")
    results = []
    with Registry(args.database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        totals = checks.totals(env)
        benchmarks = load_benchmarks(args.only)
        for module in dict.fromkeys(module for module, _name, _func in benchmarks):
            if hasattr(module, "prepare"):
                module.prepare(env)
                cr.commit()
        vacuum(args.database)
        for module, name, func in benchmarks:
            result = run_one(env, func, args.runs)
            results.append((module.__name__, name, result))
            print(
                f"{module.__name__}.{name:<45} median {result['median']:8.1f} ms"
                f"  [{result['min']:.1f} .. {result['max']:.1f}]  {result['queries']:>4} queries",
                flush=True,
            )
        cr.rollback()
    section = render(args.size, results, totals, args.build)
    write_doc(args.size, section)
    print()
    print(section)
    print(f"\nwritten to {DOC.relative_to(ROOT)}")


def vacuum(database):
    """VACUUM ANALYZE before measuring, as autovacuum keeps a live database: rows just
    written by the generator or by ``prepare`` are otherwise not yet marked all-visible, and
    index-only scans then visit the table for each of them (what a live database does not)."""
    subprocess.run(["psql", "-d", database, "-qc", "VACUUM ANALYZE"], check=True)


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    main()
