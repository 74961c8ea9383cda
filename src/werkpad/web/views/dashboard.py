"""The management dashboard: filters (reference date, period, team, segment, success
definition), KPI panels with their definitions, small-cell suppression per role."""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from werkpad.analytics.definitions import success_definitions
from werkpad.analytics.scope import latest_segments
from werkpad.analytics.snapshot import Snapshot
from werkpad.analytics.suppression import DEFAULT_THRESHOLD
from werkpad.domain.codelists import code_list
from werkpad.services.snapshot import load_snapshot
from werkpad.store.models import Team, User
from werkpad.web.auth import DASHBOARD_ROLES, require_role
from werkpad.web.dashboard_filters import (
    Filters,
    default_period,
    parse_filters,
    parse_reference_date,
)
from werkpad.web.dashboard_panels import Board, ViewOptions, build_board
from werkpad.web.templating import templates

router = APIRouter()
CACHE_SECONDS = 300
MAX_BOARDS = 64
# Tables for these roles are published figures: counts under the threshold are hidden.
SUPPRESSED_ROLES = ("ANALIST", "ACCOUNTMANAGER")
# Roles that may open the list behind a figure (analist pseudonymised, case roles own team).
DRILL_ROLES = ("ANALIST", "TEAMLEIDER", "KLANTMANAGER")
THRESHOLD_ENV = "WERKPAD_SUPPRESSION_THRESHOLD"


def suppression_threshold(request: Request) -> int:
    """``app.state.suppression_threshold`` if set, else ``$WERKPAD_SUPPRESSION_THRESHOLD``,
    else 10."""
    configured = getattr(request.app.state, "suppression_threshold", None)
    if isinstance(configured, int) and configured > 0:
        return configured
    text = os.environ.get(THRESHOLD_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_THRESHOLD


def view_options(request: Request, user: User) -> ViewOptions:
    return ViewOptions(
        suppress=user.role in SUPPRESSED_ROLES,
        threshold=suppression_threshold(request),
        drill=user.role in DRILL_ROLES,
    )


class DashboardCache:
    """Snapshots per reference date and boards per filter choice, each kept a few minutes: the
    snapshot reads all routes. Writes that change the figures replace the whole cache."""

    def __init__(self, seconds: int = CACHE_SECONDS) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._snapshots: dict[date, tuple[float, Snapshot]] = {}
        self._boards: OrderedDict[tuple[Filters, ViewOptions], tuple[float, Board]] = OrderedDict()

    def snapshot(self, engine: Engine, reference_date: date) -> Snapshot:
        now = time.monotonic()
        with self._lock:
            hit = self._snapshots.get(reference_date)
            if hit and now - hit[0] < self.seconds:
                return hit[1]
        snap = load_snapshot(engine, reference_date)
        with self._lock:
            self._snapshots[reference_date] = (now, snap)
        return snap

    def board(self, engine: Engine, filters: Filters, options: ViewOptions) -> Board:
        now = time.monotonic()
        key = (filters, options)
        with self._lock:
            hit = self._boards.get(key)
            if hit and now - hit[0] < self.seconds:
                return hit[1]
        board = build_board(self.snapshot(engine, filters.reference_date), filters, options)
        with self._lock:
            self._boards[key] = (now, board)
            while len(self._boards) > MAX_BOARDS:
                self._boards.popitem(last=False)
        return board

    def clear(self) -> None:
        """Forget everything: a write changed the figures (an exit, a placement)."""
        with self._lock:
            self._snapshots.clear()
            self._boards.clear()


def team_names(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {row.id: row.name for row in conn.execute(select(Team.id, Team.name))}


def first_route_year(snap: Snapshot) -> int | None:
    starts = snap.routes["start_date"]
    return None if starts.empty else int(starts.min().year)


def resolve_filters(request: Request) -> tuple[Filters, list[str], Snapshot, dict[int, str]]:
    """Filters from the query string, with messages for invalid values, the snapshot they
    apply to and the team names."""
    state = request.app.state
    params = dict(request.query_params)
    reference_date, error = parse_reference_date(params.get("peildatum", ""), state.clock.today())
    snap = state.dashboard_cache.snapshot(state.engine, reference_date)
    teams = team_names(state.engine)
    default = default_period(reference_date, first_route_year(snap))
    filters, errors = parse_filters(params, reference_date, default, team_ids=set(teams))
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
    filters, errors, snap, teams = resolve_filters(request)
    options = view_options(request, user)
    board = request.app.state.dashboard_cache.board(request.app.state.engine, filters, options)
    return templates.TemplateResponse(
        request,
        "dashboard.html",
        {
            "board": board,
            "filters": filters,
            "errors": errors,
            "teams": sorted(teams.items(), key=lambda item: item[1]),
            "team_name": teams.get(filters.team_id) if filters.team_id is not None else None,
            "segments": segment_options(snap, filters.segment),
            "segment_label": code_list("segment").label(filters.segment)
            if filters.segment
            else None,
            "successes": list(success_definitions().values()),
        },
    )
