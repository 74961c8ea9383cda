"""``restore_database``: verify a backup, then load it into an empty database in one transaction.

Order of work: check every checksum (nothing touched yet), refuse a target that holds data,
bring the target schema to the backup's revision, then insert every table in the manifest's
foreign-key order in ONE transaction and move PostgreSQL's id sequences past the restored ids.
The ``code`` table is the exception to "empty": migrations fill it, the backup's rows replace it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, Engine

from werkpad.backup.archive import (
    BackupInvalid,
    Manifest,
    TableEntry,
    check_plain_archive,
    iter_rows,
    opened_archive,
)
from werkpad.backup.codec import Kind, bind_type, decode
from werkpad.backup.schema import current_revision, is_ancestor, known_revisions
from werkpad.store.db import alembic_config, make_engine

INSERT_ROWS = 5_000
# Filled by every migration run; the backup's rows win (the figures version too, so a restore
# gives back the exact rows; docs/backup.md says to restart werkpad after a restore).
REPLACED_TABLES = frozenset({"code", "figures_version"})
Progress = Callable[[str, int], None]


class RestoreRefused(Exception):
    """The target database cannot take this backup; nothing has been written."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    seconds: float


def _occupied_tables(conn: Connection, names: list[str]) -> list[str]:
    present = set(sa.inspect(conn).get_table_names())
    occupied = []
    for name in names:
        if name in REPLACED_TABLES or name not in present:
            continue
        if conn.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first():
            occupied.append(name)
    return occupied


def _refuse_if_not_empty(conn: Connection, manifest: Manifest) -> None:
    occupied = _occupied_tables(conn, [t.name for t in manifest.tables])
    if occupied:
        raise RestoreRefused(
            "De doeldatabase is niet leeg (gegevens in: "
            f"{', '.join(occupied[:5])}{' ...' if len(occupied) > 5 else ''}). Zet een back-up "
            "alleen terug in een lege database; er is niets teruggezet."
        )


def _insert_table(conn: Connection, path: Path, entry: TableEntry) -> None:
    """Insert one table's rows through the driver: the statement is compiled once for the
    dialect (with its bind casts) and each cell goes through its type's bind processor, which
    is what SQLAlchemy would do per row, without its per-row bookkeeping."""
    dialect = conn.dialect
    params = [f"p{i}" for i in range(len(entry.columns))]
    table = sa.table(entry.name, *[sa.column(c) for c in entry.columns])
    statement = sa.insert(table).values(
        {
            column: sa.bindparam(param, type_=bind_type(kind))
            for column, param, kind in zip(entry.columns, params, entry.kinds, strict=True)
        }
    )
    compiled = statement.compile(dialect=dialect)
    converters = [
        _converter(kind, bind_type(kind).dialect_impl(dialect).bind_processor(dialect))
        for kind in entry.kinds
    ]
    order = [params.index(name) for name in compiled.positiontup or []]
    rows = iter_rows(path, entry)
    while chunk := list(islice(rows, INSERT_ROWS)):
        values = [
            [convert(cell) for convert, cell in zip(converters, row, strict=True)] for row in chunk
        ]
        batch: list[Any]
        if compiled.positional:
            batch = [tuple(row[i] for i in order) for row in values]
        else:
            batch = [dict(zip(params, row, strict=True)) for row in values]
        conn.exec_driver_sql(compiled.string, batch)


def _converter(kind: Kind, processor: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    if processor is None:
        return lambda cell: decode(kind, cell)
    return lambda cell: processor(decode(kind, cell))


def _reset_sequences(conn: Connection, manifest: Manifest) -> None:
    for entry in manifest.tables:
        for column, kind in zip(entry.columns, entry.kinds, strict=True):
            if kind != "int":
                continue
            sequence = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": entry.name, "c": column},
            ).scalar_one()
            if sequence is None:
                continue
            conn.execute(
                sa.text(
                    f'SELECT setval(:s, COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL)'
                    f' FROM "{entry.name}"'
                ),
                {"s": sequence},
            )


def restore_database(
    database: str | Engine, path: Path, progress: Progress | None = None, *, key: bytes
) -> RestoreResult:
    """Restore the sealed backup at ``path`` (made with ``key``) into the empty ``database``.

    Raises ``BackupInvalid`` for a damaged or altered file or another key, and
    ``RestoreRefused`` for a target that holds data or has a newer schema; in all cases
    nothing is written.
    """
    with opened_archive(Path(path), key) as plain:
        return _restore_plain(database, plain, progress)


def _restore_plain(database: str | Engine, path: Path, progress: Progress | None) -> RestoreResult:
    engine = make_engine(database) if isinstance(database, str) else database
    started = time.perf_counter()
    try:
        manifest = check_plain_archive(path)
        if manifest.revision not in known_revisions():
            raise RestoreRefused(
                f"De back-up heeft schemaversie {manifest.revision}, die deze werkpad niet kent; "
                "zet hem terug met de werkpad-versie die hem maakte (of een nieuwere)."
            )
        with engine.connect() as conn:
            revision = current_revision(conn)
            _refuse_if_not_empty(conn, manifest)
        if not is_ancestor(revision, manifest.revision):
            raise RestoreRefused(
                f"De doeldatabase staat op schemaversie {revision}, nieuwer dan de back-up "
                f"({manifest.revision}). Gebruik een lege database zonder tabellen."
            )
        if revision != manifest.revision:
            command.upgrade(alembic_config(engine), manifest.revision)
        with engine.begin() as conn:
            _refuse_if_not_empty(conn, manifest)
            for name in REPLACED_TABLES:
                conn.execute(sa.delete(sa.table(name)))
            for entry in manifest.tables:
                _insert_table(conn, Path(path), entry)
                if progress:
                    progress(entry.name, entry.rows)
            if engine.dialect.name == "postgresql":
                _reset_sequences(conn, manifest)
    finally:
        if isinstance(database, str):
            engine.dispose()
    return RestoreResult(manifest, time.perf_counter() - started)


__all__ = ["BackupInvalid", "RestoreRefused", "RestoreResult", "restore_database"]
