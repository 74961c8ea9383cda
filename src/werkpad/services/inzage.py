"""Everything werkpad holds about one person, for an inzageverzoek (AVG article 15).

The export follows the schema, not a hand-kept list: every table with a ``candidate_id``
(diagnoses, benefit spells, plans, routes, contacts, corrections, ...), the tables hanging off
this person's routes and placements (provisions and their costs, follow-ups, instruments),
the state transitions of those objects, and the audit log of who looked at the file (date,
action, role: the categories of recipients, article 15(1)(c)). Rows are filtered on this
person's own ids, so another person's row never comes along: a partner in the same benefit
dossier shares the dossier number, not their membership, spells or personal data. Free text
written by staff is exported as written. A new table with a ``candidate_id`` is included
without a code change (``test_inzage_covers_every_table_with_a_candidate_id``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from werkpad.store.models import AuditEntry, Base, StateTransition, User

# Tables reached through another of this person's objects: (table, its column, parent table).
INDIRECT = (
    ("provision", "route_id", "route"),
    ("cost_line", "provision_id", "provision"),
    ("follow_up", "placement_id", "placement"),
    ("placement_instrument", "placement_id", "placement"),
)
# Dutch section titles of the readable (PDF) version.
TITLES = {
    "candidate": "Persoonsgegevens",
    "dossier_member": "Uitkeringsdossier (lidmaatschap)",
    "benefit_spell": "Uitkeringsperiodes",
    "assessment": "Diagnoses",
    "exemption": "Ontheffingen",
    "plan": "Plannen",
    "route": "Routes",
    "provision": "Voorzieningen",
    "cost_line": "Kosten",
    "contact": "Contacten",
    "referral": "Verwijzingen naar werkgeversdienstverlening",
    "work_profile": "Werkprofiel",
    "proposal": "Voorstellen aan werkgevers",
    "placement": "Plaatsingen",
    "placement_instrument": "Instrumenten bij plaatsing",
    "follow_up": "Nazorg",
    "correction": "Correcties (oude en nieuwe waarden)",
    "break_glass": "Noodtoegang tot het dossier",
    "state_transition": "Statuswijzigingen",
    "audit": "Wie het dossier inzag of wijzigde",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(session: Session, table: Table, column: str, ids: Iterable[int]) -> list[dict[str, Any]]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    result = session.execute(
        select(table).where(table.c[column].in_(wanted)).order_by(table.c[column])
    )
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


def candidate_tables() -> list[Table]:
    """Every table with a ``candidate_id`` column (the candidate table itself excluded)."""
    return [t for t in Base.metadata.sorted_tables if "candidate_id" in t.c]


def person_export(session: Session, candidate_id: int) -> dict[str, Any]:
    """The person's data, per table, as JSON-ready dicts; KeyError when there is no such
    candidate."""
    candidate_table = Base.metadata.tables["candidate"]
    person = _rows(session, candidate_table, "id", [candidate_id])
    if not person:
        raise KeyError(candidate_id)
    sections: dict[str, list[dict[str, Any]]] = {"candidate": person}
    for table in candidate_tables():
        sections[table.name] = _rows(session, table, "candidate_id", [candidate_id])
    tables = Base.metadata.tables
    for name, column, parent in INDIRECT:
        parent_ids = [row["id"] for row in sections.get(parent, [])]
        sections[name] = _rows(session, tables[name], column, parent_ids)
    transitions: list[dict[str, Any]] = []
    for kind in ("route", "provision", "referral", "proposal", "placement"):
        ids = sorted({row["id"] for row in sections.get(kind, [])})
        if not ids:
            continue
        rows = session.scalars(
            select(StateTransition)
            .where(StateTransition.object_type == kind, StateTransition.object_id.in_(ids))
            .order_by(StateTransition.id)
        )
        transitions += [
            {c.name: _plain(getattr(t, c.key)) for c in StateTransition.__table__.columns}
            for t in rows
        ]
    sections["state_transition"] = transitions
    audit = session.execute(
        select(AuditEntry.at, AuditEntry.action, AuditEntry.purpose, User.role)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.object_type == "candidate", AuditEntry.object_id == candidate_id)
        .order_by(AuditEntry.id)
    )
    sections["audit"] = [
        {"at": _plain(at), "action": action, "purpose": purpose, "role": role}
        for at, action, purpose, role in audit
    ]
    return {
        "soort": "werkpad-inzage",
        "versie": 1,
        "kandidaat_id": candidate_id,
        "secties": sections,
    }
