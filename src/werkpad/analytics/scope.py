"""Narrow a snapshot to part of the municipality (a team, a segment) or to a period.

Definition (version 1): a person belongs to a team when the candidate's current team is that
team, and to a segment when their latest assessment on or before the reference date placed them
in it. Every person-keyed frame keeps only those persons' rows; provisions follow their routes.
Money (budgets, cost lines) is kept for the whole municipality: it is not booked per person.
The period helpers keep the events (route starts, route ends) that fall in the chosen years.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

import pandas as pd

from werkpad.analytics.snapshot import Snapshot

_PERSON_FRAMES = (
    "routes",
    "placements",
    "benefit_spells",
    "assessments",
    "exemptions",
    "dossiers",
    "contacts",
    "life_domains",
)


def latest_segments(assessments: pd.DataFrame) -> pd.Series:
    """The segment of each person's latest assessment that has one (index ``person``)."""
    if assessments.empty:
        return pd.Series(dtype=object, name="segment")
    known = assessments.dropna(subset=["segment"]).sort_values("assessed_on", kind="stable")
    return known.groupby("person")["segment"].last()


def persons_in_scope(
    snap: Snapshot, *, team_id: int | None = None, segment: str | None = None
) -> set[int]:
    """Persons of the snapshot in ``team_id`` and/or with latest ``segment``."""
    persons = snap.persons
    chosen = set(persons["person"]) if not persons.empty else set(snap.routes["person"])
    if team_id is not None:
        chosen &= set(persons.loc[persons["team_id"] == team_id, "person"])
    if segment is not None:
        segments = latest_segments(snap.assessments)
        chosen &= set(segments[segments == segment].index)
    return chosen


def restrict(snap: Snapshot, *, team_id: int | None = None, segment: str | None = None) -> Snapshot:
    """The snapshot limited to the persons of a team and/or segment (unchanged without both).

    Staffing follows the team filter, so caseload per FTE uses that team's klantmanagers.
    """
    if team_id is None and segment is None:
        return snap
    chosen = persons_in_scope(snap, team_id=team_id, segment=segment)
    changes: dict[str, Any] = {}
    for name in _PERSON_FRAMES:
        frame: pd.DataFrame = getattr(snap, name)
        if not frame.empty and "person" in frame.columns:
            changes[name] = frame[frame["person"].isin(chosen)].reset_index(drop=True)
    if not snap.persons.empty:
        changes["persons"] = snap.persons[snap.persons["person"].isin(chosen)].reset_index(
            drop=True
        )
    routes = changes.get("routes", snap.routes)
    provisions = snap.provisions
    changes["provisions"] = provisions[provisions["route_id"].isin(routes["route_id"])]
    instruments = snap.placement_instruments
    if not instruments.empty:
        placements = changes.get("placements", snap.placements)
        changes["placement_instruments"] = instruments[
            instruments["placement_id"].isin(placements["placement_id"])
        ].reset_index(drop=True)
    if team_id is not None:
        for name in ("staff", "teams"):
            frame = getattr(snap, name)
            if not frame.empty:
                changes[name] = frame[frame["team_id"] == team_id].reset_index(drop=True)
    return replace(snap, **changes)


def routes_ended_in(routes: pd.DataFrame, years: Collection[int]) -> pd.DataFrame:
    """Routes whose end date falls in one of ``years`` (running routes are left out)."""
    ended = routes[routes["end_date"].notna()]
    return ended[ended["end_date"].dt.year.isin(list(years))]


def started_in(frame: pd.DataFrame, years: Collection[int]) -> pd.DataFrame:
    """Rows (routes, provisions, placements) whose start date falls in one of ``years``."""
    return frame[pd.to_datetime(frame["start_date"]).dt.year.isin(list(years))]


def ended_in_period(snap: Snapshot, years: Collection[int]) -> Snapshot:
    """The snapshot with only the routes that ended in ``years`` (and their provisions), for
    figures about ended routes (end reasons, dropout)."""
    routes = routes_ended_in(snap.routes, years)
    return replace(
        snap,
        routes=routes.reset_index(drop=True),
        provisions=snap.provisions[snap.provisions["route_id"].isin(routes["route_id"])],
    )


def started_in_period(snap: Snapshot, years: Collection[int]) -> Snapshot:
    """The snapshot with only the routes and provisions that started in ``years`` (reach)."""
    return replace(
        snap,
        routes=started_in(snap.routes, years).reset_index(drop=True),
        provisions=started_in(snap.provisions, years).reset_index(drop=True),
    )
