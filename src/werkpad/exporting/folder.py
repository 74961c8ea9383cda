"""``export_folder``: the municipality as an import folder (docs/import.md), for moving systems.

Every file kind that ``werkpad import`` reads is written with exactly its columns; ``id`` columns
carry the row's ``source_id`` when it has one and otherwise the database id, and references use
the same keys (teams and providers by name, the catalogue by code, dossiers by number, users by
username), so importing the folder into an empty database rebuilds the same municipality. The
``exits`` file is not written: routes carry their own end date and end reason.

The folder contains BSNs, names and addresses: it is as sensitive as the database itself, so
by default the folder is not written as a folder at all but as one file, encrypted and signed
under the backup key (``werkpad.exporting.sealed_folder``), which ``werkpad import`` opens after
checking the signature. The plain folder (``--onversleuteld``, for another system's importer)
is 0700 and every file 0600 (docs/export.md). Text cells are
formula-safe (``werkpad.protected.spreadsheet``): a name that starts with ``=`` gets a leading
apostrophe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine

from werkpad.importing.spec import SPECS, FileSpec
from werkpad.protected.modes import private_dir
from werkpad.protected.spreadsheet import write_csv
from werkpad.store.db import make_engine
from werkpad.store.models import Base

DELIMITER = ";"


@dataclass(frozen=True)
class FolderExport:
    folder: Path
    rows: dict[str, int]  # file kind -> rows written


def cell(value: Any) -> str:
    """One value in the import's cell format (ISO dates, decimal point, ja/nee)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _spec_keys(conn: Connection, spec: FileSpec) -> dict[int, str]:
    """Database id -> the key this kind's rows get in the folder."""
    table = Base.metadata.tables[spec.table]
    if spec.key == ("id",):
        rows = conn.execute(sa.select(table.c.id, table.c.source_id))
        return {i: source if source is not None else str(i) for i, source in rows}
    columns = [table.c[c] for c in spec.key_db]
    return {
        row[0]: "|".join(cell(v) for v in row[1:])
        for row in conn.execute(sa.select(table.c.id, *columns))
    }


def _list_cell(separator: str, values: Any) -> str:
    """A JSON list as one cell, its values joined by the column's separator."""
    if not isinstance(values, list):
        return ""
    joiner = separator if separator == "\n" else f"{separator} "
    return joiner.join(str(v) for v in values)


def _municipality_keys(conn: Connection) -> dict[int, str]:
    """Municipality id -> its CBS code (else name); none at all for a single municipality, so
    its folder imports into any installation as that installation's default."""
    table = Base.metadata.tables["municipality"]
    rows = conn.execute(sa.select(table.c.id, table.c.name, table.c.cbs_code)).all()
    if len(rows) <= 1:
        return {}
    return {i: code or name for i, name, code in rows}


def _dossier_members(conn: Connection, persons: dict[int, str]) -> dict[int, dict[str, str]]:
    member = Base.metadata.tables["dossier_member"]
    out: dict[int, dict[str, str]] = {}
    for dossier_id, candidate_id, role in conn.execute(
        sa.select(member.c.dossier_id, member.c.candidate_id, member.c.member_role)
    ):
        column = "applicant_id" if role == "APPLICANT" else "partner_id"
        out.setdefault(dossier_id, {})[column] = persons[candidate_id]
    return out


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    write_csv(path, header, rows, delimiter=DELIMITER, encoding="utf-8", lineterminator="\n")


Emit = Callable[[str, list[str], list[list[str]]], None]


def export_folder(database: str | Engine, out: Path) -> FolderExport:
    """Write one CSV per import file kind to ``out`` (created; must not hold CSV files yet),
    read in one transaction; kinds without rows are left out (the import refuses empty files).

    This is the plain folder (``werkpad export folder --onversleuteld``); the default is the
    sealed file of ``werkpad.exporting.sealed_folder``."""
    out = Path(out)
    if out.is_dir() and (any(out.glob("*.csv")) or any(out.glob("*.xlsx"))):
        raise FileExistsError(f"Map {out} bevat al importbestanden; kies een lege map.")
    private_dir(out)

    def emit(kind: str, header: list[str], rows: list[list[str]]) -> None:
        _write(out / f"{kind}.csv", header, rows)

    return FolderExport(out, export_rows(database, emit))


def export_rows(database: str | Engine, emit: Emit) -> dict[str, int]:
    """Read every import file kind in one transaction and hand each kind that has rows to
    ``emit(kind, header, rows)``; returns the row count per kind (0 for kinds left out)."""
    engine = make_engine(database) if isinstance(database, str) else database
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            specs = [s for s in SPECS if not s.update_only]
            keys = {s.kind: _spec_keys(conn, s) for s in specs}
            keys["municipalities"] = _municipality_keys(conn)
            members = _dossier_members(conn, keys["persons"])
            for spec in specs:
                table = Base.metadata.tables[spec.table]
                rows = [
                    _row(spec, dict(record), keys, members)
                    for record in conn.execute(sa.select(table).order_by(table.c.id)).mappings()
                ]
                if rows:
                    emit(spec.kind, list(spec.column_names), rows)
                counts[spec.kind] = len(rows)
    finally:
        if isinstance(database, str):
            engine.dispose()
    return counts


def _row(
    spec: FileSpec,
    record: dict[str, Any],
    keys: dict[str, dict[int, str]],
    members: dict[int, dict[str, str]],
) -> list[str]:
    out = []
    for column in spec.columns:
        if spec.kind == "dossiers" and column.name in ("applicant_id", "partner_id"):
            out.append(members.get(record["id"], {}).get(column.name, ""))
        elif column.name == "id" and spec.key == ("id",):
            out.append(keys[spec.kind][record["id"]])
        elif column.ref is not None:
            target = record[column.target]
            found = keys[column.ref]
            lenient = column.ref == "municipalities"  # left empty for a single municipality
            out.append(
                "" if target is None else found.get(target, "") if lenient else found[target]
            )
        elif column.json_key is not None:
            scores = record[column.target] or {}
            value = scores.get(column.json_key) if isinstance(scores, dict) else None
            out.append(
                _list_cell(column.separator, value) if column.kind == "list" else cell(value)
            )
        elif column.kind == "list":
            out.append(_list_cell(column.separator, record[column.target]))
        else:
            out.append(cell(record[column.target]))
    return out
