"""Matching for the accountmanager: the referred pool and a candidate's work profile.

Only the work profile is shown (no BSN, no benefit file); opening it is audit-logged.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.services.audit import record_read
from werkpad.services.documents import documents_for
from werkpad.services.referrals import pick_up, referred_pool, return_referral, work_profile
from werkpad.store.models import Referral, User
from werkpad.web.auth import client_ip, get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates

router = APIRouter(prefix="/matching")
MATCHING_ROLES = ("ACCOUNTMANAGER",)
PROFILE_PURPOSE = "Werkprofiel ingezien (matching)"


@router.get("", response_class=HTMLResponse)
def pool(
    request: Request,
    user: User = Depends(require_role(*MATCHING_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    rows = referred_pool(db, today=request.app.state.clock.today())
    return templates.TemplateResponse(request, "matching_pool.html", {"rows": rows})


def _profile_page(
    request: Request,
    db: Session,
    user: User,
    referral_id: DbId,
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    profile = work_profile(db, referral_id, today=request.app.state.clock.today())
    if profile is None:
        raise NotFound
    record_read(db, user, profile.candidate_id, purpose=PROFILE_PURPOSE, ip=client_ip(request))
    db.commit()
    return templates.TemplateResponse(
        request,
        "matching_profile.html",
        {
            "p": profile,
            "errors": errors,
            "documents": documents_for(db, user, profile.candidate_id),
        },
        status_code=status_code,
    )


@router.get("/{referral_id}", response_class=HTMLResponse)
def profile(
    request: Request,
    referral_id: DbId,
    user: User = Depends(require_role(*MATCHING_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _profile_page(request, db, user, referral_id, {})


@router.post("/{referral_id}/{action}", response_class=HTMLResponse)
def act(
    request: Request,
    form: PostedForm,
    referral_id: DbId,
    action: str,
    user: User = Depends(require_role(*MATCHING_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    referral = db.get(Referral, referral_id)
    if referral is None or action not in ("oppakken", "terugleggen"):
        raise NotFound
    today = request.app.state.clock.today()
    try:
        if action == "oppakken":
            pick_up(db, user, referral, today=today)
        else:
            return_referral(db, user, referral, {"note": form.get("note")}, today=today)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _profile_page(request, db, user, referral_id, errors, status_code=422)
    target = f"/matching/{referral_id}" if action == "oppakken" else "/matching"
    return RedirectResponse(target, status_code=303)
