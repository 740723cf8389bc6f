"""What the benchmarks of work shared by N worker processes have in common
(scripts/bench_dunning_workers.py, scripts/bench_cron_batches.py): an environment in a
process of its own, a throw-away copy of the generated database per measure, and the
command line."""

import argparse
import contextlib
import subprocess

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def env_run(config, database, function, *args):
    """``function(env, *args)`` as superuser in ``database``, committed; its result."""
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    with Registry(database).cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}), *args)


@contextlib.contextmanager
def database_copy(source, name):
    """A fresh copy ``name`` of ``source`` for one measure, dropped afterwards."""
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", "-T", source, name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)


def arguments(description):
    """The command line both benchmarks take: the Odoo configuration, the generated
    database to copy and the worker counts; callers add their own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True, help="the generated database to copy")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    return parser
