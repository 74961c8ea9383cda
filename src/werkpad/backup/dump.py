"""``backup_database``: every table in one consistent read transaction, into one file.

The tables are those of ``Base.metadata`` in foreign-key order, so tables added by later
migrations are included without code changes. PostgreSQL reads under REPEATABLE READ; SQLite
reads inside one explicit ``BEGIN`` (one WAL snapshot), so concurrent writers never produce a
backup with half a transaction in it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine

from werkpad.backup.archive import ArchiveWriter, BackupInvalid, Manifest, sha256_file
from werkpad.backup.codec import Kind, column_kind, encode
from werkpad.backup.schema import code_head, current_revision
from werkpad.protected.modes import open_private
from werkpad.store.db import make_engine
from werkpad.store.models import Base

STREAM_ROWS = 10_000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    sha256: str  # of the whole file, also written to ``<path>.sha256``
    seconds: float


def _rows(conn: Connection, table: sa.Table, kinds: list[Kind]) -> Iterator[list[Any]]:
    json_columns = [c for c, k in zip(table.columns, kinds, strict=True) if k == "json"]
    flags = [c.is_(None).label(f"null_{i}") for i, c in enumerate(json_columns)]
    statement = sa.select(*table.columns, *flags).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=STREAM_ROWS).execute(statement)
    width = len(table.columns)
    for row in result:
        null_flags = iter(row[width:])
        yield [
            encode(kind, value, bool(next(null_flags)) if kind == "json" else False)
            for kind, value in zip(kinds, row[:width], strict=True)
        ]


def _read_transaction(engine: Engine) -> Connection:
    if engine.dialect.name == "postgresql":
        conn = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        conn.begin()
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        return conn
    conn = engine.connect()
    conn.begin()
    # pysqlite only opens a transaction before writes; open one by hand so every SELECT below
    # reads the same snapshot.
    conn.exec_driver_sql("BEGIN")
    return conn


class BackupExists(Exception):
    """The backup file exists already and overwriting was not asked for; nothing was written."""


def backup_database(
    database: str | Engine,
    out: Path,
    progress: Progress | None = None,
    *,
    key: bytes,
    overwrite: bool = False,
) -> BackupResult:
    """Write a sealed backup of the whole database to ``out`` and its checksum to
    ``out.sha256``, both owner-only (0600); ``key`` encrypts and signs it (sealing.py).

    Refuses (``BackupInvalid``) when the database schema is not at this version's newest
    migration (run ``werkpad db upgrade`` first), and (``BackupExists``) an existing ``out``
    unless ``overwrite``.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise BackupExists(
            f"{out} bestaat al; een bestaande back-up wordt niet overschreven. Kies een andere "
            "naam of geef --overwrite mee."
        )
    engine = make_engine(database) if isinstance(database, str) else database
    started = time.perf_counter()
    partial = out.with_name(out.name + ".onvolledig")
    try:
        conn = _read_transaction(engine)
        try:
            revision = current_revision(conn)
            if revision != code_head():
                raise BackupInvalid(
                    f"De database staat op schemaversie {revision}, deze werkpad verwacht "
                    f"{code_head()}. Voer eerst 'werkpad db upgrade' uit."
                )
            manifest = Manifest(
                revision=revision,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                source_dialect=engine.dialect.name,
            )
            writer = ArchiveWriter(partial, key)
            try:
                for table in Base.metadata.sorted_tables:
                    kinds = [column_kind(c.type) for c in table.columns]
                    entry = writer.write_table(
                        table.name,
                        [c.name for c in table.columns],
                        kinds,
                        _rows(conn, table, kinds),
                    )
                    manifest.tables.append(entry)
                    if progress:
                        progress(table.name, entry.rows)
                writer.finish(manifest)
            except BaseException:
                writer.abort()
                raise
        finally:
            conn.rollback()
            conn.close()
        os.replace(partial, out)
        digest = sha256_file(out)
        with open_private(out.with_name(out.name + ".sha256"), "w", encoding="ascii") as handle:
            handle.write(f"{digest}  {out.name}\n")
    finally:
        if isinstance(database, str):
            engine.dispose()
    return BackupResult(out, manifest, digest, time.perf_counter() - started)
