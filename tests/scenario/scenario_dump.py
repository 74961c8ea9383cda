"""A normalised, row-by-row dump of a database, to compare two databases that hold the same
municipality entered two ways.

Left out: surrogate ids and source keys (``id``, ``source_id``, the generated dossier number),
timestamps of entry, passwords, the match score (computed by matching at the moment of
shortlisting, not entered), and the tables that log *how* data were entered rather than what
they say: the audit log and its seals, sessions, logged state transitions and the correction
history (like the audit log, an import starts it afresh; the corrected values themselves are
compared). Every foreign key is replaced by the natural key of the row it points at (a person
by BSN, a route by person and start date, ...), and JSON values by their non-empty parts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from werkpad.store.db import make_engine
from werkpad.store.models import Base

SKIPPED_TABLES = frozenset(
    {
        "code",
        "setting",
        "figures_version",
        "audit_log",
        "audit_seal",
        "web_session",
        # how people signed in: second factors, their steps and password changes
        "user_credential",
        "recovery_code",
        "login_challenge",
        "password_reset",
        "role_change",
        "break_glass",
        "state_transition",
        "correction",
        "postcode_centroid",
    }
)
SKIPPED_COLUMNS = frozenset({"id", "source_id", "created_at", "password_hash"})
SKIPPED = {("benefit_dossier", "dossier_number"), ("proposal", "score_milli")}
NATURAL: dict[str, tuple[str, ...]] = {
    "team": ("name",),
    "app_user": ("username",),
    "provider": ("name",),
    "provision_type": ("code",),
    "candidate": ("bsn",),
    "benefit_spell": ("candidate_id", "start_date"),
    "assessment": ("candidate_id", "assessed_on"),
    "plan": ("candidate_id", "created_on"),
    "route": ("candidate_id", "start_date"),
    "provision": ("route_id", "provision_type_id", "start_date"),
    "employer": ("name",),
    "vacancy": ("employer_id", "title"),
    "placement": ("candidate_id", "route_id"),
}


def _plain(value: Any) -> Any:
    """JSON without its empty parts (an empty list, False, None), so {} equals NULL."""
    if isinstance(value, dict):
        kept = {k: _plain(v) for k, v in sorted(value.items())}
        kept = {k: v for k, v in kept.items() if v not in (None, False, [], {}, "")}
        return tuple(kept.items()) or None
    if isinstance(value, list):
        return tuple(_plain(v) for v in value) or None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table as sorted rows of (column, value) pairs with natural keys."""
    engine = make_engine(url)
    keys: dict[str, dict[int, Any]] = {}
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as conn:
            member = Base.metadata.tables["dossier_member"]
            applicants = dict(
                conn.execute(
                    sa.select(member.c.dossier_id, member.c.candidate_id).where(
                        member.c.member_role == "APPLICANT"
                    )
                ).all()
            )
            tables = list(Base.metadata.sorted_tables)
            # A dossier's natural key is its applicant: read it after the candidates.
            dossier = Base.metadata.tables["benefit_dossier"]
            tables.remove(dossier)
            tables.insert(tables.index(Base.metadata.tables["candidate"]) + 1, dossier)
            for table in tables:
                if table.name in SKIPPED_TABLES:
                    continue
                refs = {
                    fk.parent.name: fk.column.table.name
                    for fk in table.foreign_keys
                    if fk.column.table.name not in SKIPPED_TABLES
                }
                rows = []
                for record in conn.execute(sa.select(table)).mappings():
                    values: dict[str, Any] = {}
                    for name, value in record.items():
                        if name in SKIPPED_COLUMNS or (table.name, name) in SKIPPED:
                            continue
                        if name in refs and value is not None:
                            value = keys[refs[name]][value]
                        values[name] = _plain(value)
                    if table.name == "benefit_dossier":
                        applicant = applicants.get(record["id"])
                        natural: Any = (keys["candidate"].get(applicant), values["opened_on"])
                    elif table.name in NATURAL:
                        natural = tuple(values[c] for c in NATURAL[table.name])
                    else:
                        natural = None
                    if "id" in record:
                        keys.setdefault(table.name, {})[record["id"]] = (table.name, natural)
                    rows.append(tuple(sorted(values.items(), key=lambda kv: kv[0])))
                out[table.name] = sorted(rows, key=repr)
    finally:
        engine.dispose()
    return out


def differences(left: dict[str, list[Any]], right: dict[str, list[Any]]) -> list[str]:
    """What differs, table by table, as readable lines (empty when the dumps are equal)."""
    lines = []
    for table in sorted(set(left) | set(right)):
        a, b = left.get(table, []), right.get(table, [])
        if a == b:
            continue
        only_a = [r for r in a if r not in b]
        only_b = [r for r in b if r not in a]
        lines.append(f"{table}: {len(a)} vs {len(b)} rows")
        for r in only_a[:3]:
            lines.append(f"  only via HTTP:   {r}")
        for r in only_b[:3]:
            lines.append(f"  only via import: {r}")
    return lines


__all__ = ["date", "differences", "dump"]
