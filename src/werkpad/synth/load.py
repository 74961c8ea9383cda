"""Writing generated frames to the database: Core executemany in chunks, one transaction.

A failure anywhere rolls back everything, including the emptying of tables for ``replace``.
On PostgreSQL the id sequences are moved past the explicit ids afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    Numeric,
    Table,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.types import TypeEngine

from werkpad.store.figures_version import bump_figures_version
from werkpad.store.models import Base, CodeEntry, FiguresVersion
from werkpad.synth.frames import EPOCH, SynthData

CHUNK_ROWS = 5_000
_EPOCH_D = np.datetime64(EPOCH.isoformat(), "D")
Progress = Callable[[str, int], None]


class DatabaseNotEmpty(RuntimeError):
    """Synthetic data would mix with existing data; use replace=True."""


# Configuration, not data: code lists, settings (such as a frozen "today") and the figures
# version counter survive a replace.
CONFIGURATION_TABLES = frozenset({CodeEntry.__tablename__, "setting", FiguresVersion.__tablename__})


def data_tables() -> list[Table]:
    """All application data tables in foreign-key order (not code lists or settings)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in CONFIGURATION_TABLES]


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _column_values(values: np.ndarray, type_: TypeEngine[Any]) -> list[Any]:
    """Python values a DB driver accepts, for a column of day numbers, numbers or objects."""
    if isinstance(type_, Date):
        if values.dtype == object:
            values = np.array([np.nan if _is_null(v) else v for v in values], dtype=float)
        days = np.asarray(values, dtype=float)
        mask = np.isnan(days)
        as_dates = (_EPOCH_D + np.where(mask, 0, days).astype("int64")).tolist()
        return [None if m else d for d, m in zip(as_dates, mask, strict=True)]
    if isinstance(type_, DateTime) and np.issubdtype(values.dtype, np.datetime64):
        return list(pd.DatetimeIndex(values).to_pydatetime())
    if isinstance(type_, DateTime | JSON):
        return [None if _is_null(v) else v for v in values.tolist()]
    if isinstance(type_, Boolean):
        return [None if _is_null(v) else bool(v) for v in values.tolist()]
    if isinstance(type_, Integer):
        return [None if _is_null(v) else int(v) for v in values.tolist()]
    if isinstance(type_, Numeric):
        return [None if _is_null(v) else round(float(v), 2) for v in values.tolist()]
    return [None if _is_null(v) else str(v) for v in values.tolist()]


def table_rows(table: Table, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts with only the table's columns, converted per column type."""
    columns = [c for c in table.columns if c.name in frame.columns]
    names = [c.name for c in columns]
    converted = [_column_values(frame[c.name].to_numpy(), c.type) for c in columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*converted, strict=True)]


def row_chunks(table: Table, frame: pd.DataFrame) -> Iterator[list[dict[str, Any]]]:
    """``table_rows`` per chunk, so only one chunk of Python objects exists at a time."""
    for i in range(0, len(frame), CHUNK_ROWS):
        yield table_rows(table, frame.iloc[i : i + CHUNK_ROWS])


def existing_rows(conn: Connection) -> dict[str, int]:
    """Row counts of the application tables that already hold data."""
    counts = {}
    for table in data_tables():
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            counts[table.name] = int(count)
    return counts


def empty_tables(conn: Connection) -> None:
    for table in reversed(data_tables()):
        conn.execute(delete(table))


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: make each serial id continue after the highest explicit id."""
    if conn.dialect.name != "postgresql":
        return
    for table in data_tables():
        if "id" not in table.columns or not isinstance(table.c.id.type, Integer):
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )


def load(
    engine: Engine,
    data: SynthData,
    *,
    replace: bool,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write ``data`` in one transaction; return rows written per table."""
    tables = {t.name: t for t in data_tables()}
    written: dict[str, int] = {}
    with engine.begin() as conn:
        if replace:
            empty_tables(conn)
        else:
            found = existing_rows(conn)
            if found:
                listed = ", ".join(f"{k} ({v})" for k, v in sorted(found.items()))
                raise DatabaseNotEmpty(
                    f"De database bevat al gegevens: {listed}. Gebruik --replace om te vervangen."
                )
        for name, frame in data.tables.items():
            table = tables[name]
            for chunk in row_chunks(table, frame):
                conn.execute(insert(table), chunk)
                if progress:
                    progress(name, len(chunk))
            written[name] = len(frame)
        reset_sequences(conn)
        bump_figures_version(conn)
    return written
