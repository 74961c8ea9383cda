"""The management dashboard: filters (reference date, period, team, segment, success
definition), KPI panels with their definitions, small-cell suppression per role. Snapshots and
boards come from the figures service (``services.figures``), which knows when they are stale."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from werkpad.analytics.definitions import success_definitions
from werkpad.analytics.scope import latest_segments
from werkpad.analytics.snapshot import Snapshot
from werkpad.domain.codelists import code_list
from werkpad.services.configuration import small_cell_threshold
from werkpad.services.figures import Figures, FiguresView
from werkpad.services.indicator_settings import kpi_settings
from werkpad.services.targets import targets_for
from werkpad.store.models import Team, User
from werkpad.web.auth import DASHBOARD_ROLES, require_role
from werkpad.web.dashboard_filters import (
    Filters,
    default_period,
    parse_filters,
    parse_reference_date,
)
from werkpad.web.dashboard_panels import ViewOptions, build_board, headlines
from werkpad.web.municipality_scope import choose_municipality
from werkpad.web.templating import templates

router = APIRouter()
# Tables for these roles are published figures: counts under the threshold are hidden.
SUPPRESSED_ROLES = ("ANALIST", "ACCOUNTMANAGER")
# Roles that may open the list behind a figure (analist pseudonymised, case roles own team).
DRILL_ROLES = ("ANALIST", "TEAMLEIDER", "KLANTMANAGER")


def suppression_threshold(request: Request) -> int:
    """The municipality's small-cell threshold (a setting on the beheerder's page);
    ``app.state.suppression_threshold``, when a test sets it, wins."""
    configured = getattr(request.app.state, "suppression_threshold", None)
    if isinstance(configured, int) and configured > 0:
        return configured
    return small_cell_threshold(request.app.state.engine)


def view_options(request: Request, user: User) -> ViewOptions:
    return ViewOptions(
        suppress=user.role in SUPPRESSED_ROLES,
        threshold=suppression_threshold(request),
        drill=user.role in DRILL_ROLES,
        indicators=kpi_settings(request.app.state.engine),
    )


def figures_view(request: Request) -> FiguresView:
    """This request's figures (one version for all it reads)."""
    figures: Figures = request.app.state.figures
    return figures.current()


def team_names(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {row.id: row.name for row in conn.execute(select(Team.id, Team.name))}


def first_route_year(snap: Snapshot) -> int | None:
    starts = snap.routes["start_date"]
    return None if starts.empty else int(starts.min().year)


def resolve_filters(
    request: Request, figures: FiguresView | None = None
) -> tuple[Filters, list[str], Snapshot, dict[int, str]]:
    """Filters from the query string, with messages for invalid values, the snapshot they
    apply to (from ``figures``, default: this request's) and the team names. The snapshot is
    that of the chosen municipality, or of the user's municipality scope
    (``web.municipality_scope``)."""
    state = request.app.state
    figures = figures or figures_view(request)
    params = dict(request.query_params)
    reference_date, error = parse_reference_date(params.get("peildatum", ""), state.clock.today())
    snap = figures.snapshot(reference_date)
    teams = team_names(state.engine)
    default = default_period(reference_date, first_route_year(snap))
    filters, errors = parse_filters(params, reference_date, default, team_ids=set(teams))
    place = choose_municipality(request, request.state.user, state.engine)
    request.state.municipality_choice = place
    if place.error:
        errors.append(place.error)
    filters = replace(filters, municipality_id=place.municipality_id)
    snap = figures.municipal_snapshot(reference_date, place.municipality_id)
    return filters, ([error] if error else []) + errors, snap, teams


def segment_options(snap: Snapshot, chosen: str | None) -> list[tuple[str, str]]:
    segments = code_list("segment")
    present = set(latest_segments(snap.assessments).dropna()) | ({chosen} if chosen else set())
    return [(c.code, c.label_nl) for c in segments if c.code in present]


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request,
    user: User = Depends(require_role(*DASHBOARD_ROLES)),
) -> Response:
    figures = figures_view(request)
    filters, errors, snap, teams = resolve_filters(request, figures)
    options = view_options(request, user)
    options = replace(
        options, targets=targets_for(request.app.state.engine, filters.municipality_id)
    )
    key = ("board", filters, options, tuple(sorted(teams.items())))
    board = figures.derived(
        key, lambda: build_board(snap, filters, options, teams, cache=figures.derived)
    )
    return templates.TemplateResponse(
        request,
        "dashboard.html",
        {
            "board": board,
            "headlines": headlines(board.panels),
            "figures_as_of": figures.as_of,
            "filters": filters,
            "errors": errors,
            "teams": sorted(teams.items(), key=lambda item: item[1]),
            "team_name": teams.get(filters.team_id) if filters.team_id is not None else None,
            "segments": figures.derived(
                ("segments", snap.reference_date, filters.municipality_id, filters.segment),
                lambda: segment_options(snap, filters.segment),
            ),
            "segment_label": code_list("segment").label(filters.segment)
            if filters.segment
            else None,
            "successes": list(success_definitions().values()),
            "municipality_choice": request.state.municipality_choice,
        },
    )
