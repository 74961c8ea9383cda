#!/usr/bin/env bash
# Prepare this checkout for running werkpad: a virtualenv with the package and its dev tools.
#
#   ./scripts/bootstrap.sh           # .venv with `pip install -e '.[dev]'` (skipped when unchanged)
#   ./scripts/bootstrap.sh --tests   # also Chromium + fonts (browser tests) and a running PostgreSQL
#
# Idempotent: run it as often as you like. It never downloads browsers through Playwright; the
# browser tests use Debian's /usr/bin/chromium.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.werkpad-install-stamp"
PG_HOST=127.0.0.1
PG_PORT=5432

for_tests=0
for arg in "$@"; do
    case "$arg" in
        --tests) for_tests=1 ;;
        *) echo "bootstrap.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[bootstrap]\033[0m %s\n' "$*" >&2; }

# Run a command as root: directly when we are root, else through sudo when it is available.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        return 127
    fi
}

apt_updated=0
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        warn "apt-get not found; please install these packages yourself: $*"
        return 1
    fi
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        warn "Not root and no sudo: please run as root: apt-get install -y $*"
        return 1
    fi
    if [ "$apt_updated" -eq 0 ]; then
        say "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

pick_python() {
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ -x "$VENV/bin/python" ]; then
        return 0
    fi
    local python
    if ! python="$(pick_python)"; then
        warn "Python 3.11 or newer is required (apt-get install python3.11)."
        exit 1
    fi
    say "Creating $VENV with $python"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
        # Debian ships venv/ensurepip separately.
        rm -rf "$VENV"
        local version
        version="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        apt_install "python${version}-venv" || apt_install python3-venv || {
            warn "Cannot create a virtualenv: install python${version}-venv."
            exit 1
        }
        "$python" -m venv "$VENV"
    fi
}

ensure_package() {
    local wanted
    wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ] && [ -x "$VENV/bin/werkpad" ]; then
        say "Python environment up to date ($VENV)"
        return 0
    fi
    say "Installing werkpad with its dev tools into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
    echo "$wanted" >"$STAMP"
}

ensure_chromium() {
    if [ -x /usr/bin/chromium ]; then
        return 0
    fi
    apt_install chromium fonts-dejavu-core \
        || warn "Chromium is missing: the browser tests will fail until /usr/bin/chromium exists."
}

# The report tests rasterise the council PDF with pdftoppm to prove its pages are not blank.
ensure_pdftoppm() {
    if command -v pdftoppm >/dev/null 2>&1; then
        return 0
    fi
    apt_install poppler-utils \
        || warn "pdftoppm is missing: the report tests will fail until poppler-utils is installed."
}

pg_ready() {
    command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
}

wait_for_pg() {
    for _ in $(seq 1 60); do
        pg_ready && return 0
        sleep 0.5
    done
    return 1
}

# A PostgreSQL we installed ourselves gets trust authentication for local TCP, like the CI host.
trust_local_tcp() {
    local version hba
    version="$(ls /etc/postgresql | sort -V | tail -n1)"
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! as_root grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
        as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
}

start_cluster() {
    local version
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
    [ -n "$version" ] || return 1
    say "Starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
}

ensure_postgres() {
    if [ -n "${WERKPAD_TEST_PG_URL:-}" ]; then
        say "Using WERKPAD_TEST_PG_URL for the PostgreSQL tests"
        return 0
    fi
    if pg_ready; then
        return 0
    fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
        if apt_install postgresql; then
            trust_local_tcp
            as_root pg_ctlcluster --skip-systemctl-redirect \
                "$(ls /etc/postgresql | sort -V | tail -n1)" main restart || true
        fi
    fi
    pg_ready || start_cluster || true
    if wait_for_pg; then
        say "PostgreSQL is accepting connections on $PG_HOST:$PG_PORT"
    else
        warn "PostgreSQL is not running on $PG_HOST:$PG_PORT; the postgres tests will fail."
        warn "Start it, or point WERKPAD_TEST_PG_URL at a server with a superuser."
    fi
}

ensure_venv
ensure_package
if [ "$for_tests" -eq 1 ]; then
    ensure_chromium
    ensure_pdftoppm
    ensure_postgres
fi
