"""The worklist (werklijst) to work off: today's appointments first, then the open signals by
urgency, each to mark handled or to snooze; the teamleider sees the team with counts per
klantmanager."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.domain.worklist import PRIORITY_LABELS
from werkpad.services.appointments import appointments_today
from werkpad.services.audit import record_event
from werkpad.services.configuration import load_configuration
from werkpad.services.worklist import build_worklist, decide_signal, team_counts
from werkpad.store.models import User
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, readable_candidate, require_role
from werkpad.web.params import DbId
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates

router = APIRouter()
LIST_PURPOSE = "Werklijst bekeken (web)"


def _page(
    request: Request,
    db: Session,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    target: tuple[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    today: date = request.app.state.clock.today()
    thresholds = load_configuration(db).thresholds
    items = build_worklist(db, user, today=today, thresholds=thresholds, limit=200)
    record_event(db, user, "LIST", "list", purpose=LIST_PURPOSE, ip=client_ip(request))
    context = {
        "items": items,
        "today": today,
        "snooze_default": (today + timedelta(days=14)).isoformat(),
        "today_appointments": appointments_today(db, user, today),
        "counts": team_counts(db, items, today) if user.role == "TEAMLEIDER" else [],
        "priorities": PRIORITY_LABELS,
        "errors": errors or {},
        "values": values or {},
        "target": target,
    }
    db.commit()
    return templates.TemplateResponse(request, "worklist.html", context, status_code=status_code)


@router.get("/werklijst", response_class=HTMLResponse)
def worklist(
    request: Request,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _page(request, db, user)


@router.post("/werklijst/{candidate_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    form: PostedForm,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """Mark a signal of the candidate handled or snoozed; a Dutch message at the field (422)
    and nothing written on bad input."""
    readable_candidate(db, user, candidate_id)
    data = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        decide_signal(
            db,
            user,
            candidate_id,
            data,
            today=request.app.state.clock.today(),
            thresholds=load_configuration(db).thresholds,
        )
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        target = (candidate_id, data.get("code", ""))
        return _page(request, db, user, errors=errors, values=data, target=target, status_code=422)
    return RedirectResponse("/werklijst", status_code=303)
