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

generated_db "$DB" "$SIZE"
say "replaying the early warnings"
# shellcheck disable=SC2086
"$PY" "$ROOT/scripts/backtest_warnings.py" -c "$ODOO_CONF" -d "$DB" ${ARGS:-}
