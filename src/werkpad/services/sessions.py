"""Server-side login sessions: start, resolve on every request, end.

The browser's cookie holds only a random token; the ``web_session`` table keeps its SHA-256
hash, so logout, deactivation, a changed role or team, the idle timeout, the absolute lifetime
and the beheerder's "end sessions" each take effect on the next request, whatever copies of
the cookie exist. A request costs one indexed lookup (session joined to its user and team);
``last_seen_at`` is written at most once per ``TOUCH_INTERVAL``, so the idle clock is exact to
about a minute without a write per request. Times are wall-clock UTC.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, contains_eager

from werkpad.services.audit import utc_now
from werkpad.store.models import User, WebSession

DEFAULT_IDLE = timedelta(minutes=30)
DEFAULT_LIFETIME = timedelta(hours=8)
TOUCH_INTERVAL = timedelta(minutes=1)

# Why a session ended (``web_session.end_reason``).
LOGOUT = "LOGOUT"
IDLE = "IDLE"
EXPIRED = "EXPIRED"
ROLE_CHANGED = "ROLE_CHANGED"
DEACTIVATED = "DEACTIVATED"
ENDED_BY_ADMIN = "ENDED_BY_ADMIN"


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lives: ``idle`` without a request, ``lifetime`` at most."""

    idle: timedelta = DEFAULT_IDLE
    lifetime: timedelta = DEFAULT_LIFETIME

    def with_idle_minutes(self, minutes: int) -> SessionPolicy:
        return replace(self, idle=timedelta(minutes=minutes))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    db: Session, user: User, *, ip: str | None, now: datetime | None = None
) -> tuple[str, WebSession]:
    """A new session for ``user``: the token for the cookie, and the row (caller commits)."""
    now = now or utc_now()
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=token_hash(token),
        user_id=user.id,
        role=user.role,
        team_id=user.team_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        ip=(ip or None) and ip[:45],
    )
    db.add(row)
    db.flush()
    return token, row


def _end_reason(row: WebSession, user: User, policy: SessionPolicy, now: datetime) -> str | None:
    if not user.active:
        return DEACTIVATED
    if user.role != row.role or user.team_id != row.team_id:
        return ROLE_CHANGED
    if now - row.created_at > policy.lifetime:
        return EXPIRED
    if now - row.last_seen_at > policy.idle:
        return IDLE
    return None


def resolve_session(
    db: Session, token: str, policy: SessionPolicy, *, now: datetime | None = None
) -> WebSession | None:
    """The open session for this cookie token with its user (and team) loaded, or None.

    A session found past its idle timeout or lifetime, or whose user was deactivated or given
    another role or team, is ended here (and committed) and None is returned.
    """
    if not token:
        return None
    now = now or utc_now()
    row = db.scalar(
        select(WebSession)
        .join(WebSession.user)
        .options(contains_eager(WebSession.user).joinedload(User.team))
        .where(WebSession.token_hash == token_hash(token), WebSession.ended_at.is_(None))
    )
    if row is None:
        return None
    reason = _end_reason(row, row.user, policy, now)
    if reason is not None:
        row.ended_at, row.end_reason = now, reason
        db.commit()
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        db.commit()
    return row


def end_session(db: Session, row: WebSession, reason: str = LOGOUT) -> None:
    """End one session (the caller commits)."""
    if row.ended_at is None:
        row.ended_at, row.end_reason = utc_now(), reason
        db.flush()


def end_user_sessions(db: Session, user_id: int, reason: str) -> int:
    """End every open session of a user; how many were open (the caller commits)."""
    result = db.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=utc_now(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_session_counts(db: Session) -> dict[int, int]:
    """Open sessions per user id (one query, for the beheerder's user list)."""
    return {
        int(user_id): int(count)
        for user_id, count in db.execute(
            select(WebSession.user_id, func.count())
            .where(WebSession.ended_at.is_(None))
            .group_by(WebSession.user_id)
        )
    }
