#!/usr/bin/env bash
# make bench SIZE=small|medium|large: build (or reuse) credit_collection_bench_<size>, a
# database with the addon and generated receivables, then run scripts/benchmarks/bench_*.py
# and write the results into docs/benchmarks.md.
#   RESET=1   rebuild the database
#   RUNS=n    timed runs per benchmark (default 7, after one warm-up run)
#   ONLY=pat  run only the benchmarks whose module.function contains pat
#   COPY=name work on credit_collection_bench_<size>_<name>, a copy of the database made
#             once (several checkouts with different code can measure side by side)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZE="${SIZE:-small}"
case "$SIZE" in
    small | medium | large) ;;
    *) echo "SIZE must be small, medium or large (got '$SIZE')" >&2; exit 2 ;;
esac
DB="credit_collection_bench_$SIZE"

# a copy is updated below, the original only when it is worked on directly
generated_db "$DB" "$SIZE" "${COPY:+no-update}"
build="$(psql -d postgres -Atc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")"
if [ -n "${COPY:-}" ]; then
    if ! db_exists "${DB}_$COPY"; then
        say "copying $DB to ${DB}_$COPY"
        copy_db "$DB" "${DB}_$COPY"
    fi
    DB="${DB}_$COPY"
    odoo -d "$DB" -u credit_collection --stop-after-init --no-http --log-level=warn
fi
say "running the benchmarks"
"$PY" "$ROOT/scripts/bench_runner.py" -c "$ODOO_CONF" -d "$DB" --size "$SIZE" \
    --runs "${RUNS:-7}" --build "${build:-reused an existing database}" ${ONLY:+--only "$ONLY"}
