"""Import a folder: read, validate everything, then write everything in one transaction.

All or nothing: when any file has an error, ``ImportRejected`` lists every error and the
database is untouched. A killed process leaves an uncommitted transaction, which the database
discards, so the database stays as it was before the import.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from werkpad.importing.errors import ImportRejected, RowError
from werkpad.importing.reading import DEFAULT_MAX_FILE_MB, file_of, read_folder
from werkpad.importing.reconcile import Difference
from werkpad.importing.validation import Validation, validate_folder
from werkpad.importing.writing import Progress, WriteCount, WriteFailed, load_known, write_folder
from werkpad.store.db import make_engine, refresh_statistics, session_factory, transaction


@dataclass
class ImportReport:
    """What an import did: rows per file kind and the time each phase took (seconds)."""

    counts: dict[str, WriteCount] = field(default_factory=dict)
    rows: int = 0
    dry_run: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    # Values that changed on records entered on screen and adopted by the import, for review.
    differences: list[Difference] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(c.inserted for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())


def import_folder(
    database: str | Engine,
    folder: Path,
    *,
    dry_run: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every file in ``folder`` and, when all is well, upsert it in one transaction.

    Raises ``ImportRejected`` (with every row error) when anything is wrong; then nothing is
    written. ``dry_run`` validates against the database without writing.
    """
    engine = make_engine(database) if isinstance(database, str) else database
    report = ImportReport(dry_run=dry_run)
    checking = "lezen en controleren"
    if progress:
        progress(checking, 0, 2)
    clock = time.perf_counter()
    read = read_folder(Path(folder), max_file_mb=max_file_mb)
    if progress:
        progress(checking, 1, 2)
    report.seconds["lezen"] = time.perf_counter() - clock
    unreadable = _unreadable_kinds(read.errors, set(read.files))
    try:
        with transaction(session_factory(engine)) as session:
            conn = session.connection()
            clock = time.perf_counter()
            validation: Validation = validate_folder(read.files, load_known(conn), unreadable)
            report.seconds["controleren"] = time.perf_counter() - clock
            if progress:
                progress(checking, 2, 2)
            errors = read.errors + validation.errors
            if errors:
                raise ImportRejected(errors)
            report.rows = validation.row_count
            if dry_run:
                session.rollback()
                return report
            clock = time.perf_counter()
            report.counts = write_folder(conn, validation, progress, report.differences)
            report.seconds["schrijven"] = time.perf_counter() - clock
            clock = time.perf_counter()
        report.seconds["vastleggen"] = time.perf_counter() - clock
        refresh_statistics(engine)
    except WriteFailed as failed:
        raise ImportRejected([RowError(failed.file, 0, "", failed.reason)]) from failed
    finally:
        if isinstance(database, str):
            engine.dispose()
    return report


def _unreadable_kinds(errors: list[RowError], readable: set[str]) -> set[str]:
    """File kinds that had errors and were not read: references into them are not checked."""
    stems = {Path(file_of(e.file)).stem.lower() for e in errors}
    return stems - readable
