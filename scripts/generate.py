"""Fill a benchmark database with receivables: scripts/generate.py -d DB --size small.

Runs Odoo's registry itself (no HTTP), with the configuration file written by setup.sh.
The work is in scripts/receivables_generator.py and scripts/receivables_checks.py, which
tests load too.
"""

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import odoo
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent


def load_tool(name):
    """scripts/ is no package (the addon must never import it): load a module by path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default=str(ROOT / ".odoorc"))
    parser.add_argument("--size", default="small", choices=["tiny", "small", "medium", "large"])
    parser.add_argument("--currency", default="CNY", help="company currency, set before generating")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    gen, checks_module = load_tool("receivables_generator"), load_tool("receivables_checks")
    started = time.monotonic()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        set_company_currency(env, args.currency)
        stats = gen.generate(env, args.size, log=lambda msg: say(started, msg))
        say(started, "self-test")
        checks = checks_module.self_test(env)
        stats.pop("reference_move_ids")
        print(f"[generate] {stats} in {time.monotonic() - started:.0f}s")
        print("[generate] self-test (offending rows, all must be 0):")
        for label, count in checks.items():
            print(f"  {'ok ' if count == 0 else 'BAD'} {count:>6}  {label}")
        for label, count in checks_module.totals(env).items():
            print(f"  {count:>9}  {label}")
        if any(checks.values()):
            cr.rollback()
            sys.exit("[generate] self-test failed: nothing committed")
        cr.commit()


def say(started, message):
    print(f"[generate] {time.monotonic() - started:6.1f}s {message}", flush=True)


def set_company_currency(env, code):
    """The benchmark company keeps its books in CNY; Odoo allows the change while the
    company has no journal entry, which is the case in a fresh database."""
    company = env.company
    if company.currency_id.name == code:
        return
    currency = env["res.currency"].with_context(active_test=False).search([("name", "=", code)])
    currency.active = True
    company.currency_id = currency


if __name__ == "__main__":
    main()
