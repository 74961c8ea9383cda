"""The login's later steps: the code from the authenticator app, setting one up, a new password.

Each page needs the short-lived challenge cookie the password step set (``web.sign_in``);
without an open challenge it sends the browser back to /login. Wrong codes are refused with
401, are ``LOGIN_FAILED`` audit entries for the username (so the throttles count them), and
after five the challenge ends: start again with the password.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.services.accounts import (
    address_locked,
    change_password,
    login_locked,
    record_login_attempt,
)
from werkpad.services.login_steps import (
    CODE,
    ENROL,
    PASSWORD,
    count_failure,
    end_challenge,
    move_to,
    resolve_challenge,
)
from werkpad.services.second_factor import (
    begin_enrolment,
    confirm_enrolment,
    provisioning_uri,
    qr_svg,
    verify_second_factor,
)
from werkpad.store.models import LoginChallenge
from werkpad.web.auth import client_ip, get_session
from werkpad.web.security import check_csrf, delete_cookie_later
from werkpad.web.sign_in import CHALLENGE_COOKIE, STAGE_PATHS, next_stage, start_login_session
from werkpad.web.templating import templates
from werkpad.web.views.login import LOGIN_LOCKED

router = APIRouter()
CODE_WRONG = "Deze code klopt niet. Gebruik de code die de app nu toont, of een herstelcode."
CODE_USED_UP = "Te veel onjuiste codes. Log opnieuw in met je wachtwoord."
STEP_EXPIRED = "Deze inlogstap is verlopen of niet begonnen. Log opnieuw in met je wachtwoord."
ENROL_WRONG = "Deze code klopt niet. Scan de QR-code opnieuw en typ de code die de app toont."


def _challenge(request: Request, db: Session, stage: str) -> LoginChallenge | None:
    row = resolve_challenge(db, request.cookies.get(CHALLENGE_COOKIE))
    return row if row is not None and row.stage == stage else None


def _back_to_login(request: Request) -> Response:
    """No open login step (never started, expired, used up): the login form, with a word why."""
    delete_cookie_later(request, CHALLENGE_COOKIE)
    return templates.TemplateResponse(
        request,
        "login.html",
        {"error": STEP_EXPIRED, "username": "", "next": ""},
        status_code=200 if request.method == "GET" else 401,
    )


def _proceed(request: Request, db: Session, row: LoginChallenge, done: str) -> Response:
    """The step ``done`` succeeded: the next step of this challenge, or the session."""
    stage = next_stage(db, row.user, after=done)
    if stage is None:
        end_challenge(row)
        return start_login_session(request, db, row.user, row.next_path)
    move_to(row, stage)
    db.commit()
    return RedirectResponse(STAGE_PATHS[stage], status_code=303)


def _refuse_code(
    request: Request, db: Session, row: LoginChallenge, template: str, message: str, extra: dict
) -> Response:
    record_login_attempt(db, row.user.username, None, ok=False, ip=client_ip(request))
    if count_failure(row):
        db.commit()
        delete_cookie_later(request, CHALLENGE_COOKIE)
        return templates.TemplateResponse(
            request,
            "login.html",
            {"error": CODE_USED_UP, "username": row.user.username, "next": ""},
            status_code=401,
        )
    db.commit()
    return templates.TemplateResponse(
        request, template, {"error": message, **extra}, status_code=401
    )


def _throttled(request: Request, db: Session, row: LoginChallenge) -> Response | None:
    if login_locked(db, row.user.username) or address_locked(db, client_ip(request)):
        record_login_attempt(db, row.user.username, None, ok=False, ip=client_ip(request))
        end_challenge(row)
        db.commit()
        delete_cookie_later(request, CHALLENGE_COOKIE)
        return templates.TemplateResponse(
            request,
            "login.html",
            {"error": LOGIN_LOCKED, "username": row.user.username, "next": ""},
            status_code=429,
        )
    return None


@router.get("/login/code", response_class=HTMLResponse)
def code_form(request: Request, db: Session = Depends(get_session)) -> Response:
    if _challenge(request, db, CODE) is None:
        return _back_to_login(request)
    return templates.TemplateResponse(request, "login_code.html", {"error": None})


@router.post("/login/code", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def code_submit(
    request: Request, code: str = Form(""), db: Session = Depends(get_session)
) -> Response:
    row = _challenge(request, db, CODE)
    if row is None:
        return _back_to_login(request)
    refused = _throttled(request, db, row)
    if refused is not None:
        return refused
    if not verify_second_factor(db, row.user, code[:40]):
        return _refuse_code(request, db, row, "login_code.html", CODE_WRONG, {})
    return _proceed(request, db, row, CODE)


def _enrol_context(db: Session, row: LoginChallenge) -> dict[str, object]:
    secret = begin_enrolment(db, row.user)
    uri = provisioning_uri(row.user, secret)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"qr_svg": qr_svg(uri), "secret": grouped, "username": row.user.username}


@router.get("/login/instellen", response_class=HTMLResponse)
def enrol_form(request: Request, db: Session = Depends(get_session)) -> Response:
    row = _challenge(request, db, ENROL)
    if row is None:
        return _back_to_login(request)
    context = _enrol_context(db, row)
    db.commit()  # the pending secret, so a reload shows the same QR code
    return templates.TemplateResponse(request, "login_enrol.html", {"error": None, **context})


@router.post("/login/instellen", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def enrol_submit(
    request: Request, code: str = Form(""), db: Session = Depends(get_session)
) -> Response:
    row = _challenge(request, db, ENROL)
    if row is None:
        return _back_to_login(request)
    refused = _throttled(request, db, row)
    if refused is not None:
        return refused
    codes = confirm_enrolment(db, row.user, code[:40])
    if codes is None:
        return _refuse_code(
            request, db, row, "login_enrol.html", ENROL_WRONG, _enrol_context(db, row)
        )
    stage = next_stage(db, row.user, after=ENROL)
    if stage is not None:
        move_to(row, stage)
        db.commit()
        target = STAGE_PATHS[stage]
        page = templates.TemplateResponse(
            request, "recovery_codes.html", {"codes": codes, "continue_to": target}
        )
        return page
    end_challenge(row)
    page = templates.TemplateResponse(
        request, "recovery_codes.html", {"codes": codes, "continue_to": row.next_path or "/"}
    )
    return start_login_session(request, db, row.user, row.next_path, response=page)


@router.get("/login/nieuw-wachtwoord", response_class=HTMLResponse)
def password_form(request: Request, db: Session = Depends(get_session)) -> Response:
    if _challenge(request, db, PASSWORD) is None:
        return _back_to_login(request)
    return templates.TemplateResponse(
        request, "login_new_password.html", {"errors": {}, "values": {}, "section": "pw"}
    )


@router.post(
    "/login/nieuw-wachtwoord", response_class=HTMLResponse, dependencies=[Depends(check_csrf)]
)
def password_submit(
    request: Request,
    password: str = Form(""),
    password_again: str = Form(""),
    db: Session = Depends(get_session),
) -> Response:
    row = _challenge(request, db, PASSWORD)
    if row is None:
        return _back_to_login(request)
    try:
        change_password(db, row.user, password, password_again)
    except ValidationFailed as exc:
        db.rollback()
        return templates.TemplateResponse(
            request,
            "login_new_password.html",
            {"errors": {e.field: e.message for e in exc.errors}, "values": {}, "section": "pw"},
            status_code=422,
        )
    return _proceed(request, db, row, PASSWORD)
