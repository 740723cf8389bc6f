#!/usr/bin/env bash
# Prepare everything the addon needs on this machine, idempotently:
#   the Odoo 19.0 source tree (checked, never fetched), system packages (PostgreSQL,
#   libpq-dev, wkhtmltopdf, chromium, a Chinese font) where apt can install them, a running PostgreSQL
#   the current user may create databases on, .venv with Odoo's and our requirements,
#   the addons folder that links this checkout under the name credit_collection, and
#   the Odoo configuration file .odoorc.
# Every failure stops at once with a message that says what to do.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo/19.0}"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# 1. Odoo 19.0 source tree -------------------------------------------------------------
if [ ! -f "$ODOO_PATH/odoo/release.py" ] || [ ! -x "$ODOO_PATH/odoo-bin" ]; then
    die "No Odoo source tree in ODOO_PATH=$ODOO_PATH. Get Odoo 19.0 with:
    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo \"$ODOO_PATH\"
or set ODOO_PATH to an existing Odoo 19.0 checkout (make ... ODOO_PATH=/path/to/odoo)."
fi
if ! grep -qE '^version_info = \(19, 0,' "$ODOO_PATH/odoo/release.py"; then
    die "ODOO_PATH=$ODOO_PATH is not Odoo 19.0 ($(grep -m1 '^version_info' "$ODOO_PATH/odoo/release.py")). Get 19.0 with:
    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo \"$ODOO_PATH\""
fi

# 2. System packages ---------------------------------------------------------------------
missing=()
command -v psql >/dev/null || missing+=(postgresql postgresql-client)
command -v pg_config >/dev/null || missing+=(libpq-dev)
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# the fonts our PDFs are set in: Latin, and Simplified Chinese (without a CJK font Chinese
# prints as empty boxes in PDFs and in Chromium)
[ -n "$(fc-list "Liberation Sans" 2>/dev/null)" ] || missing+=(fonts-liberation)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing with apt: ${missing[*]}"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || die "apt-get install ${missing[*]} failed; install them by hand."
    else
        say "WARNING: missing system packages: ${missing[*]}."
        say "Install them as root: apt-get install ${missing[*]}"
        for pkg in "${missing[@]}"; do
            case "$pkg" in postgresql*|libpq-dev) die "PostgreSQL and libpq-dev are required.";; esac
        done
    fi
fi

# 3. PostgreSQL answers and lets us create databases -------------------------------------
PGUSER_NAME="${PGUSER:-$(id -un)}"
if ! pg_isready -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        say "starting PostgreSQL"
        for v in /etc/postgresql/*; do
            pg_ctlcluster --skip-systemctl-redirect "$(basename "$v")" main start 2>/dev/null || true
        done
        for _ in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q && break; sleep 1; done
    fi
    pg_isready -q || die "PostgreSQL does not answer on its local socket. Start it
    (pg_ctlcluster <version> main start, or: service postgresql start) and run this again."
fi
if ! psql -d postgres -Atc "select rolcreatedb or rolsuper from pg_roles where rolname = current_user" 2>/dev/null | grep -q t; then
    say "creating PostgreSQL role $PGUSER_NAME with CREATEDB"
    if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        su postgres -c "psql -q -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER_NAME') THEN CREATE ROLE \\\"$PGUSER_NAME\\\" LOGIN CREATEDB; ELSE ALTER ROLE \\\"$PGUSER_NAME\\\" CREATEDB; END IF; END\\\$\\\$\"" \
            || die "could not create the PostgreSQL role $PGUSER_NAME."
    else
        die "PostgreSQL role $PGUSER_NAME cannot create databases. As the postgres user run:
    createuser --createdb $PGUSER_NAME"
    fi
fi

# 4. Python virtual environment -----------------------------------------------------------
REQS="$ROOT/.venv-requirements.txt"
# one file per run: two `make` at once must not compare against each other's half-written file
NEW="$REQS.new.$$"
"$PYTHON" "$ROOT/scripts/odoo_requirements.py" "$ODOO_PATH/requirements.txt" > "$NEW"
cat "$ROOT/scripts/requirements-dev.txt" >> "$NEW"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$NEW" "$REQS"; then
    say "creating $VENV with Odoo's requirements and ours (about a minute)"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    log="$ROOT/.venv/pip.log"
    { "$VENV/bin/pip" install --upgrade pip wheel 'setuptools<81' && "$VENV/bin/pip" install -r "$NEW"; } >"$log" 2>&1 \
        || { grep -v 'is ignored: it is neither' "$log" | tail -30; die "pip install failed (log above, all of it in $log)."; }
    mv "$NEW" "$REQS"
else
    rm -f "$NEW"
fi

# Odoo is imported from its source tree, as `odoo` (pytest-odoo and our scripts need it)
"$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
    | xargs -I{} sh -c "echo '$ODOO_PATH' > {}/odoo-source.pth"

# 5. Addons folder and configuration -------------------------------------------------------
# One data folder (filestores) per machine, not per checkout: new databases are copies of a
# shared template database, and its attachments must travel with it to every clone.
DATA_DIR="${ODOO_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/credit_collection-odoo}"
mkdir -p "$DATA_DIR/filestore"
mkdir -p "$ROOT/.addons"
ln -sfn "$ROOT" "$ROOT/.addons/credit_collection"
cat > "$ROOT/.odoorc" <<CONF
[options]
addons_path = $ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$ROOT/.addons
data_dir = $DATA_DIR
admin_passwd = admin
db_user = $PGUSER_NAME
http_port = ${HTTP_PORT:-8069}
list_db = True
log_level = warn
without_demo = True
CONF
say "ready: Odoo $(sed -n 's/^version_info = (\([0-9]*\), \([0-9]*\).*/\1.\2/p' "$ODOO_PATH/odoo/release.py") in $ODOO_PATH, venv $VENV"
