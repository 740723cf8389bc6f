# Credit & Collections: one-command demo, tests, lint and benchmarks.
# Odoo comes from ODOO_PATH (a 19.0 source tree outside this checkout); Python packages go to .venv.
ODOO_PATH ?= /opt/odoo/19.0
DEMO_DB ?= credit_collection_demo
HTTP_PORT ?= 8069
SIZE ?= small
RESET ?=
DATA ?=
export ODOO_PATH DEMO_DB HTTP_PORT SIZE RESET DATA

.PHONY: help setup demo test lint bench backtest backtest-warnings i18n screenshots clean rig-faults rig

help:
	@echo "make demo     set up, build the demo database ($(DEMO_DB)) and serve Odoo on http://localhost:$(HTTP_PORT) (admin/admin)"
	@echo "              RESET=1 rebuilds the database, DATA=ibm also imports ../shared/data/ibm-accounts-receivable.csv"
	@echo "make test     set up, install the addon on a brand-new database and run every test"
	@echo "make lint     ruff and pylint-odoo on our files"
	@echo "make bench    benchmarks on a generated database (SIZE=small|medium|large)"
	@echo "make backtest CSV=path SPLIT=YYYY-MM-DD  the payment-date model's backtest on a CSV (last line: JSON)"
	@echo "make backtest-warnings  the early warnings replayed on a generated database (SIZE=small|medium, RESET=1)"
	@echo "make backtest DB=name SPLIT=YYYY-MM-DD   the same on a database's own ledger (COMPANY=id)"
	@echo "make i18n     regenerate i18n/credit_collection.pot and merge it into i18n/zh_CN.po"
	@echo "make screenshots  English and Chinese screenshots of the running demo into docs/screenshots/"
	@echo "make rig-faults SIZE=medium  the cron-run dunning with a worker killed, connections cut, the filestore full (root; SCENARIO=kill-worker|db-cut|disk-full)"
	@echo "make rig SIZE=large WORKERS=\"1 2 4\" CRON_WORKERS=\"1 2 4\"  the scale rig: replica, prefork Odoo, concurrent users, dunning (root; DURATION=s, KEEP=1)"

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

test: setup
	@bash scripts/test.sh

lint: setup
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . \
	  && .venv/bin/pylint --rcfile=.pylintrc $$(git ls-files -co --exclude-standard '*.py' | grep -v '^scripts/')

bench: setup
	@bash scripts/bench.sh

backtest: setup
	@test -n "$(CSV)$(DB)" -a -n "$(SPLIT)" || { echo "usage: make backtest CSV=../shared/data/ibm-accounts-receivable.csv SPLIT=2013-01-01" >&2; \
	  echo "       make backtest DB=credit_collection_bench_medium SPLIT=2025-01-01 [COMPANY=id]" >&2; exit 2; }
	@if [ -n "$(DB)" ]; then \
	  .venv/bin/python scripts/backtest.py --database "$(DB)" --split "$(SPLIT)" $(if $(COMPANY),--company "$(COMPANY)"); \
	else \
	  .venv/bin/python scripts/backtest.py --csv "$(CSV)" --split "$(SPLIT)"; \
	fi

backtest-warnings: setup
	@bash scripts/backtest_warnings.sh

i18n: setup
	@bash scripts/i18n.sh

rig: setup
	@test -n "$$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'credit_collection_bench_$(SIZE)'")" \
	  || $(MAKE) bench SIZE=$(SIZE) ONLY=zzz_nothing
	@RIG_DIR="$${RIG_DIR:-/var/tmp/rig-scale}" .venv/bin/python scripts/rig_load.py \
	  --source credit_collection_bench_$(SIZE) --workers $(or $(WORKERS),1 2 4) \
	  --cron-workers $(or $(CRON_WORKERS),1 2 4) --duration $(or $(DURATION),60) $(if $(KEEP),--keep --keep-replica)

screenshots: setup
	@.venv/bin/python scripts/screenshots.py --url http://localhost:$(HTTP_PORT) --db $(DEMO_DB)

clean:
	rm -rf .venv .venv-requirements.txt .addons .odoorc

# fault injection (scripts/rig_faults.py): a fresh copy of credit_collection_bench_$(SIZE) per
# scenario (build it first with `make bench SIZE=... ONLY=zzz_nothing`; nobody may be connected
# to it), Odoo in prefork on port 8190, verdicts and log lines; needs root for the tmpfs
rig-faults: setup
	@RIG_DIR=$${RIG_DIR:-/var/tmp/rig-faults} .venv/bin/python scripts/rig_faults.py \
	  --source $(or $(SOURCE),credit_collection_bench_$(SIZE)) $(if $(SCENARIO),--scenario $(SCENARIO))
