"""The SQL a page request runs, as a checked-in snapshot, so that an N+1 (or a query that
slipped into a hot page) shows up as a diff (the les-emplois habit).

Each statement is reduced to its shape: the verb and the tables it names, in order (columns
and parameters left out, so a new column does not change the snapshot, a new query does).
After an intended change run the test with ``WERKPAD_UPDATE_SQL_SNAPSHOTS=1`` and review the
diff of ``tests/web/sql_snapshots/`` like code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event

SNAPSHOTS = Path(__file__).resolve().parent / "sql_snapshots"
UPDATE = os.environ.get("WERKPAD_UPDATE_SQL_SNAPSHOTS") == "1"
_TABLE = re.compile(r'\b(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)


def shape(statement: str) -> str:
    """``SELECT candidate, app_user, assessment``: the verb and the tables, first use order."""
    verb = statement.strip().split(None, 1)[0].upper()
    tables: list[str] = []
    for name in _TABLE.findall(statement):
        if name.lower() not in tables:
            tables.append(name.lower())
    return f"{verb} {', '.join(tables)}".strip()


@contextmanager
def recorded_sql(engine: Engine) -> Iterator[list[str]]:
    """The shapes of the statements run on ``engine`` inside the block."""
    shapes: list[str] = []

    def listener(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        shapes.append(shape(statement))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield shapes
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def assert_matches_snapshot(name: str, shapes: list[str]) -> None:
    """Compare with ``sql_snapshots/<name>.txt`` (or write it when updating)."""
    path = SNAPSHOTS / f"{name}.txt"
    text = "\n".join(shapes) + "\n"
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            raise AssertionError(f"new SQL snapshot written: {path.name}; review and commit it")
        return
    expected = path.read_text(encoding="utf-8").splitlines()
    assert shapes == expected, (
        f"the SQL of {name} changed ({len(expected)} -> {len(shapes)} statements); "
        "if intended, rerun with WERKPAD_UPDATE_SQL_SNAPSHOTS=1 and review the diff"
    )
