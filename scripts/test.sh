#!/usr/bin/env bash
# Install the addon on a new database that already holds a company's business
# (scripts/legacy_world.py) and run every test through pytest-odoo:
# Odoo TransactionCase/HttpCase tests and plain pytest tests of pure logic alike.
# Exits non-zero on any failure and when no test ran (pytest's exit code 5).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

DB="credit_collection_test_$(date +%Y%m%d%H%M%S)_$$"
# databases left behind by killed runs: older than 3 hours (by the stamp in their name) and
# unused, so that concurrent runs on the same machine never lose theirs
stale="credit_collection_test_$(date -d '3 hours ago' +%Y%m%d%H%M%S)"
for old in $(psql -d postgres -Atc "select datname from pg_database where datname like 'credit_collection_test_%' and datname < '$stale'"); do
    psql -d postgres -Atc "select 1 from pg_stat_activity where datname = '$old'" | grep -q 1 || drop_db "$old"
done
[ -n "${KEEP_DB:-}" ] || trap 'drop_db "$DB"' EXIT

# the database already holds a business (customers, limits, terms, invoices, orders) and the
# Sales and Contacts apps, as a company's does when it installs the addon
copy_db "$(legacy_template)" "$DB"
say "installing credit_collection on the new database $DB"
odoo -d "$DB" -i credit_collection --stop-after-init --log-level=warn --no-http

say "running the tests"
# Collected from the addons folder, so the package is named credit_collection whatever
# this checkout's folder is called (pytest-odoo derives odoo.addons.<name> from it).
cd "$ROOT/.addons"
set +e
# scripts/pytest_credit_collection.py: no timing in property tests; tours get time to start
# Chromium, and a tour that could not run fails
PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" \
"$PY" -m pytest -p no:cacheprovider -p pytest_credit_collection --rootdir="$ROOT/.addons" -c "$ROOT/scripts/pytest.ini" --odoo-config="$ODOO_CONF" --odoo-database="$DB" \
    --odoo-http --odoo-log-level=warn credit_collection/tests "$@"
rc=$?
set -e
[ "$rc" -eq 5 ] && echo "no test ran: that is a failure" >&2
exit "$rc"
