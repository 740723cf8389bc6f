#!/usr/bin/env bash
# Build (or reuse) the demo database and serve Odoo on http://localhost:$HTTP_PORT (admin/admin).
#   RESET=1   drop and rebuild the database
#   DATA=ibm  also import ../shared/data/ibm-accounts-receivable.csv (real paid invoices)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${DEMO_DB:-credit_collection_demo}"
PORT="${HTTP_PORT:-8069}"

if [ -n "${RESET:-}" ] && db_exists "$DB"; then
    say "RESET=1: dropping $DB"
    drop_db "$DB"
fi
if ! db_exists "$DB"; then
    new_db "$DB.building"
    say "installing credit_collection, $EXTRA_APPS with Chinese (zh_CN) in $DB"
    odoo -d "$DB.building" -i "credit_collection,$EXTRA_APPS" --load-language=zh_CN --stop-after-init --no-http --log-level=warn
    say "loading the demo business (companies, customers, invoices, payments, orders)"
    odoo_shell -d "$DB.building" --log-level=warn < "$ROOT/scripts/demo_data.py"
    rename_db "$DB.building" "$DB"
else
    say "reusing $DB (make demo RESET=1 rebuilds it)"
    odoo -d "$DB" -u credit_collection --stop-after-init --no-http --log-level=warn || {
        echo "updating $DB with this code failed (a database built by much older code):" \
            "make demo RESET=1 rebuilds it" >&2
        exit 1
    }
fi
if [ "${DATA:-}" = "ibm" ]; then
    say "importing ../shared/data/ibm-accounts-receivable.csv"
    IBM_CSV="${IBM_CSV:-$ROOT/../shared/data/ibm-accounts-receivable.csv}" \
        odoo_shell -d "$DB" --log-level=warn < "$ROOT/scripts/import_ibm.py"
fi
say "Odoo serves $DB on http://localhost:$PORT  (login admin / password admin; Ctrl-C stops it)"
exec "$PY" "$ODOO_PATH/odoo-bin" -c "$ODOO_CONF" -d "$DB" --http-port="$PORT" --db-filter="^$DB\$" --log-level=info
