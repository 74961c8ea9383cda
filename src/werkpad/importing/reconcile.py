"""Reconcile an import of benefit data with what the klantmanagers entered on screen.

A person, benefit dossier or benefit spell entered at the intake has no source key. When the
income administration's files bring the same thing, the import adopts the screen record instead
of refusing or duplicating it, and lists every value that differs for review:

* a person matches on BSN (a screen-entered candidate without ``source_id``);
* a benefit spell matches on the person and its start date (screen-entered, no ``source_id``);
* a dossier matches on its applicant and opening date when none of its spells was imported: it
  takes the administration's dossier number, and the import's members replace the screen ones.

The imported values win (the administration is the source for benefit data); the differences
say what changed so a klantmanager can check the file. Runs inside the import's transaction,
before the upserts, with SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, select, update

from werkpad.importing.validation import KEY, Validation
from werkpad.store.models import Base

PERSON_FIELDS = {
    "first_name": "voornaam",
    "last_name": "achternaam",
    "birth_date": "geboortedatum",
    "sex": "geslacht",
    "postcode": "postcode",
}
SPELL_FIELDS = {
    "benefit_type": "soort uitkering",
    "end_date": "einddatum",
    "end_reason": "reden einde",
}


@dataclass(frozen=True)
class Difference:
    """A value the import changed on a record that was entered on screen."""

    kind: str  # persons, dossiers, benefit_spells
    key: str  # the record's key in the import file
    field: str  # Dutch field name
    on_screen: str
    imported: str

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.key}: {self.field} was '{self.on_screen or '–'}' (scherm), "
            f"wordt '{self.imported or '–'}' (import)"
        )


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _day(value: Any) -> date | None:
    text = _text(value)
    return date.fromisoformat(text) if text else None


def reconcile_with_screen(conn: Connection, validation: Validation) -> list[Difference]:
    """Adopt screen-entered persons, dossiers and benefit spells that the import brings too
    (see the module docstring); returns the differences for review."""
    differences: list[Difference] = []
    candidate = Base.metadata.tables["candidate"]
    spell = Base.metadata.tables["benefit_spell"]
    dossier = Base.metadata.tables["benefit_dossier"]
    member = Base.metadata.tables["dossier_member"]

    persons = validation.files.get("persons")
    if persons is not None:
        screen = {
            row.bsn: row
            for row in conn.execute(select(candidate).where(candidate.c.source_id.is_(None)))
        }
        for record in persons.frame.to_dict("records"):
            found = screen.get(record["bsn"])
            if found is None:
                continue
            conn.execute(
                update(candidate).where(candidate.c.id == found.id).values(source_id=record[KEY])
            )
            differences += _compare("persons", record, found, PERSON_FIELDS)

    person_ids = {
        row.source_id: row.id
        for row in conn.execute(
            select(candidate.c.source_id, candidate.c.id).where(candidate.c.source_id.is_not(None))
        )
    }
    dossiers = validation.files.get("dossiers")
    if dossiers is not None:
        imported_spells = select(spell.c.dossier_id).where(
            spell.c.source_id.is_not(None), spell.c.dossier_id.is_not(None)
        )
        for record in dossiers.frame.to_dict("records"):
            applicant = person_ids.get(record["applicant_id"])
            opened = _day(record["opened_on"])
            if applicant is None or opened is None:
                continue
            found = conn.execute(
                select(dossier)
                .join(member, member.c.dossier_id == dossier.c.id)
                .where(
                    member.c.candidate_id == applicant,
                    member.c.member_role == "APPLICANT",
                    dossier.c.opened_on == opened,
                    dossier.c.dossier_number != record["dossier_number"],
                    dossier.c.id.not_in(imported_spells),
                )
            ).first()
            if found is None:
                continue
            conn.execute(
                update(dossier)
                .where(dossier.c.id == found.id)
                .values(dossier_number=record["dossier_number"])
            )
            differences.append(
                Difference(
                    "dossiers",
                    record["dossier_number"],
                    "dossiernummer",
                    found.dossier_number,
                    record["dossier_number"],
                )
            )
            if _text(found.closed_on) != _text(record["closed_on"]):
                differences.append(
                    Difference(
                        "dossiers",
                        record["dossier_number"],
                        "gesloten op",
                        _text(found.closed_on),
                        _text(record["closed_on"]),
                    )
                )

    spells = validation.files.get("benefit_spells")
    if spells is not None:
        for record in spells.frame.to_dict("records"):
            person = person_ids.get(record["candidate_id"])
            start = _day(record["start_date"])
            if person is None or start is None:
                continue
            found = conn.execute(
                select(spell).where(
                    and_(
                        spell.c.candidate_id == person,
                        spell.c.start_date == start,
                        spell.c.source_id.is_(None),
                    )
                )
            ).first()
            if found is None:
                continue
            conn.execute(update(spell).where(spell.c.id == found.id).values(source_id=record[KEY]))
            differences += _compare("benefit_spells", record, found, SPELL_FIELDS)
    return differences


def _compare(
    kind: str, record: Mapping[Any, Any], row: Any, fields: dict[str, str]
) -> list[Difference]:
    out = []
    for name, label in fields.items():
        if name not in record:
            continue
        screen, imported = _text(getattr(row, name)), _text(record[name])
        if name == "postcode":
            same = screen.replace(" ", "").upper() == imported.replace(" ", "").upper()
        else:
            same = screen == imported
        if not same:
            out.append(Difference(kind, str(record[KEY]), label, screen, imported))
    return out
