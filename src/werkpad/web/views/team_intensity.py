"""The teamleider's view of contact intensity per klantmanager of the own team (issue 18).

Server-side: only a teamleider, only the own team's klantmanagers; anyone else gets 403. The
figures are never published (dashboard and council report show teams, never staff), and every
view is audited, because monitoring individual staff needs the works council's consent.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from werkpad.services.access import AccessDenied
from werkpad.services.audit import record_event
from werkpad.services.team_intensity import (
    check_own_klantmanager,
    klantmanagers_of_team,
    require_teamleider,
    team_contact_intensity,
)
from werkpad.store.models import User
from werkpad.web.auth import client_ip, get_session, require_role
from werkpad.web.errors import Forbidden, NotFound
from werkpad.web.params import db_id
from werkpad.web.templating import templates
from werkpad.web.views.dashboard import figures_view

router = APIRouter(prefix="/team")
YEARS_SHOWN = 3
PURPOSE = "Contactintensiteit per klantmanager ingezien (teamleider)"


@router.get("/contactintensiteit", response_class=HTMLResponse)
def team_intensity_page(
    request: Request,
    user: User = Depends(require_role("TEAMLEIDER")),
    db: Session = Depends(get_session),
) -> Response:
    """All klantmanagers of the own team, or one (``?klantmanager=ID``, own team only)."""
    try:
        team_id = require_teamleider(user)
        chosen = None
        raw = request.query_params.get("klantmanager")
        if raw is not None:
            klantmanager_id = db_id(raw)
            if klantmanager_id is None:
                raise NotFound
            chosen = check_own_klantmanager(db, user, klantmanager_id)
    except AccessDenied as exc:
        raise Forbidden from exc
    today = request.app.state.clock.today()
    years = list(range(today.year - YEARS_SHOWN + 1, today.year + 1))
    names = klantmanagers_of_team(db, user)
    figures = figures_view(request)
    snap = figures.snapshot(today)
    key = ("team_intensity", team_id, today, tuple(years), tuple(sorted(names.items())))
    rows = figures.derived(
        key,
        lambda: team_contact_intensity(snap, team_id=team_id, klantmanagers=names, years=years),
    )
    if chosen is not None:
        rows = [r for r in rows if r.klantmanager_id == chosen.id]
    else:
        rows = [r for r in rows if r.track == "Totaal"]
    record_event(
        db,
        user,
        "READ",
        "staff_figures",
        purpose=PURPOSE,
        object_id=chosen.id if chosen is not None else None,
        ip=client_ip(request),
    )
    db.commit()
    return templates.TemplateResponse(
        request,
        "team_intensity.html",
        {
            "rows": rows,
            "chosen": chosen,
            "years": years,
            "reference_date": today,
            "team_name": user.team.name if user.team else "",
        },
    )
