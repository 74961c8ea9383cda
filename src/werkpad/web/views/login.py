"""Login, logout and the role's start page."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.services.accounts import (
    LOCKOUT,
    authenticate,
    login_locked,
    record_login_attempt,
)
from werkpad.store.models import User
from werkpad.web.auth import (
    ALL_ROLES,
    SESSION_USER_KEY,
    START_PAGES,
    client_ip,
    get_session,
    require_role,
)
from werkpad.web.security import CSRF_SESSION_KEY, check_csrf
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


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form(""),
    db: Session = Depends(get_session),
) -> Response:
    await check_csrf(request)
    form = {"username": username, "next": _safe_next(next) or ""}
    if login_locked(db, username):
        record_login_attempt(db, username, None, ok=False, ip=client_ip(request))
        db.commit()
        return templates.TemplateResponse(
            request, "login.html", {"error": LOGIN_LOCKED, **form}, status_code=429
        )
    user = authenticate(db, username, password)
    record_login_attempt(db, username, user, ok=user is not None, ip=client_ip(request))
    db.commit()  # the attempt, and a password hash that authenticate may have upgraded
    if user is None:
        return templates.TemplateResponse(
            request, "login.html", {"error": LOGIN_FAILED, **form}, status_code=401
        )
    # A fresh session (and token) after login: no session fixation.
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    target = _safe_next(next) or START_PAGES.get(user.role, "/")
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    if SESSION_USER_KEY not in request.session:
        return RedirectResponse("/login", status_code=303)
    await check_csrf(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def start_page(user: User = Depends(require_role(*ALL_ROLES))) -> Response:
    return RedirectResponse(START_PAGES.get(user.role, "/login"), status_code=303)
