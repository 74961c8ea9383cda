"""After a first factor: which step comes next, and the one place a login session starts.

Every sign-in method (password, OIDC, later a one-time code for the candidate portal) ends
its own first step by calling ``after_first_factor``: that decides whether the second factor,
its enrolment or a password change must come first (a ``login_challenge`` and a short-lived
cookie) or the session can start (``start_login_session``). So a method cannot skip the steps
the user's role requires, and every session starts the same way: a new token and CSRF token
(no session fixation), one ``LOGIN`` audit entry.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.services.accounts import password_change_required, record_login_attempt
from werkpad.services.audit import record_login_event
from werkpad.services.login_steps import (
    CHALLENGE_LIFETIME,
    CODE,
    ENROL,
    PASSWORD,
    start_challenge,
)
from werkpad.services.second_factor import has_second_factor, second_factor_required
from werkpad.services.sessions import start_session
from werkpad.store.models import User
from werkpad.web.auth import SESSION_COOKIE, START_PAGES, client_ip, session_policy
from werkpad.web.security import LOGIN_CSRF_COOKIE, delete_cookie_later, set_cookie_later

CHALLENGE_COOKIE = "werkpad_login_step"
# How the audit page names the actions of issue 15 (merged into admin.ACTION_LABELS).
SIGN_IN_ACTION_LABELS = {
    "LOGIN_STEP": "Wachtwoord juist, tweede stap gevraagd",
    "SECOND_FACTOR_ON": "Tweestapsverificatie aangezet",
    "SECOND_FACTOR_OFF": "Tweestapsverificatie uitgezet",
    "RECOVERY_CODE_USED": "Herstelcode gebruikt",
    "PASSWORD_CHANGED": "Wachtwoord gewijzigd",
    "PASSWORD_RESET": "Herstellink voor wachtwoord gemaakt",
    "ROLE_CHANGED": "Rol gewijzigd",
    "OIDC_ACCOUNT": "Account gemaakt via de organisatie-account",
}
STAGE_PATHS = {CODE: "/login/code", ENROL: "/login/instellen", PASSWORD: "/login/nieuw-wachtwoord"}


def next_stage(db: Session, user: User, *, after: str | None = None) -> str | None:
    """The step this user must still take before a session, after ``after`` (None: right
    after the first factor): the code, the enrolment, a password change, or None."""
    if after is None:
        if has_second_factor(db, user):
            return CODE
        if second_factor_required(user):
            return ENROL
    if after != PASSWORD and password_change_required(db, user):
        return PASSWORD
    return None


def after_first_factor(
    request: Request,
    db: Session,
    user: User,
    next_path: str | None,
    *,
    method: str = "password",
    both_factors: bool = False,
) -> Response:
    """Continue a login whose first factor (``method``) was right: the next step, or the
    session. ``both_factors``: the method itself proved two factors (an OIDC provider that
    asserts MFA), so no werkpad code is asked. Commits."""
    stage = next_stage(db, user, after=CODE if both_factors else None)
    if stage is None:
        return start_login_session(request, db, user, next_path)
    record_login_event(
        db, user.username, "LOGIN_STEP", user_id=user.id, ip=client_ip(request)
    )  # the first factor was right; not a LOGIN, so it does not reset the failure count
    return continue_with(request, db, user, stage, next_path)


def continue_with(
    request: Request, db: Session, user: User, stage: str, next_path: str | None
) -> Response:
    """Open a challenge at ``stage`` and send the browser there. Commits."""
    token = start_challenge(db, user, stage, next_path)
    db.commit()
    set_cookie_later(request, CHALLENGE_COOKIE, token, int(CHALLENGE_LIFETIME.total_seconds()))
    return RedirectResponse(STAGE_PATHS[stage], status_code=303)


def start_login_session(
    request: Request,
    db: Session,
    user: User,
    next_path: str | None,
    response: Response | None = None,
) -> Response:
    """Start the session (new token, new CSRF token), audit the login, commit, and answer with
    ``response`` or a redirect to ``next_path`` or the role's start page."""
    record_login_attempt(db, user.username, user, ok=True, ip=client_ip(request))
    token, _ = start_session(db, user, ip=client_ip(request))
    db.commit()
    lifetime = int(session_policy(request).lifetime.total_seconds())
    set_cookie_later(request, SESSION_COOKIE, token, lifetime)
    delete_cookie_later(request, LOGIN_CSRF_COOKIE)
    delete_cookie_later(request, CHALLENGE_COOKIE)
    if response is not None:
        return response
    return RedirectResponse(next_path or START_PAGES.get(user.role, "/"), status_code=303)
