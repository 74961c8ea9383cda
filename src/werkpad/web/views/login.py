"""Login, logout and the role's start page."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.services.accounts import (
    LOCKOUT,
    address_locked,
    authenticate,
    login_locked,
    login_subject,
    record_login_attempt,
)
from werkpad.services.sessions import LOGOUT, end_session
from werkpad.store.models import User
from werkpad.web.auth import (
    ALL_ROLES,
    SESSION_COOKIE,
    START_PAGES,
    client_ip,
    get_session,
    open_session,
    require_role,
)
from werkpad.web.posted import PostedForm
from werkpad.web.security import (
    check_csrf,
    delete_cookie_later,
    submitted_csrf_token_in,
    verify_csrf,
)
from werkpad.web.sign_in import after_first_factor
from werkpad.web.templating import templates

router = APIRouter()
LOGIN_FAILED = "Inloggen mislukt. Controleer je gebruikersnaam en wachtwoord."
LOGIN_LOCKED = (
    "Te veel mislukte pogingen voor deze gebruikersnaam. "
    f"Probeer het over {LOCKOUT.seconds // 60} minuten opnieuw of neem contact op met de beheerder."
)


def _safe_next(target: str | None) -> str | None:
    """Only local paths, so the login form cannot be used to redirect elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return templates.TemplateResponse(
        request, "login.html", {"error": None, "username": "", "next": _safe_next(next) or ""}
    )


# The CSRF check reads the body on the event loop; the handler (argon2, database) runs in the
# thread pool, so a login never stalls the other requests of its worker.
@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form(""),
    db: Session = Depends(get_session),
) -> Response:
    form = {"username": username, "next": _safe_next(next) or ""}
    subject = login_subject(db, username, request.app.state.secret_key)
    if login_locked(db, subject) or address_locked(db, client_ip(request)):
        record_login_attempt(db, subject, None, ok=False, ip=client_ip(request))
        db.commit()
        return templates.TemplateResponse(
            request, "login.html", {"error": LOGIN_LOCKED, **form}, status_code=429
        )
    user = authenticate(db, username, password)
    if user is None:
        record_login_attempt(db, subject, None, ok=False, ip=client_ip(request))
        db.commit()  # the failed attempt
        return templates.TemplateResponse(
            request, "login.html", {"error": LOGIN_FAILED, **form}, status_code=401
        )
    # The second factor, its enrolment or a password change may come first; then a new
    # server-side session with its own token and CSRF token: no session fixation.
    return after_first_factor(request, db, user, _safe_next(next))


@router.post("/logout")
def logout(request: Request, form: PostedForm, db: Session = Depends(get_session)) -> Response:
    """End the session in the table, so no copy of the cookie works any more."""
    row = open_session(request, db)
    if row is None:
        return RedirectResponse("/login", status_code=303)
    verify_csrf(request, submitted_csrf_token_in(request, form))
    end_session(db, row, LOGOUT)
    db.commit()
    delete_cookie_later(request, SESSION_COOKIE)
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def start_page(user: User = Depends(require_role(*ALL_ROLES))) -> Response:
    return RedirectResponse(START_PAGES.get(user.role, "/login"), status_code=303)
