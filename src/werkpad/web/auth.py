"""Who is logged in, and the one dependency that enforces roles on every route."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from werkpad.config import IpNetwork
from werkpad.services.access import AccessDenied, get_readable_candidate
from werkpad.services.roles import has_break_glass
from werkpad.services.sessions import SessionPolicy, resolve_session
from werkpad.store.models import Candidate, User, WebSession
from werkpad.web.errors import Forbidden, NotAuthenticated, NotFound
from werkpad.web.security import check_csrf, delete_cookie_later

ALL_ROLES = ("KLANTMANAGER", "ACCOUNTMANAGER", "TEAMLEIDER", "ANALIST", "BEHEERDER")
CASE_ROLES = ("KLANTMANAGER", "TEAMLEIDER")
DASHBOARD_ROLES = ("KLANTMANAGER", "TEAMLEIDER", "ACCOUNTMANAGER", "ANALIST")
ADMIN_ROLES = ("BEHEERDER",)
SESSION_COOKIE = "werkpad_session"

START_PAGES = {
    "KLANTMANAGER": "/caseload",
    "TEAMLEIDER": "/caseload",
    "ACCOUNTMANAGER": "/dashboard",
    "ANALIST": "/dashboard",
    "BEHEERDER": "/beheer/audit",
}


def get_session(request: Request) -> Iterator[Session]:
    """A database session for this request; handlers commit what they write."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        session.close()


def session_policy(request: Request) -> SessionPolicy:
    policy = getattr(request.app.state, "session_policy", None)
    return policy if isinstance(policy, SessionPolicy) else SessionPolicy()


def open_session(request: Request, db: Session) -> WebSession | None:
    """The server-side session behind this request's cookie (None: not logged in); one
    indexed lookup. A cookie whose session has ended is deleted from the browser."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    row = resolve_session(db, token, session_policy(request))
    if row is None:
        delete_cookie_later(request, SESSION_COOKIE)
        return None
    request.state.web_session = row
    request.state.user = row.user
    return row


def current_user(request: Request, db: Session = Depends(get_session)) -> User:
    row = open_session(request, db)
    if row is None:
        raise NotAuthenticated
    return row.user


def require_role(*roles: str) -> Callable[..., Coroutine[Any, Any, User]]:
    """A dependency that returns the logged-in user when their role is one of ``roles``.

    It also checks the CSRF token on unsafe methods, so no route can forget either check.
    """
    allowed = frozenset(roles)

    async def dependency(request: Request, user: User = Depends(current_user)) -> User:
        if user.role not in allowed:
            raise Forbidden
        await check_csrf(request)
        return user

    return dependency


def _trusted(address: str, proxies: tuple[IpNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_ip(request: Request) -> str | None:
    """The client's address for the audit log: the socket peer, unless that peer is one of
    the configured ``trusted_proxies``; then the nearest ``X-Forwarded-For`` entry that is not
    itself a trusted proxy (entries further left are the client's own claims)."""
    peer = request.client.host if request.client else None
    proxies: tuple[IpNetwork, ...] = getattr(request.app.state, "trusted_proxies", ())
    if peer is None or not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = [
        part.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for part in header.split(",")
        if part.strip()
    ]
    for address in reversed(forwarded):
        if not _trusted(address, proxies):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return peer  # garbage from the client: keep the proxy's own address
    return peer


def readable_candidate(db: Session, user: User, candidate_id: int) -> Candidate:
    """The candidate this user may read: 403 outside the user's scope (unless the user broke
    the glass for it), 404 when unknown. The one guard every page and API route of a person's
    file goes through."""
    try:
        candidate = get_readable_candidate(db, user, candidate_id)
    except AccessDenied as exc:
        # "Break the glass" (issue 15): a stated reason opened this one file for a while.
        if has_break_glass(db, user, candidate_id):
            return db.get_one(Candidate, candidate_id)
        raise Forbidden from exc
    if candidate is None:
        raise NotFound
    return candidate
