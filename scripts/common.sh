# Shared by the scripts/*.sh scripts: paths and how to call Odoo.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo/19.0}"
PY="$ROOT/.venv/bin/python"
ODOO_CONF="$ROOT/.odoorc"
odoo() { "$PY" "$ODOO_PATH/odoo-bin" -c "$ODOO_CONF" "$@"; }
odoo_shell() { "$PY" "$ODOO_PATH/odoo-bin" shell -c "$ODOO_CONF" --no-http "$@"; }
db_exists() { psql -d postgres -Atc "select 1 from pg_database where datname = '$1'" | grep -q 1; }
FILESTORE="$(sed -n 's/^data_dir = //p' "$ODOO_CONF" 2>/dev/null)/filestore"
drop_db() { dropdb --if-exists --force "$1" 2>/dev/null || dropdb --if-exists "$1"; rm -rf "${FILESTORE:?}/$1"; }
say() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0" .sh)" "$*"; }

# A database with Odoo's own modules that the addon depends on, installed once and then
# copied (CREATE DATABASE ... TEMPLATE) for every new test or demo database: installing
# account and sale takes a minute, copying them a second. Named after the Odoo tree and
# the dependency list, so a different Odoo or new dependencies make a new one.
base_template() {
    local deps key name
    deps="$("$PY" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$ROOT/__manifest__.py")"
    key="$( (echo "$deps"; cat "$ODOO_PATH/odoo/release.py"; ls -la --time-style=+%s "$ODOO_PATH/addons/account/__manifest__.py") | md5sum | cut -c1-10)"
    name="credit_collection_base_$key"
    # one builder at a time: a second make (test and bench started together) waits for the
    # first instead of racing it on the same database
    exec 9>"${TMPDIR:-/tmp}/$name.lock"
    flock 9
    if ! db_exists "$name"; then
        say "building the template database $name ($deps), once per Odoo tree" >&2
        drop_db "$name.tmp"
        odoo -d "$name.tmp" -i "$deps" --stop-after-init --no-http --log-level=warn >&2 \
            || { drop_db "$name.tmp"; flock -u 9; return 1; }
        rename_db "$name.tmp" "$name" >&2
    fi
    flock -u 9
    echo "$name"
}

# copy_db FROM TO: a copy of database FROM (which nobody may be connected to) with its filestore
copy_db() {
    createdb -T "$1" "$2"
    if [ -d "$FILESTORE/$1" ]; then cp -r "$FILESTORE/$1" "$FILESTORE/$2"; fi
}

# rename_db FROM TO: a database built under a temporary name gets its own, with its filestore
rename_db() {
    psql -d postgres -qc "ALTER DATABASE \"$1\" RENAME TO \"$2\""
    if [ -d "$FILESTORE/$1" ]; then mv "$FILESTORE/$1" "$FILESTORE/$2"; fi
}

# new_db NAME: a brand-new database copied from the base template, with its filestore
new_db() {
    local tmpl
    tmpl="$(base_template)"
    copy_db "$tmpl" "$1"
}

# Odoo's apps that the demo and the tests add to the addon's dependencies, so that each user
# sees the apps of their role (Sales and Contacts menus); not dependencies of the addon.
EXTRA_APPS="sale_management,contacts"

# The business a company runs before it installs the addon (scripts/legacy_world.py: two
# companies, customers with their own limits and terms, invoices, payments and orders) on the
# base template with EXTRA_APPS, built once per template and script and copied for each test
# database like the base template.
legacy_template() {
    local base key name
    base="$(base_template)"
    key="$( (echo "$base $EXTRA_APPS"; cat "$ROOT/scripts/legacy_world.py") | md5sum | cut -c1-10)"
    name="credit_collection_legacy_$key"
    exec 8>"${TMPDIR:-/tmp}/$name.lock"
    flock 8
    if ! db_exists "$name"; then
        say "building the template database $name (a business from before the addon), once" >&2
        drop_db "$name.tmp"
        copy_db "$base" "$name.tmp"
        { odoo -d "$name.tmp" -i "$EXTRA_APPS" --stop-after-init --no-http --log-level=warn >&2 \
            && odoo_shell -d "$name.tmp" --log-level=warn < "$ROOT/scripts/legacy_world.py" >&2; } \
            || { drop_db "$name.tmp"; flock -u 8; return 1; }
        rename_db "$name.tmp" "$name" >&2
    fi
    flock -u 8
    echo "$name"
}

# generated_db NAME SIZE [update]: make sure database NAME holds the addon and the generated
# receivables of SIZE (scripts/generate.py); RESET=1 rebuilds it. A new build is described in
# the database's comment (how long, at which commit); an existing one is updated to this
# checkout's code unless the third argument is "no-update".
generated_db() {
    local db="$1" size="$2" update="${3:-update}"
    if [ -n "${RESET:-}" ] && db_exists "$db"; then
        say "RESET=1: dropping $db"
        drop_db "$db"
    fi
    if ! db_exists "$db"; then
        drop_db "$db.building"
        local started build
        started=$(date +%s)
        new_db "$db.building"
        say "installing credit_collection in $db"
        odoo -d "$db.building" -i credit_collection --stop-after-init --no-http --log-level=warn
        say "generating the $size receivables"
        "$PY" "$ROOT/scripts/generate.py" -c "$ODOO_CONF" -d "$db.building" --size "$size"
        psql -d "$db.building" -qc "ANALYZE"
        rename_db "$db.building" "$db"
        build="built in $(($(date +%s) - started)) s (template copy, addon install, generation, ANALYZE) at commit $(git -C "$ROOT" rev-parse --short HEAD)"
        psql -d postgres -qc "COMMENT ON DATABASE \"$db\" IS '$build'"
        say "$build"
    elif [ "$update" != "no-update" ]; then
        say "reusing $db (RESET=1 rebuilds it); updating the addon"
        odoo -d "$db" -u credit_collection --stop-after-init --no-http --log-level=warn
    fi
}
