"""Credit evaluation (issue 5): the daily re-evaluation cron re-scores every customer from
its ledger; the history factors of all customers come from one set-based query.

Each function is run by scripts/bench_runner.py inside a savepoint that is rolled back, as the
superuser (the cron's user). The cron commits every batch (``ir.cron._commit_progress``);
here the batches run the same way without the commits, and the timed block ends with what
those commits would add (the flush and the chatter messages posted at pre-commit).
"""

from odoo.tools import SQL

BATCH_SIZE = 500  # the cron's default


def prepare(env):
    """The generator copies invoices in bulk SQL, so Odoo never raised the customers'
    ``customer_rank`` as posting an invoice does: raise it once, as posting would have."""
    env.execute_query(
        SQL(
            """UPDATE res_partner SET customer_rank = 1
                WHERE customer_rank = 0
                  AND id IN (SELECT DISTINCT partner_id FROM account_move
                              WHERE move_type = 'out_invoice' AND state = 'posted')"""
        )
    )
    env.invalidate_all()


def _company(env):
    return env["res.company"].search([], order="id", limit=1)


def _reevaluate(env, company, customers, batch_size=BATCH_SIZE):
    """The cron's loop over ``customers`` (``_cron_reevaluate`` without its commits), then
    the flush and messages of its commits."""
    reviews = env["credit.review"].with_company(company)
    behaviour = customers._get_payment_behaviour(company)
    created = reviews.browse()
    for start in range(0, len(customers), batch_size):
        batch = customers[start : start + batch_size]
        created |= reviews._reevaluate_customers(company, batch, behaviour)
    env.flush_all()
    env.cr.precommit.run()
    return created


def _forget_commit_hooks(env):
    """Nothing of a rolled back run may be sent when the runner later commits."""
    env.cr.precommit.clear()
    env.cr.postcommit.clear()


def bench_history_factors_of_every_customer(env, timer):
    """The payment behaviour (on time share, days late, worst overdue, DSO, relationship,
    revenue) of every customer in one query over all their receivables."""
    company = _company(env)
    customers = env["credit.review"]._customers_to_watch(company)
    with timer:
        behaviour = customers._get_payment_behaviour(company)
    assert behaviour


def bench_reevaluate_every_customer(env, timer):
    """The daily cron the first day: no customer graded yet, so every customer is scored,
    reviewed and approved (grade, score, limit, terms and chatter message on the customer
    and its contacts), in batches of 500."""
    company = _company(env)
    with timer:
        customers = env["credit.review"]._customers_to_watch(company)
        reviews = _reevaluate(env, company, customers)
    assert len(reviews) == len(customers), (len(reviews), len(customers))
    _forget_commit_hooks(env)


def bench_reevaluate_one_batch_of_500(env, timer):
    """One batch of the cron (500 customers): its queries do not depend on the number of
    customers, except Odoo's pages of 100 rows when it inserts and updates."""
    company = _company(env)
    customers = env["credit.review"]._customers_to_watch(company)[:BATCH_SIZE]
    with timer:
        reviews = _reevaluate(env, company, customers)
    # SIZE=small watches fewer customers than a batch: the batch is then all of them
    assert customers and len(reviews) == len(customers)
    _forget_commit_hooks(env)


def bench_reevaluate_one_batch_of_100(env, timer):
    """The same for 100 customers, to compare with the batch of 500."""
    company = _company(env)
    customers = env["credit.review"]._customers_to_watch(company)[:100]
    with timer:
        reviews = _reevaluate(env, company, customers)
    assert customers and len(reviews) == len(customers)
    _forget_commit_hooks(env)


def bench_reevaluate_quiet_day(env, timer):
    """The cron the day after: every customer is scored again from its ledger, nothing is
    due and nothing moved, so no review is opened."""
    company = _company(env)
    customers = env["credit.review"]._customers_to_watch(company)
    _reevaluate(env, company, customers)
    env["credit.review"].search([("state", "=", "to_approve")]).sudo()._approve()
    env.flush_all()
    env.cr.precommit.run()
    env.invalidate_all()
    with timer:
        customers = env["credit.review"]._customers_to_watch(company)
        reviews = _reevaluate(env, company, customers)
    assert not reviews, len(reviews)
    _forget_commit_hooks(env)
