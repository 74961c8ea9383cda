"""Contact intensity per klantmanager: for the teamleider of that klantmanager's team only.

Monitoring individual staff needs the works council's consent (issue 18), so these figures are
never published: not on the dashboard, not in the council report, not for another team's
teamleider. The figures follow ``analytics.intensity`` (contacts per year in service against the
norm of the track, pro-rated for part of a year), computed on the teamleider's own team.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from werkpad.analytics import intensity, scope
from werkpad.analytics.snapshot import CodeFacts, Snapshot
from werkpad.services.access import AccessDenied
from werkpad.store.models import Team, User

TOTAL = "Totaal"
OTHERS = "Zonder klantmanager van dit team"
TRACK_LABELS = {TOTAL: TOTAL, "re-integratie": "Re-integratie", "participatie": "Participatie"}


@dataclass(frozen=True)
class IntensityRow:
    """One klantmanager (or the team total, or the rest) in one year and track."""

    klantmanager_id: int | None
    name: str
    year: int
    track: str
    candidates: int
    contacts: int
    years_in_service: float
    contacts_per_year: float | None
    below_norm: int
    below_norm_pct: float | None


def team_names(engine: Engine) -> dict[int, str]:
    """Team id -> name (the council report labels its team rows with them)."""
    with engine.connect() as conn:
        return {row.id: row.name for row in conn.execute(select(Team.id, Team.name))}


def require_teamleider(user: User) -> int:
    """The teamleider's team id; AccessDenied for anyone else (the view answers 403)."""
    if user.role != "TEAMLEIDER" or user.team_id is None:
        raise AccessDenied
    return user.team_id


def klantmanagers_of_team(session: Session, teamleider: User) -> dict[int, str]:
    """Id -> name of the klantmanagers of the teamleider's team (also inactive ones: their
    candidates of earlier years still count)."""
    team_id = require_teamleider(teamleider)
    rows = session.execute(
        select(User.id, User.full_name)
        .where(User.role == "KLANTMANAGER", User.team_id == team_id)
        .order_by(User.full_name, User.id)
    )
    return {row.id: row.full_name for row in rows}


def check_own_klantmanager(session: Session, teamleider: User, klantmanager_id: int) -> User:
    """The klantmanager when they belong to the teamleider's team; AccessDenied otherwise
    (also for an unknown id, so a refusal gives nothing away)."""
    team_id = require_teamleider(teamleider)
    found = session.get(User, klantmanager_id)
    if found is None or found.role != "KLANTMANAGER" or found.team_id != team_id:
        raise AccessDenied
    return found


def _number(value: object) -> float | None:
    if not isinstance(value, int | float) or pd.isna(value):
        return None
    return float(value)


def team_contact_intensity(
    snap: Snapshot,
    *,
    team_id: int,
    klantmanagers: Mapping[int, str],
    years: Sequence[int],
    facts: CodeFacts | None = None,
) -> list[IntensityRow]:
    """Per year, klantmanager and track (``Totaal`` included) for the candidates of
    ``team_id``: the team total first, then the klantmanagers by name, then the candidates
    without a klantmanager of this team."""
    facts = facts or CodeFacts.from_code_lists()
    scoped = scope.restrict(snap, team_id=team_id)
    person_years = intensity.person_years(
        scoped.routes,
        scoped.contacts,
        scoped.assessments,
        years=years,
        reference_date=snap.reference_date,
        work_route=facts.segment_work_route,
    )
    persons = scoped.persons
    if not persons.empty:
        own = persons["klantmanager_id"].map(
            lambda v: v if not pd.isna(v) and int(v) in klantmanagers else None
        )
        persons = persons.assign(klantmanager_id=own)
    frame = intensity.contact_intensity_by_klantmanager(person_years, persons)
    rows = []
    for record in frame.to_dict(orient="records"):
        group = str(record["group"])
        km_id = int(group) if group.isdigit() else None
        if group == TOTAL:
            name = f"{TOTAL} team"
        else:
            name = klantmanagers.get(km_id, OTHERS) if km_id is not None else OTHERS
        rows.append(
            IntensityRow(
                klantmanager_id=km_id,
                name=name,
                year=int(record["year"]),
                track=TRACK_LABELS.get(str(record["track"]), str(record["track"])),
                candidates=int(record["candidates"]),
                contacts=int(record["contacts"]),
                years_in_service=float(record["years_in_service"]),
                contacts_per_year=_number(record["contacts_per_year"]),
                below_norm=int(record["below_norm"]),
                below_norm_pct=_number(record["below_norm_pct"]),
            )
        )
    order = {name: i for i, name in enumerate(TRACK_LABELS.values())}
    return sorted(
        rows,
        key=lambda r: (
            -r.year,
            r.klantmanager_id is None and r.name != f"{TOTAL} team",
            r.name != f"{TOTAL} team",
            r.name,
            order.get(r.track, len(order)),
        ),
    )
