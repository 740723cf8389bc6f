"""A daily job's batches (credit.cron.batch) shared by N workers, side by side, as N cron
threads would run them.

    .venv/bin/python scripts/bench_cron_batches.py -c .odoorc -d SOURCE --job reevaluate \\
        --workers 1 2

For each worker count: a fresh copy of SOURCE (a generated database with the addon up to
date), the day's batches of the job planned (``credit.cron.batch._plan``, committed; the
worker jobs it wakes are left alone), then N processes each running the batches it can claim
(``_cron_run_batches``, one commit per batch) until none is left. Prints the wall time of
the run, the batches done and left, what they made (reviews, snapshots, companies
forecast) and the customers reviewed twice (re-evaluation) or months photographed twice
(snapshots), then drops the copy. The time starts once every worker has loaded the
registry.
"""

import multiprocessing
import time

from bench_workers import arguments, database_copy, env_run


def _plan(env, job):
    """The planner, committed; the worker jobs it wakes are not run (no server: the
    processes are the workers)."""
    env["credit.cron.batch"]._plan(job)
    return env["credit.cron.batch"].search_count([("state", "=", "pending")])


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
    env_run(config, database, _run, barrier)


def measure(config, source, job, workers):
    with database_copy(source, f"{source}_batches_{workers}") as copy:
        planned = env_run(config, copy, _plan, job)
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
        done, left, twice, made = env_run(config, copy, _check, job)
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


def main():
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--job", choices=["reevaluate", "snapshot", "forecast"], required=True)
    args = parser.parse_args()
    multiprocessing.set_start_method("spawn")
    for workers in args.workers:
        print(measure(args.config, args.database, args.job, workers), flush=True)


if __name__ == "__main__":
    main()
