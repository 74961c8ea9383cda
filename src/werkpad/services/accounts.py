"""User accounts: argon2 password hashing and verification, and login throttling.

Every login attempt is written to the audit log (``LOGIN`` or ``LOGIN_FAILED``, with the
username typed and the IP address). After ``MAX_FAILED_LOGINS`` failures for one username within
``LOCKOUT`` since its last successful login, further attempts are refused until the window has
passed, even with the right password. Unknown usernames are throttled exactly like known ones,
so the lock does not reveal which accounts exist. Times are wall-clock UTC, never the demo's
frozen date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from werkpad.services.audit import LOGIN_OBJECT, login_purpose, utc_now
from werkpad.store.models import AuditEntry, User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)

_hasher = PasswordHasher()
# A hash of a random string, verified when the user does not exist, so a wrong username costs
# the same time as a wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("werkpad-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalise_username(username: str) -> str:
    return username.strip().lower()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None."""
    user = session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def login_locked(session: Session, username: str, now: datetime | None = None) -> bool:
    """Whether this username has had too many failed attempts within the lockout window."""
    now = now or utc_now()
    purpose = login_purpose(username)
    attempts = select(AuditEntry).where(
        AuditEntry.object_type == LOGIN_OBJECT, AuditEntry.purpose == purpose
    )
    last_success = session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.object_type == LOGIN_OBJECT,
            AuditEntry.purpose == purpose,
            AuditEntry.action == "LOGIN",
        )
    )
    since = max(now - LOCKOUT, last_success) if last_success else now - LOCKOUT
    failures = session.scalar(
        select(func.count()).select_from(
            attempts.where(AuditEntry.action == "LOGIN_FAILED", AuditEntry.at > since).subquery()
        )
    )
    return (failures or 0) >= MAX_FAILED_LOGINS


def record_login_attempt(
    session: Session,
    username: str,
    user: User | None,
    *,
    ok: bool,
    ip: str | None,
    now: datetime | None = None,
) -> None:
    """Write one login attempt to the audit log (the caller commits)."""
    session.add(
        AuditEntry(
            at=now or utc_now(),
            user_id=user.id if ok and user is not None else None,
            action="LOGIN" if ok else "LOGIN_FAILED",
            object_type=LOGIN_OBJECT,
            object_id=None,
            purpose=login_purpose(username),
            ip=ip,
        )
    )
