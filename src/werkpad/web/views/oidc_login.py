"""Sign-in with the organisation's account (OpenID Connect, issue 15).

``/login/oidc`` sends the browser to the provider with a fresh state, nonce and PKCE challenge
(kept in a signed cookie that lives ten minutes); ``/login/oidc/terug`` checks the state,
trades the code, validates the ID token (``services.oidc``), finds or provisions the user and
hands over to ``sign_in.after_first_factor``. Every refusal is the login page with a Dutch
message, a ``LOGIN_FAILED`` audit entry, and no session; never a 500.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from werkpad.config import OidcSettings
from werkpad.services.accounts import address_locked, login_subject, record_login_attempt
from werkpad.services.oidc import (
    PROVIDER_REFUSED,
    STATE_WRONG,
    TOKEN_REFUSED,
    LoginStart,
    OidcClient,
    OidcRefused,
    asserts_mfa,
    claimed_username,
    sign_in_user,
)
from werkpad.web.auth import client_ip, get_session
from werkpad.web.security import delete_cookie_later, set_cookie_later
from werkpad.web.sign_in import after_first_factor
from werkpad.web.templating import templates
from werkpad.web.views.login import LOGIN_LOCKED, _safe_next

router = APIRouter()
OIDC_COOKIE = "werkpad_oidc"
OIDC_COOKIE_SECONDS = 600
CALLBACK_PATH = "/login/oidc/terug"
NOT_CONFIGURED = "Inloggen met de organisatie-account is hier niet ingesteld."


def oidc_client(request: Request) -> OidcClient | None:
    client = getattr(request.app.state, "oidc", None)
    return client if isinstance(client, OidcClient) else None


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="werkpad-oidc-login")


def _redirect_uri(request: Request, settings: OidcSettings) -> str:
    return settings.redirect_uri or str(request.base_url).rstrip("/") + CALLBACK_PATH


def _refuse(request: Request, message: str, status: int = 401) -> Response:
    delete_cookie_later(request, OIDC_COOKIE)
    return templates.TemplateResponse(
        request,
        "login.html",
        {"error": message, "username": "", "next": ""},
        status_code=status,
    )


@router.get("/login/oidc")
def oidc_start(request: Request, next: str | None = None) -> Response:
    client = oidc_client(request)
    if client is None:
        return _refuse(request, NOT_CONFIGURED, status=200)  # like /login/code without a step
    try:
        url, start = client.begin(_redirect_uri(request, client.settings), _safe_next(next))
    except OidcRefused as exc:
        return _refuse(request, exc.message, status=502)
    kept = [start.state, start.nonce, start.verifier, start.next_path or ""]
    set_cookie_later(request, OIDC_COOKIE, _serializer(request).dumps(kept), OIDC_COOKIE_SECONDS)
    return RedirectResponse(url, status_code=303)


def _kept_start(request: Request, state: str) -> LoginStart | None:
    """The start this browser made, when the returned ``state`` is its own and recent."""
    raw = request.cookies.get(OIDC_COOKIE)
    if not raw or not state:
        return None
    try:
        kept = _serializer(request).loads(raw, max_age=OIDC_COOKIE_SECONDS)
    except BadData:
        return None
    if not (isinstance(kept, list) and len(kept) == 4 and all(isinstance(v, str) for v in kept)):
        return None
    if not secrets.compare_digest(kept[0], state):
        return None
    return LoginStart(state=kept[0], nonce=kept[1], verifier=kept[2], next_path=kept[3] or None)


@router.get(CALLBACK_PATH, response_class=HTMLResponse)
def oidc_callback(
    request: Request,
    code: str = "",
    state: str = "",
    error: str = "",
    db: Session = Depends(get_session),
) -> Response:
    client = oidc_client(request)
    if client is None:
        return _refuse(request, NOT_CONFIGURED, status=200)  # like /login/code without a step
    ip = client_ip(request)

    def failed(message: str, name: str = "oidc", status: int = 401) -> Response:
        record_login_attempt(
            db, login_subject(db, name, request.app.state.secret_key), None, ok=False, ip=ip
        )
        db.commit()
        return _refuse(request, message, status)

    if address_locked(db, ip):
        return failed(LOGIN_LOCKED, status=429)
    start = _kept_start(request, state)
    if start is None:
        return failed(STATE_WRONG)
    if error or not code:
        return failed(PROVIDER_REFUSED)
    try:
        claims = client.finish(code, _redirect_uri(request, client.settings), start)
    except OidcRefused as exc:
        return failed(exc.message, claimed_username(exc.claims) if exc.claims else "oidc")
    try:
        user = sign_in_user(db, client.settings, claims, ip=ip)
        db.flush()
    except OidcRefused as exc:
        db.rollback()  # nothing of a refused sign-in is kept but its audit entry
        return failed(exc.message, claimed_username(claims))
    except IntegrityError:
        # Two first sign-ins of one subject at once: the other made the account.
        db.rollback()
        return failed(TOKEN_REFUSED, claimed_username(claims))
    delete_cookie_later(request, OIDC_COOKIE)
    # The provider's MFA (``amr`` holds ``mfa``) counts as both factors; otherwise the role's
    # werkpad second factor still comes (docs/security.md).
    return after_first_factor(
        request, db, user, start.next_path, method="oidc", both_factors=asserts_mfa(claims)
    )
