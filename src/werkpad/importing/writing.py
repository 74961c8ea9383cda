"""Write a validated folder with SQLAlchemy Core in chunks, inside the caller's transaction.

Upsert on the source system's keys: the keys already in the database are looked up first, new
rows are bulk-inserted and existing rows bulk-updated, so importing the same folder twice leaves
the database as after the first time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import pandas as pd
from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from werkpad.domain.codelists import code_list
from werkpad.domain.lifecycle import ENDED_PROVISION_STATES, provision_state_from_dates
from werkpad.importing.reconcile import Difference, reconcile_with_screen
from werkpad.importing.spec import DB_ONLY_REFS, SPECS, Column, FileSpec, ref_target
from werkpad.importing.validation import KEY, KnownKeys, ParsedFile, Validation
from werkpad.store.figures_version import bump_figures_version
from werkpad.store.models import Base, ensure_default_municipality

CHUNK_ROWS = 5_000
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class WriteCount:
    inserted: int
    updated: int


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def key_map(conn: Connection, kind: str) -> dict[str, int]:
    """Existing rows of ``kind``: source key -> database id."""
    if kind == "municipalities":
        return municipality_keys(conn)
    table_name, columns = ref_target(kind)
    table = _table(table_name)
    cols = [table.c[c] for c in columns]
    rows = conn.execute(select(*cols, table.c.id).where(cols[0].is_not(None)))
    return {"|".join(str(v) for v in row[:-1]): row[-1] for row in rows}


def municipality_keys(conn: Connection) -> dict[str, int]:
    """Every way a file may name a municipality of the service: its CBS code as 0534 and
    GM0534, and its name with and without "Gemeente" (docs/municipalities.md)."""
    table = _table("municipality")
    keys: dict[str, int] = {}
    for place_id, name, code in conn.execute(select(table.c.id, table.c.name, table.c.cbs_code)):
        bare = name.removeprefix("Gemeente ").strip()
        names = {name, bare, f"Gemeente {bare}", name.upper(), name.lower(), bare.lower()}
        codes = {code, f"GM{code}", code.lstrip("0")} if code else set()
        keys.update(dict.fromkeys(names | codes, place_id))
    return keys


def load_known(conn: Connection) -> KnownKeys:
    """The keys and unique values the database already holds, for ``validate_folder``."""
    kinds = [s.kind for s in SPECS if not s.update_only] + list(DB_ONLY_REFS)
    known = KnownKeys(keys={kind: set(key_map(conn, kind)) for kind in kinds})
    candidate, placement, route = _table("candidate"), _table("placement"), _table("route")
    # A person entered on screen (no source id) with the same BSN is adopted by the import
    # (``reconcile_with_screen``), so only imported persons own their BSN here.
    known.unique[("persons", "bsn")] = {
        bsn: source
        for bsn, source in conn.execute(
            select(candidate.c.bsn, candidate.c.source_id).where(candidate.c.source_id.is_not(None))
        )
    }
    claimed = select(route.c.source_id, placement.c.source_id).join(
        placement, placement.c.route_id == route.c.id
    )
    known.unique[("placements", "route_id")] = {
        r: p or "(zonder bron-id)" for r, p in conn.execute(claimed) if r is not None
    }
    starts = select(route.c.source_id, route.c.start_date).where(route.c.source_id.is_not(None))
    known.route_starts = {source: start for source, start in conn.execute(starts)}
    return known


def _provision_states(records: pd.DataFrame) -> list[str]:
    """The state of each imported provision: the ``state`` column when given, else derived
    from the dates and the result (ended as the result says, running once started, planned
    before)."""
    results = code_list("provision_result")
    ends_as = {c.code: c.attr("ends_as") for c in results}
    today = date.today()
    given = records["state"] if "state" in records else pd.Series(None, index=records.index)
    return [
        state or provision_state_from_dates(start, end, ends_as.get(result or ""), today)
        for state, start, end, result in zip(
            given, records["start_date"], records["end_date"], records["result"], strict=True
        )
    ]


# What a klantmanager records when a provision ends (or is cancelled) on screen.
PROVISION_LIFE_CYCLE = ("state", "result", "end_date", "state_reason")


def _keep_screen_life_cycle(
    conn: Connection, parsed: ParsedFile, records: pd.DataFrame, existing: dict[str, int]
) -> pd.DataFrame:
    """A re-import of a provision whose row says nothing about its end (no state, result or
    end date) keeps the end recorded since, on screen or by an earlier import: a running
    provision in an older export must not blank a result entered in werkpad."""
    frame = parsed.frame
    silent = frame["state"].isna() & frame["result"].isna() & frame["end_date"].isna()
    ids = {key: existing[key] for key in records.loc[silent, KEY] if key in existing}
    if not ids:
        return records
    table = _table("provision")
    held: dict[int, Any] = {}
    chunked = sorted(ids.values())
    for start in range(0, len(chunked), 500):
        statement = select(table.c.id, *[table.c[c] for c in PROVISION_LIFE_CYCLE]).where(
            table.c.id.in_(chunked[start : start + 500]),
            table.c.state.in_(sorted(ENDED_PROVISION_STATES | {"CANCELLED"})),
        )
        held.update({row.id: row for row in conn.execute(statement)})
    records = records.copy()
    for label, key in records[KEY].items():
        row = held.get(ids.get(key, -1))
        if row is not None:
            for column in PROVISION_LIFE_CYCLE:
                records.at[label, column] = getattr(row, column)
    return records


class _Writer:
    def __init__(self, conn: Connection, progress: Progress | None) -> None:
        self.conn = conn
        self.progress = progress
        self.maps: dict[str, dict[str, int]] = {}

    def ids(self, kind: str) -> dict[str, int]:
        if kind not in self.maps:
            self.maps[kind] = key_map(self.conn, kind)
        return self.maps[kind]

    def records(self, parsed: ParsedFile, table: Table) -> pd.DataFrame:
        """Database-ready columns: references resolved to ids, defaults filled in."""
        spec, frame = parsed.spec, parsed.frame
        out: dict[str, pd.Series] = {}
        parts: dict[str, list[Column]] = {}
        for column in spec.columns:
            if column.target not in table.c:
                continue
            if column.json_key is not None:
                parts.setdefault(column.target, []).append(column)
                continue
            values = frame[column.name]
            if column.ref is not None and not spec.update_only:
                ids = self.ids(column.ref)
                values = values.map(lambda k, ids=ids: None if k is None else ids[k])
            if column.default is not None:
                values = values.where(values.notna(), column.default)
            if column.kind == "list":  # a JSON list column: empty is an empty list
                values = values.map(lambda v: [] if v is None else v)
            out[column.target] = values.astype(object).where(values.notna(), None)
        for target, columns in parts.items():
            out[target] = _json_objects(frame, columns)
        records = pd.DataFrame(out, index=frame.index)
        if "municipality_id" in records.columns and records["municipality_id"].isna().any():
            # An empty municipality cell: the installation's default one (one municipality).
            default = ensure_default_municipality(self.conn)
            records["municipality_id"] = records["municipality_id"].where(
                records["municipality_id"].notna(), default
            )
        if spec.table == "provision":
            records["state"] = _provision_states(records)
        records[KEY] = frame[KEY]
        return records

    def replace_children(self, parsed: ParsedFile) -> WriteCount:
        """Replace the child rows of the parents named in the file where they differ from what
        the database holds; parents whose rows are already the same are left alone, so a
        re-import changes nothing."""
        spec = parsed.spec
        table = _table(spec.table)
        parent = spec.column(str(spec.replaces_children_of)).target
        records = self.records(parsed, table).drop(columns=KEY)
        columns = list(records.columns)
        wanted: dict[int, dict[tuple[Any, ...], tuple[Any, ...]]] = {}
        position = columns.index(parent)
        for values in records.itertuples(index=False, name=None):
            wanted.setdefault(int(values[position]), {})[_comparable(values)] = tuple(values)
        held: dict[int, set[tuple[Any, ...]]] = {}
        for start in range(0, len(wanted), 500):
            chunk = sorted(wanted)[start : start + 500]
            selected = select(*[table.c[c] for c in columns]).where(table.c[parent].in_(chunk))
            for found in self.conn.execute(selected):
                held.setdefault(int(found[position]), set()).add(_comparable(found))
        changed = [p for p, rows in wanted.items() if held.get(p, set()) != set(rows)]
        for start in range(0, len(changed), 500):
            chunk = changed[start : start + 500]
            self.conn.execute(delete(table).where(table.c[parent].in_(chunk)))
        new_rows = [dict(zip(columns, r, strict=True)) for p in changed for r in sorted(
            wanted[p].values(), key=str)]  # fmt: skip
        self._chunks(parsed.name, insert(table), new_rows, len(new_rows))
        inserted = sum(len(wanted[p]) for p in changed if p not in held)
        return WriteCount(inserted=inserted, updated=len(new_rows) - inserted)

    def _chunks(
        self, label: str, statement: Any, rows: list[dict[str, Any]], total: int, done: int = 0
    ) -> None:
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start : start + CHUNK_ROWS]
            self.conn.execute(statement, chunk)
            if self.progress:
                self.progress(label, done + min(start + CHUNK_ROWS, len(rows)), total)

    def upsert(self, parsed: ParsedFile) -> WriteCount:
        spec = parsed.spec
        table = _table(spec.table)
        records = self.records(parsed, table)
        columns = [c for c in records.columns if c != KEY]
        label = parsed.name
        if spec.update_only:
            return self._update_by_key(spec, table, records, columns, label)
        existing = self.ids(spec.kind)
        if spec.table == "provision":
            records = _keep_screen_life_cycle(self.conn, parsed, records, existing)
        is_new = ~records[KEY].isin(existing.keys())
        new_rows = cast(list[dict[str, Any]], records.loc[is_new, columns].to_dict("records"))
        for row in new_rows:
            row.update(spec.insert_values)
        old = records.loc[~is_new]
        old_rows = [
            {"b_id": existing[key], **{f"b_{c}": row[c] for c in columns}}
            for key, row in zip(old[KEY], old[columns].to_dict("records"), strict=True)
        ]
        total = len(records)
        if new_rows:
            self._chunks(label, insert(table), new_rows, total)
        if old_rows:
            statement = (
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values({c: bindparam(f"b_{c}") for c in columns})
            )
            self._chunks(label, statement, old_rows, total, done=len(new_rows))
        self.maps.pop(spec.kind, None)
        return WriteCount(inserted=len(new_rows), updated=len(old_rows))

    def _update_by_key(
        self, spec: FileSpec, table: Table, records: pd.DataFrame, columns: list[str], label: str
    ) -> WriteCount:
        (key_column,) = spec.key_db
        values = [c for c in columns if c != key_column]
        rows = [
            {f"b_{c}": row[c] for c in [key_column, *values]}
            for row in records[columns].to_dict("records")
        ]
        statement = (
            update(table)
            .where(table.c[key_column] == bindparam(f"b_{key_column}"))
            .values({c: bindparam(f"b_{c}") for c in values})
        )
        self._chunks(label, statement, rows, len(rows))
        return WriteCount(inserted=0, updated=len(rows))

    def dossier_members(self, parsed: ParsedFile) -> None:
        """Replace the members of the imported dossiers (applicant and partner)."""
        member = _table("dossier_member")
        dossiers, persons = self.ids("dossiers"), self.ids("persons")
        frame = parsed.frame
        dossier_ids = [dossiers[k] for k in frame[KEY]]
        for start in range(0, len(dossier_ids), 500):
            chunk = dossier_ids[start : start + 500]
            self.conn.execute(delete(member).where(member.c.dossier_id.in_(chunk)))
        rows: list[dict[str, Any]] = []
        for dossier_id, applicant, partner in zip(
            dossier_ids, frame["applicant_id"], frame["partner_id"], strict=True
        ):
            rows.append(
                {
                    "dossier_id": dossier_id,
                    "candidate_id": persons[applicant],
                    "member_role": "APPLICANT",
                }
            )
            if partner is not None:
                rows.append(
                    {
                        "dossier_id": dossier_id,
                        "candidate_id": persons[partner],
                        "member_role": "PARTNER",
                    }
                )
        self._chunks(f"{parsed.name} (leden)", insert(member), rows, len(rows))


def _json_objects(frame: pd.DataFrame, columns: list[Column]) -> pd.Series:
    """One JSON object per row from the columns that are its keys (None when all are empty)."""

    objects: list[dict[str, Any] | None] = []
    for row in frame[[c.name for c in columns]].to_dict("records"):
        found = {
            str(c.json_key): int(row[c.name]) if c.kind == "int" else row[c.name]
            for c in columns
            if isinstance(row[c.name], list)
            or (row[c.name] is not None and not pd.isna(row[c.name]))
        }
        objects.append(found or None)
    return pd.Series(objects, index=frame.index, dtype=object)


def _comparable(values: Any) -> tuple[Any, ...]:
    """A row as a hashable tuple (JSON lists and objects become tuples), to compare what a
    file brings with what the database holds."""

    def frozen(value: Any) -> Any:
        if isinstance(value, list):
            return tuple(frozen(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((k, frozen(v)) for k, v in value.items()))
        return value

    return tuple(frozen(v) for v in values)


class WriteFailed(Exception):
    """The database refused a row that validation let through; the transaction is rolled back."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


def write_folder(
    conn: Connection,
    validation: Validation,
    progress: Progress | None = None,
    differences: list[Difference] | None = None,
) -> dict[str, WriteCount]:
    """Write every validated file in dependency order; the caller owns the transaction.

    First the persons, dossiers and benefit spells entered on screen that the files bring too
    are adopted (``reconcile_with_screen``); their differences go to ``differences``.
    """
    from sqlalchemy.exc import DBAPIError

    found = reconcile_with_screen(conn, validation)
    if differences is not None:
        differences.extend(found)
    writer = _Writer(conn, progress)
    counts: dict[str, WriteCount] = {}
    for spec in SPECS:
        parsed = validation.files.get(spec.kind)
        if parsed is None:
            continue
        try:
            counts[spec.kind] = (
                writer.replace_children(parsed)
                if spec.replaces_children_of
                else writer.upsert(parsed)
            )
            if spec.kind == "dossiers":
                writer.dossier_members(parsed)
        except DBAPIError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
            raise WriteFailed(parsed.name, f"de database weigerde een rij: {reason}") from exc
    if counts:
        bump_figures_version(conn)  # imported rows change the figures, in the same transaction
    return counts
