"""Mijn account: every user's own password and second factor.

A user changes the password (the current one first, the policy of ``domain.passwords``; the
user's other sessions end), sets up the second factor when the role does not already require
it, makes new recovery codes, and switches an optional second factor off again (with a code).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.services.accounts import change_password
from werkpad.services.second_factor import (
    begin_enrolment,
    confirm_enrolment,
    has_second_factor,
    new_recovery_codes,
    provisioning_uri,
    qr_svg,
    remove_second_factor,
    second_factor_required,
    unused_recovery_codes,
    verify_second_factor,
)
from werkpad.store.models import User, WebSession
from werkpad.web.auth import ALL_ROLES, get_session, require_role
from werkpad.web.templating import templates

router = APIRouter(prefix="/account")
CODE_WRONG = "Deze code klopt niet. Typ de code die de app nu toont."


def _page(
    request: Request,
    db: Session,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    section: str = "",
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "account.html",
        {
            "has_factor": has_second_factor(db, user),
            "required": second_factor_required(user),
            "codes_left": unused_recovery_codes(db, user),
            "errors": errors or {},
            "values": {},
            "section": section,
            "message": message,
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def account_page(
    request: Request,
    user: User = Depends(require_role(*ALL_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _page(request, db, user)


@router.post("/wachtwoord", response_class=HTMLResponse)
def account_password(
    request: Request,
    current: str = Form(""),
    password: str = Form(""),
    password_again: str = Form(""),
    user: User = Depends(require_role(*ALL_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    session_row: WebSession = request.state.web_session
    try:
        change_password(
            db, user, password, password_again, current=current, keep_session_id=session_row.id
        )
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _page(request, db, user, errors=errors, section="pw", status_code=422)
    db.commit()
    return _page(request, db, user, message="Je wachtwoord is gewijzigd.")


def _enrol_page(
    request: Request, db: Session, user: User, error: str | None, status_code: int = 200
) -> Response:
    secret = begin_enrolment(db, user)
    db.commit()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return templates.TemplateResponse(
        request,
        "login_enrol.html",
        {
            "error": error,
            "qr_svg": qr_svg(provisioning_uri(user, secret)),
            "secret": grouped,
            "username": user.username,
            "optional": not second_factor_required(user),
            "enrol_action": "/account/tweestapsverificatie",
        },
        status_code=status_code,
    )


@router.get("/tweestapsverificatie", response_class=HTMLResponse)
def enrol_form(
    request: Request,
    user: User = Depends(require_role(*ALL_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    if has_second_factor(db, user):
        return _page(request, db, user, message="Tweestapsverificatie staat al aan.")
    return _enrol_page(request, db, user, None)


@router.post("/tweestapsverificatie", response_class=HTMLResponse)
def enrol_submit(
    request: Request,
    code: str = Form(""),
    user: User = Depends(require_role(*ALL_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    if has_second_factor(db, user):
        return _page(request, db, user, message="Tweestapsverificatie staat al aan.")
    codes = confirm_enrolment(db, user, code[:40])
    if codes is None:
        return _enrol_page(request, db, user, CODE_WRONG, status_code=422)
    db.commit()
    return templates.TemplateResponse(
        request, "recovery_codes.html", {"codes": codes, "continue_to": "/account"}
    )


@router.post("/herstelcodes", response_class=HTMLResponse)
def recovery_codes(
    request: Request,
    code: str = Form(""),
    user: User = Depends(require_role(*ALL_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """New recovery codes, after a code from the app (a stolen session alone cannot)."""
    if not has_second_factor(db, user) or not verify_second_factor(db, user, code[:40]):
        db.rollback()
        errors = {"code": CODE_WRONG}
        return _page(request, db, user, errors=errors, section="codes", status_code=422)
    codes = new_recovery_codes(db, user)
    db.commit()
    return templates.TemplateResponse(
        request, "recovery_codes.html", {"codes": codes, "continue_to": "/account"}
    )


@router.post("/tweestapsverificatie/uit", response_class=HTMLResponse)
def enrol_off(
    request: Request,
    code: str = Form(""),
    user: User = Depends(require_role(*ALL_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    if second_factor_required(user):
        errors = {"off": "Voor jouw rol is tweestapsverificatie verplicht."}
        return _page(request, db, user, errors=errors, section="off", status_code=422)
    if not has_second_factor(db, user) or not verify_second_factor(db, user, code[:40]):
        db.rollback()
        errors = {"off": CODE_WRONG}
        return _page(request, db, user, errors=errors, section="off", status_code=422)
    remove_second_factor(db, user, user)
    db.commit()
    return _page(request, db, user, message="Tweestapsverificatie staat uit.")
