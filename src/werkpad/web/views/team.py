"""The teamleider's team page: caseload per FTE and reassignment of candidates."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from werkpad.services.caseload import team_klantmanagers
from werkpad.services.team import candidates_of, caseload_per_fte
from werkpad.store.models import User
from werkpad.web.auth import get_session, require_role
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates
from werkpad.web.views.caseload import confirm_page, pop_flash

router = APIRouter(prefix="/team")
TEAM_ROLES = ("TEAMLEIDER",)


def _page(
    request: Request,
    db: Session,
    user: User,
    errors: dict[str, str],
    values: dict[str, str],
    status_code: int = 200,
) -> Response:
    loads = caseload_per_fte(db, user, today=request.app.state.clock.today())
    return templates.TemplateResponse(
        request,
        "team.html",
        {
            "loads": loads,
            "total": sum(r.candidates for r in loads),
            "fte": sum(float(r.fte) for r in loads),
            "klantmanagers": team_klantmanagers(db, user),
            "errors": errors,
            "values": values,
            "flash": pop_flash(request, db),
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def team_page(
    request: Request,
    user: User = Depends(require_role(*TEAM_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _page(request, db, user, {}, {})


@router.post("/overdragen", response_class=HTMLResponse)
def reassign_post(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*TEAM_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """All candidates of one klantmanager (or those without one) to another: the choice is
    by name, and the confirmation lists who moves (``caseload.confirm_page``)."""
    values = {k: str(form.get(k) or "") for k in ("from_klantmanager", "klantmanager_id", "reason")}
    source = values["from_klantmanager"]
    known = {km.id for km in team_klantmanagers(db, user)}
    if source != "geen" and not (source.isdigit() and int(source) in known):
        return _page(
            request,
            db,
            user,
            {"from_klantmanager": "Kies van wie de kandidaten komen."},
            values,
            422,
        )
    ids = candidates_of(db, user, None if source == "geen" else int(source))
    return confirm_page(request, db, user, ids, values, "/team")
