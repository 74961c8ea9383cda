"""The teamleider's team page: caseload per FTE and reassignment of candidates."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.services.caseload import team_klantmanagers
from werkpad.services.team import caseload_per_fte, reassign
from werkpad.store.models import User
from werkpad.web.auth import get_session, require_role
from werkpad.web.params import db_id
from werkpad.web.templating import templates

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
async def reassign_post(
    request: Request,
    user: User = Depends(require_role(*TEAM_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("candidate_ids", "klantmanager_id", "reason")}
    parts = [p.strip() for p in values["candidate_ids"].replace(";", ",").split(",") if p.strip()]
    try:
        if not all(db_id(p) is not None for p in parts):
            from werkpad.domain.errors import FieldError

            raise ValidationFailed([FieldError("candidate_ids", "Kandidaatnummers: getallen.")])
        ids = [int(p) for p in parts]
        reassign(db, user, ids, values, today=request.app.state.clock.today())
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        return _page(request, db, user, {e.field: e.message for e in exc.errors}, values, 422)
    return RedirectResponse("/team", status_code=303)
