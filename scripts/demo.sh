#!/usr/bin/env bash
# One command from a fresh checkout to a running demo municipality on http://127.0.0.1:8000.
#
# Sets up .venv, builds a synthetic municipality into ./werkpad.db (only when that database is
# still empty), prints the demo logins and serves the web UI. Extra arguments go to `werkpad demo`,
# e.g. `./scripts/demo.sh --scale denhaag` or `./scripts/demo.sh --port 8080`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/werkpad" demo "$@"
