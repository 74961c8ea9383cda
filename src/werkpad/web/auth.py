"""Who is logged in, and the one dependency that enforces roles on every route."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session, joinedload

from werkpad.store.models import User
from werkpad.web.errors import Forbidden, NotAuthenticated
from werkpad.web.security import check_csrf

ALL_ROLES = ("KLANTMANAGER", "ACCOUNTMANAGER", "TEAMLEIDER", "ANALIST", "BEHEERDER")
CASE_ROLES = ("KLANTMANAGER", "TEAMLEIDER")
DASHBOARD_ROLES = ("KLANTMANAGER", "TEAMLEIDER", "ACCOUNTMANAGER", "ANALIST")
ADMIN_ROLES = ("BEHEERDER",)
SESSION_USER_KEY = "uid"

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


def current_user(request: Request, db: Session = Depends(get_session)) -> User:
    uid = request.session.get(SESSION_USER_KEY)
    if not isinstance(uid, int):
        raise NotAuthenticated
    user = db.get(User, uid, options=[joinedload(User.team)])
    if user is None or not user.active:
        request.session.clear()
        raise NotAuthenticated
    request.state.user = user
    return user


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


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
