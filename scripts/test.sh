#!/usr/bin/env bash
# The whole quality gate: lint, format check, type check and every test (SQLite, PostgreSQL and
# headless-browser tests). Extra arguments go to pytest, e.g. `./scripts/test.sh -k caseload`.
# Exits non-zero when any step fails; all steps run so one report shows every problem.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/bootstrap.sh" --tests || exit 1
cd "$ROOT"
BIN="$ROOT/.venv/bin"

failed=()
step() {
    local name="$1"
    shift
    printf '\n\033[1m== %s\033[0m\n' "$name"
    if "$@"; then
        printf '\033[32m-- %s: ok\033[0m\n' "$name"
    else
        printf '\033[31m-- %s: FAILED\033[0m\n' "$name"
        failed+=("$name")
    fi
}

step "ruff check" "$BIN/ruff" check src tests bench
step "ruff format" "$BIN/ruff" format --check src tests bench
step "mypy" "$BIN/mypy"
step "import contract" "$BIN/lint-imports"
# Two workers, distributed per test file: the browser tests live in one file, so the demo
# municipality and its server are built once. (--dist loadgroup would be finer, but it silently
# stops grouping on pytest 9.2: pytest-dev/pytest-xdist#1386.)
step "pytest" "$BIN/pytest" -n 2 --dist loadfile --durations=10 "$@"

if [ "${#failed[@]}" -gt 0 ]; then
    printf '\n\033[31mFailed: %s\033[0m\n' "${failed[*]}"
    exit 1
fi
printf '\n\033[32mAll checks passed.\033[0m\n'
