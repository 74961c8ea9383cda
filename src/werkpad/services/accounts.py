"""User accounts: argon2 password hashing and verification, and login throttling.

Every login attempt is written to the audit log (``LOGIN`` or ``LOGIN_FAILED``, with the
account's username and the IP address). A name that is no account (often a password typed in
the wrong field) is never stored: a keyed hash of it stands in (``login_subject``).
After ``MAX_FAILED_LOGINS`` failures for one username within
``LOCKOUT`` since its last successful login, further attempts are refused until the window has
passed, even with the right password; the beheerder can lift the lock earlier
(``LOGIN_UNLOCK``). Unknown usernames are throttled exactly like known ones,
so the lock does not reveal which accounts exist. Times are wall-clock UTC, never the demo's
frozen date.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.services.audit import (
    LOGIN_OBJECT,
    login_purpose,
    normalise_username,
    record_login_event,
    utc_now,
)
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


def _has_password(user: User) -> bool:
    return user.password_hash.startswith("$argon2")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None.

    Every failure costs one full argon2 verification (of a dummy hash when the name is
    unknown, the account inactive or without a password), so timing reveals nothing."""
    user = session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None or not user.active or not _has_password(user):
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


UNKNOWN_SUBJECT = "onbekend"


def login_subject(session: Session, username: str, key: str) -> str:
    """What the audit log records for a login attempt with ``username``: the normalised name
    when it is an account, else ``onbekend-`` and a keyed hash of it (the same typo gets the
    same stand-in, so throttling still works per name, but a password typed in the username
    field cannot be read back from the log)."""
    name = normalise_username(username)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        return name
    digest = hmac.new(key.encode("utf-8"), name.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{UNKNOWN_SUBJECT}-{digest[:16]}"


# Audit actions that end a run of failures: a successful login, or the beheerder's unlock.
_RESETS = ("LOGIN", "LOGIN_UNLOCK")


def _locked(actions_in_order: list[str]) -> bool:
    """Whether the failures after the last reset reach the limit (the window is the caller's)."""
    failures = 0
    for action in actions_in_order:
        failures = 0 if action in _RESETS else failures + (action == "LOGIN_FAILED")
    return failures >= MAX_FAILED_LOGINS


def _recent_login_events(
    session: Session, now: datetime, purposes: list[str] | None = None
) -> dict[str, list[str]]:
    """Login audit actions within the lockout window, per purpose, oldest first."""
    statement = (
        select(AuditEntry.purpose, AuditEntry.action)
        .where(AuditEntry.object_type == LOGIN_OBJECT, AuditEntry.at > now - LOCKOUT)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    if purposes is not None:
        statement = statement.where(AuditEntry.purpose.in_(purposes))
    events: dict[str, list[str]] = {}
    for purpose, action in session.execute(statement):
        events.setdefault(str(purpose), []).append(action)
    return events


def login_locked(session: Session, username: str, now: datetime | None = None) -> bool:
    """Whether this username has had ``MAX_FAILED_LOGINS`` failed attempts within the lockout
    window since its last successful login or unlock."""
    purpose = login_purpose(username)
    events = _recent_login_events(session, now or utc_now(), [purpose])
    return _locked(events.get(purpose, []))


def locked_usernames(
    session: Session, usernames: list[str], now: datetime | None = None
) -> set[str]:
    """Which of these usernames are locked now (one query, for the beheerder's user list)."""
    events = _recent_login_events(session, now or utc_now())
    return {u for u in usernames if _locked(events.get(login_purpose(u), []))}


def unlock_login(session: Session, acting: User, username: str) -> None:
    """The beheerder lifts a lock before the window has passed (audit-logged; caller commits)."""
    record_login_event(session, username, "LOGIN_UNLOCK", user_id=acting.id)


def record_login_attempt(
    session: Session, username: str, user: User | None, *, ok: bool, ip: str | None
) -> None:
    """Write one login attempt to the audit log (the caller commits); ``username`` is the
    ``login_subject`` of the name typed."""
    record_login_event(
        session,
        username,
        "LOGIN" if ok else "LOGIN_FAILED",
        user_id=user.id if ok and user is not None else None,
        ip=ip,
    )
