"""A password reset through a one-time link the beheerder makes and passes on.

Only the SHA-256 hash of the link's token is stored; the link works once and for
``RESET_LIFETIME``; a new link for the same user cancels the older ones. Setting the password
through it follows the policy, ends the user's sessions and is audit-logged. The second
factor stays: the user still needs the code (or a recovery code) at the next login.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from werkpad.services.accounts import change_password
from werkpad.services.audit import record_event, utc_now
from werkpad.services.sessions import token_hash
from werkpad.store.models import PasswordReset, User

RESET_LIFETIME = timedelta(hours=24)


def create_reset_link(
    session: Session, acting: User, user: User, now: datetime | None = None
) -> str:
    """A new one-time token for ``user`` (older open ones stop working); the caller commits
    and shows the link once."""
    now = now or utc_now()
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            token_hash=token_hash(token),
            user_id=user.id,
            created_by_id=acting.id,
            created_at=now,
            expires_at=now + RESET_LIFETIME,
        )
    )
    record_event(
        session,
        acting,
        "PASSWORD_RESET",
        "app_user",
        object_id=user.id,
        purpose=f"Herstellink voor wachtwoord gemaakt voor {user.username}",
    )
    session.flush()
    return token


def open_reset(session: Session, token: str, now: datetime | None = None) -> PasswordReset | None:
    """The unused, unexpired reset behind ``token`` for an active user, or None."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(PasswordReset)
        .options(joinedload(PasswordReset.user))
        .where(PasswordReset.token_hash == token_hash(token), PasswordReset.used_at.is_(None))
    )
    if row is None or not row.user.active or (now or utc_now()) >= row.expires_at:
        return None
    return row


def use_reset(session: Session, row: PasswordReset, password: str, again: str) -> None:
    """Set the new password through the link (ValidationFailed when refused; then nothing is
    used up). The caller commits."""
    change_password(session, row.user, password, again)
    row.used_at = utc_now()
