"""A daily job's batches (credit.cron.batch) shared by N workers, side by side, as N cron
threads would run them.

    .venv/bin/python scripts/bench_cron_batches.py -c .odoorc -d SOURCE --job reevaluate \\
        --workers 1 2

For each worker count: a fresh copy of SOURCE (a generated database with the addon up to
date), the day's batches of the job planned (``credit.cron.batch._plan``, committed, the
workers not woken), then N processes each running the batches it can claim
(``_cron_run_batches``, one commit per batch) until none is left. Prints the wall time of
the run, the batches done and left, what they made (reviews, snapshots, companies
forecast) and the customers reviewed twice (re-evaluation) or months photographed twice
(snapshots), then drops the copy. The time starts once every worker has loaded the
registry.
"""

import argparse
import multiprocessing
import subprocess
import time

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry


def _env_run(config, database, function, *args):
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    with Registry(database).cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}), *args)


def _plan(env, job):
    """The planner's work without waking the cron workers (the processes are the workers)."""
    from odoo.addons.credit_collection.models.credit_cron_batch import JOB_MODELS

    batches = env["credit.cron.batch"]
    today = fields.Date.context_today(batches)
    for company in env["res.company"].search([]):
        shares = env[JOB_MODELS[job]].with_company(company)._plan_cron_batches(company, today)
        batches._record(job, company, today, shares)
    return batches.search_count([("state", "=", "pending")])


def _run(env, barrier):
    # the registry is loaded: wait for the other workers, so that the time is the run's only
    env.cr.rollback()
    barrier.wait()
    env["credit.cron.batch"]._cron_run_batches()


def _check(env, job):
    env.cr.execute(
        """SELECT COUNT(*) FILTER (WHERE state = 'done'), COUNT(*) FILTER (WHERE state != 'done')
             FROM credit_cron_batch"""
    )
    done, left = env.cr.fetchone()
    twice = {
        "reevaluate": """SELECT COUNT(*) FROM (SELECT partner_id, company_id FROM credit_review
                          WHERE date = CURRENT_DATE GROUP BY 1, 2 HAVING COUNT(*) > 1) t""",
        "snapshot": """SELECT COUNT(*) FROM (SELECT company_id, date FROM
                        credit_receivable_snapshot GROUP BY 1, 2 HAVING COUNT(*) > 1) t""",
        "forecast": "SELECT 0",
    }[job]
    env.cr.execute(twice)
    twice = env.cr.fetchone()[0]
    made = {
        "reevaluate": "SELECT COUNT(*) FROM credit_review WHERE date = CURRENT_DATE",
        "snapshot": "SELECT COUNT(*) FROM credit_receivable_snapshot",
        "forecast": "SELECT COUNT(DISTINCT company_id) FROM credit_cashin_forecast",
    }[job]
    env.cr.execute(made)
    return done, left, twice, env.cr.fetchone()[0]


def _worker(config, database, barrier):
    _env_run(config, database, _run, barrier)


def measure(config, source, job, workers):
    copy = f"{source}_batches_{workers}"
    subprocess.run(["dropdb", "--if-exists", "--force", copy], check=True)
    subprocess.run(["createdb", "-T", source, copy], check=True)
    try:
        planned = _env_run(config, copy, _plan, job)
        barrier = multiprocessing.Barrier(workers + 1)
        processes = [
            multiprocessing.Process(target=_worker, args=(config, copy, barrier))
            for _ in range(workers)
        ]
        for process in processes:
            process.start()
        barrier.wait()
        started = time.monotonic()
        for process in processes:
            process.join()
        seconds = time.monotonic() - started
        done, left, twice, made = _env_run(config, copy, _check, job)
        return {
            "job": job,
            "workers": workers,
            "batches": planned,
            "seconds": round(seconds, 1),
            "done": done,
            "left": left,
            "made": made,
            "twice": twice,
        }
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", copy], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True, help="the generated database to copy")
    parser.add_argument("--job", choices=["reevaluate", "snapshot", "forecast"], required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    multiprocessing.set_start_method("spawn")
    for workers in args.workers:
        print(measure(args.config, args.database, args.job, workers), flush=True)


if __name__ == "__main__":
    main()
