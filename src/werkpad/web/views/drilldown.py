"""Drill-down from a dashboard figure to the routes behind it.

The analist gets a pseudonymised list (route id, birth year, segment, team; no name, BSN or
candidate id); teamleider and klantmanager get the routes of their own team's candidates with
a link to the file (opening a file is audit-logged there). Other roles get 403 and no data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from werkpad.analytics import scope
from werkpad.analytics.drilldown import Drill, UnknownDrill, drill_routes
from werkpad.analytics.snapshot import Snapshot
from werkpad.domain.codelists import code_list
from werkpad.domain.outcomes import work_end_reasons
from werkpad.services.access import candidate_scope
from werkpad.services.audit import record_event
from werkpad.store.db import transaction
from werkpad.store.models import Candidate, User
from werkpad.web.auth import client_ip, require_role
from werkpad.web.templating import templates
from werkpad.web.views.dashboard import (
    DRILL_ROLES,
    SUPPRESSED_ROLES,
    resolve_filters,
    suppression_threshold,
)

router = APIRouter()


@dataclass(frozen=True)
class DrillRow:
    route_id: int
    start_date: date | None
    end_date: date | None
    end_reason: str
    durable: bool | None
    birth_year: int | None = None
    segment: str = ""
    team: str = ""
    candidate_id: int | None = None
    name: str = ""


def _date(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _base(row: pd.Series) -> dict[str, object]:
    durable = row.get("durable")
    return {
        "route_id": int(row["route_id"]),
        "start_date": _date(row["start_date"]),
        "end_date": _date(row["end_date"]),
        "end_reason": code_list("route_end_reason").label(row["end_reason"])
        if isinstance(row["end_reason"], str)
        else "–",
        "durable": None if durable is None or pd.isna(durable) else bool(durable),
    }


def pseudonymised_rows(
    snap: Snapshot, routes: pd.DataFrame, teams: dict[int, str]
) -> list[DrillRow]:
    """Analyst rows: only the birth year, latest segment and team of the person."""
    persons = snap.persons.set_index("person") if not snap.persons.empty else pd.DataFrame()
    segments = scope.latest_segments(snap.assessments)
    labels = code_list("segment")
    rows = []
    for _, row in routes.iterrows():
        person = row["person"]
        known = not persons.empty and person in persons.index
        birth = _int(persons.at[person, "birth_year"]) if known else None
        team = _int(persons.at[person, "team_id"]) if known else None
        segment = segments.get(person)
        rows.append(
            DrillRow(
                **_base(row),  # type: ignore[arg-type]
                birth_year=birth,
                segment=labels.label(segment) if isinstance(segment, str) else "–",
                team=teams.get(team, "–") if team is not None else "–",
            )
        )
    return rows


def team_rows(engine: Engine, user: User, routes: pd.DataFrame) -> list[DrillRow]:
    """Case-role rows: only routes of candidates the user may see, with their names."""
    ids = [int(p) for p in routes["person"].unique()]
    if not ids:
        return []
    with engine.connect() as conn:
        names = {
            row.id: f"{row.first_name} {row.last_name}"
            for row in conn.execute(
                select(Candidate.id, Candidate.first_name, Candidate.last_name)
                .where(Candidate.id.in_(ids))
                .where(candidate_scope(user))
            )
        }
    return [
        DrillRow(**_base(row), candidate_id=int(row["person"]), name=names[int(row["person"])])  # type: ignore[arg-type]
        for _, row in routes.iterrows()
        if int(row["person"]) in names
    ]


def _drill(request: Request) -> Drill:
    params = request.query_params
    year = params.get("periode", "")
    if year and not (year.isdigit() and len(year) == 4):
        raise UnknownDrill("Ongeldig jaar.")
    return Drill(params.get("kpi", ""), params.get("groep", ""), int(year) if year else None)


def small_cell_refusal(request: Request, user: User, count: int) -> Response | None:
    """For roles that see only aggregates: a 403 with a Dutch message when the list would
    show fewer routes than the small-cell threshold (the dashboard hides that cell, so its
    list may not show it either); None when the list may be shown."""
    threshold = suppression_threshold(request)
    if user.role not in SUPPRESSED_ROLES or count == 0 or count >= threshold:
        return None
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "title": "Te klein aantal",
            "message": f"Achter dit cijfer zitten minder dan {threshold} routes. Zulke kleine "
            "aantallen zijn voor jouw rol verborgen, ook in de lijst.",
        },
        status_code=403,
    )


def audit_list_view(request: Request, user: User, drill: Drill) -> None:
    """The list behind a figure shows people (pseudonymised or named): log who opened which."""
    with transaction(request.app.state.session_factory) as db:
        record_event(
            db,
            user,
            "LIST",
            "list",
            purpose=f"Lijst achter dashboardcijfer: {drill.kpi_id} / {drill.group}",
            ip=client_ip(request),
        )


@router.get("/dashboard/lijst", response_class=HTMLResponse)
def drilldown(request: Request, user: User = Depends(require_role(*DRILL_ROLES))) -> Response:
    filters, errors, snap, teams = resolve_filters(request)
    try:
        drill = _drill(request)
        scoped = scope.restrict(snap, team_id=filters.team_id, segment=filters.segment)
        routes = drill_routes(scoped, drill, years=filters.years, work_reasons=work_end_reasons())
    except UnknownDrill as exc:
        return templates.TemplateResponse(
            request,
            "error.html",
            {"title": "Geen lijst", "message": str(exc)},
            status_code=400,
        )
    refusal = small_cell_refusal(request, user, len(routes))
    if refusal is not None:
        return refusal
    audit_list_view(request, user, drill)
    analyst = user.role == "ANALIST"
    rows = (
        pseudonymised_rows(scoped, routes, teams)
        if analyst
        else team_rows(request.app.state.engine, user, routes)
    )
    return templates.TemplateResponse(
        request,
        "drilldown.html",
        {
            "filters": filters,
            "errors": errors,
            "drill": drill,
            "total": len(routes),
            "rows": rows,
            "analyst": analyst,
            "with_durable": "durable" in routes.columns,
            "back": "/dashboard?" + filters.query(),
            "team_name": teams.get(filters.team_id) if filters.team_id is not None else None,
        },
    )
