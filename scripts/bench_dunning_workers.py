"""The dunning's sending shared by N workers, side by side, as N cron threads would run it.

    .venv/bin/python scripts/bench_dunning_workers.py -c .odoorc -d SOURCE --workers 1 2

For each worker count: a fresh copy of SOURCE (a generated database), the day's notices
decided (`collection.case._decide_dunning`, committed), then N processes each sending what
it can claim (`_send_queued_notices`, a batch of customers per commit) until nothing is
left. Prints the wall time of the sending, the notices sent and whether any customer got
the same level's email twice, then drops the copy.
"""

import multiprocessing
import time

from bench_workers import arguments, database_copy, env_run


def _decide(env):
    for company in env["res.company"].search([]):
        env["collection.case"].with_company(company)._decide_dunning(commit=True)
    return env["collection.notice"].search_count([("state", "=", "queued")])


def _send(env):
    for company in env["res.company"].search([]):
        env["collection.case"].with_company(company)._send_queued_notices(company, 100, True)


def _check(env):
    env.cr.execute(
        """SELECT COUNT(*) FILTER (WHERE state = 'sent'),
                  COUNT(*) FILTER (WHERE state = 'queued')
             FROM collection_notice"""
    )
    sent, queued = env.cr.fetchone()
    # one email per case and level sent: a second one would be a customer dunned twice
    env.cr.execute(
        """SELECT COUNT(*) FROM (
               SELECT msg.res_id, msg.subject
                 FROM mail_mail m
                 JOIN mail_message msg ON msg.id = m.mail_message_id
                WHERE msg.model = 'collection.case'
             GROUP BY msg.res_id, msg.subject HAVING COUNT(*) > 1) AS twice"""
    )
    return sent, queued, env.cr.fetchone()[0]


def _worker(config, database):
    env_run(config, database, _send)


def measure(config, source, workers):
    with database_copy(source, f"{source}_workers_{workers}") as copy:
        queued = env_run(config, copy, _decide)
        started = time.monotonic()
        processes = [
            multiprocessing.Process(target=_worker, args=(config, copy)) for _ in range(workers)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        seconds = time.monotonic() - started
        sent, left, twice = env_run(config, copy, _check)
        return {
            "workers": workers,
            "queued": queued,
            "seconds": round(seconds, 1),
            "sent": sent,
            "left": left,
            "emailed_twice": twice,
        }


def main():
    parser = arguments(__doc__.splitlines()[0])
    args = parser.parse_args()
    multiprocessing.set_start_method("spawn")
    for workers in args.workers:
        print(measure(args.config, args.database, workers), flush=True)


if __name__ == "__main__":
    main()
