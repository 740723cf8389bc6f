#!/usr/bin/env bash
# make backtest-warnings SIZE=small|medium: build (or reuse) credit_collection_warnings_<size>,
# a database with the addon and generated receivables whose truth the generator kept, then
# replay the early warnings on it (scripts/backtest_warnings.py).
#   RESET=1   rebuild the database
#   ARGS=...  more options of scripts/backtest_warnings.py (--step 14, --set KIND.FIELD=V)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZE="${SIZE:-small}"
case "$SIZE" in
    tiny | small | medium | large) ;;
    *) echo "SIZE must be tiny, small, medium or large (got '$SIZE')" >&2; exit 2 ;;
esac
DB="credit_collection_warnings_$SIZE"

if [ -n "${RESET:-}" ] && db_exists "$DB"; then
    say "RESET=1: dropping $DB"
    drop_db "$DB"
fi
if ! db_exists "$DB"; then
    drop_db "$DB.building"
    started=$(date +%s)
    new_db "$DB.building"
    say "installing credit_collection in $DB"
    odoo -d "$DB.building" -i credit_collection --stop-after-init --no-http --log-level=warn
    say "generating the $SIZE receivables"
    "$PY" "$ROOT/scripts/generate.py" -c "$ODOO_CONF" -d "$DB.building" --size "$SIZE"
    psql -d "$DB.building" -qc "ANALYZE"
    rename_db "$DB.building" "$DB"
    say "built in $(($(date +%s) - started)) s"
else
    say "reusing $DB (RESET=1 rebuilds it); updating the addon"
    odoo -d "$DB" -u credit_collection --stop-after-init --no-http --log-level=warn
fi
say "replaying the early warnings"
# shellcheck disable=SC2086
"$PY" "$ROOT/scripts/backtest_warnings.py" -c "$ODOO_CONF" -d "$DB" ${ARGS:-}
