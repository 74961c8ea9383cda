"""Secret key, CSRF tokens, cookies and security headers.

A logged-in request's CSRF token is the one stored with its server-side session
(``web_session.csrf_token``). Before login there is no session: the login form is protected by
a double-submit token in its own short-lived cookie (``werkpad_login_csrf``), which a page on
another site can neither read nor set.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import Request
from starlette.datastructures import FormData

SECRET_KEY_FILE = Path("werkpad-secret.key")
LOGIN_CSRF_COOKIE = "werkpad_login_csrf"
LOGIN_CSRF_MAX_AGE = 3600
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Plotly sets inline style attributes on the SVG it draws; scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    # Browsers only honour this over HTTPS; over plain HTTP (development) it is ignored.
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


class CsrfFailed(Exception):
    """An unsafe request without the session's CSRF token."""


def resolve_secret_key(explicit: str | None, key_file: Path = SECRET_KEY_FILE) -> str:
    """The signing key: the argument, else ``$WERKPAD_SECRET_KEY``, else a key generated once
    and kept in ``./werkpad-secret.key`` (readable by the owner only)."""
    if explicit:
        return explicit
    env = os.environ.get("WERKPAD_SECRET_KEY")
    if env:
        return env
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


Pending = dict[str, tuple[str, int] | None]


def _pending(request: Request) -> Pending:
    pending: Pending | None = getattr(request.state, "pending_cookies", None)
    if pending is None:
        pending = {}
        request.state.pending_cookies = pending
    return pending


def set_cookie_later(request: Request, name: str, value: str, max_age: int) -> None:
    """Ask the cookie middleware (``web.app``) to set ``name`` on this request's response."""
    _pending(request)[name] = (value, max_age)


def delete_cookie_later(request: Request, name: str) -> None:
    _pending(request)[name] = None


def pending_cookies(request: Request) -> Pending:
    return dict(getattr(request.state, "pending_cookies", None) or {})


def _session_token(request: Request) -> str | None:
    session = getattr(request.state, "web_session", None)
    return session.csrf_token if session is not None else None


def _login_token(request: Request) -> str | None:
    fresh = getattr(request.state, "login_csrf", None)
    if isinstance(fresh, str):
        return fresh
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    return cookie if cookie and len(cookie) >= 32 else None


def csrf_token(request: Request) -> str:
    """The token forms on this page carry: the session's, or before login the login form's
    (created on first use and set as a cookie on the response)."""
    token = _session_token(request) or _login_token(request)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.login_csrf = token
        set_cookie_later(request, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE)
    return token


def submitted_csrf_token_in(request: Request, form: FormData | None) -> str:
    """The token the client sent: the ``X-CSRF-Token`` header, else the form's field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if form is not None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = form.get(CSRF_FORM_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def submitted_csrf_token(request: Request) -> str:
    if request.headers.get(CSRF_HEADER):
        return submitted_csrf_token_in(request, None)
    return submitted_csrf_token_in(request, await request.form())


def verify_csrf(request: Request, submitted: str) -> None:
    """Raise CsrfFailed when an unsafe request's ``submitted`` token is not the one of its
    session (or, before login, of its login form). Plain code, for handlers in the thread
    pool that already hold the form (``web.posted``)."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = _session_token(request) or _login_token(request)
    if not expected or not submitted or not secrets.compare_digest(str(expected), submitted):
        raise CsrfFailed


async def check_csrf(request: Request) -> None:
    """Raise CsrfFailed when an unsafe request lacks the token of its session (or, before
    login, of its login form)."""
    if request.method not in UNSAFE_METHODS:
        return
    verify_csrf(request, await submitted_csrf_token(request))
