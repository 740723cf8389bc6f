#!/usr/bin/env bash
# Regenerate i18n/credit_collection.pot from a database with the addon freshly installed,
# then merge it into i18n/zh_CN.po (new strings arrive untranslated, gone ones are dropped).
# Translate the empty msgstr afterwards; tests/test_i18n.py fails while any is left.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# one per checkout: a database updated from another checkout would export its terms
DB="${I18N_DB:-credit_collection_i18n_$(basename "$ROOT" | tr -c "a-z0-9_\n" _)}"
# a fresh database every time: updating one built from older code can fail on a view that
# still names a field the new code removed, and the terms must be the new code's anyway
drop_db "$DB"
odoo -d "$DB" -i credit_collection --stop-after-init --no-http --log-level=warn
# The exporter walks the whole module folder (symlinks followed): hand it a copy of the
# tracked files only, never .venv/ nor the .addons/ link that points back at this checkout.
CLEAN="$(mktemp -d)"
trap 'rm -rf "$CLEAN"' EXIT
mkdir -p "$CLEAN/credit_collection"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$CLEAN/credit_collection")
"$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$CLEAN" \
    i18n export -c "$ODOO_CONF" -d "$DB" -l pot -o "$ROOT/i18n/credit_collection.pot" credit_collection
"$PY" "$ROOT/scripts/i18n_merge.py" "$ROOT/i18n/credit_collection.pot" "$ROOT/i18n/zh_CN.po"
