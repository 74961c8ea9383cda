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
import os
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.passwords import password_problems, read_deny_list, shipped_deny_list
from werkpad.services.audit import (
    LOGIN_OBJECT,
    login_purpose,
    normalise_username,
    record_event,
    record_login_event,
    utc_now,
)
from werkpad.store.models import AuditEntry, User, UserCredential, WebSession

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


def password_change_required(session: Session, user: User) -> bool:
    """Whether the user must choose a new password before working (first use, or a password
    the beheerder set)."""
    row = session.get(UserCredential, user.id)
    return row is not None and row.must_change_password


# Failed attempts from one address within the lockout window after which that address is
# refused too, whatever username it tries (password spraying over many names). Higher than
# the per-username limit: an office behind one NAT address shares it.
MAX_FAILED_PER_ADDRESS = 30
PASSWORD_CHANGED = "PASSWORD_CHANGED"  # why the user's other sessions ended


def address_locked(session: Session, ip: str | None, now: datetime | None = None) -> bool:
    """Whether ``ip`` has had ``MAX_FAILED_PER_ADDRESS`` failed login attempts (passwords or
    codes, any username) within the lockout window."""
    if not ip:
        return False
    count = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.object_type == LOGIN_OBJECT,
            AuditEntry.action == "LOGIN_FAILED",
            AuditEntry.ip == ip[:45],
            AuditEntry.at > (now or utc_now()) - LOCKOUT,
        )
    )
    return int(count or 0) >= MAX_FAILED_PER_ADDRESS


def deny_list() -> frozenset[str]:
    """The shipped deny list plus the municipality's own ($WERKPAD_PASSWORD_DENYLIST)."""
    extra = os.environ.get("WERKPAD_PASSWORD_DENYLIST")
    words = shipped_deny_list()
    if extra and Path(extra).is_file():
        words = words | read_deny_list(Path(extra).read_text(encoding="utf-8"))
    return words


def check_new_password(
    user: User | None, password: str, *, username: str = "", full_name: str = ""
) -> None:
    """Raise ValidationFailed (field ``password``) when the policy refuses the password."""
    problems = password_problems(
        password,
        username=user.username if user is not None else username,
        full_name=user.full_name if user is not None else full_name,
        deny=deny_list(),
    )
    if problems:
        raise ValidationFailed([FieldError("password", " ".join(problems))])


def change_password(
    session: Session,
    user: User,
    password: str,
    again: str,
    *,
    current: str | None = None,
    acting: User | None = None,
    keep_session_id: int | None = None,
) -> None:
    """Set a new password for ``user`` (the caller commits). ``current``, when given, must be
    the present password (a change on *Mijn account*); the forced change after a reset or at
    first use passed the login instead. Audit-logged; every session of the user ends but
    ``keep_session_id`` (the one the change was made in)."""
    errors: list[FieldError] = []
    if current is not None and not verify_password(user.password_hash, current):
        errors.append(FieldError("current", "Je huidige wachtwoord klopt niet."))
    if password != again:
        errors.append(FieldError("password_again", "De twee nieuwe wachtwoorden zijn niet gelijk."))
    try:
        check_new_password(user, password)
    except ValidationFailed as exc:
        errors = exc.errors + errors
    if not errors and verify_password(user.password_hash, password):
        errors.append(FieldError("password", "Kies een ander wachtwoord dan je huidige."))
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = hash_password(password)
    row = session.get(UserCredential, user.id)
    if row is None:
        row = UserCredential(user_id=user.id)
        session.add(row)
    row.must_change_password = False
    row.password_changed_at = utc_now()
    others = update(WebSession).where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
    if keep_session_id is not None:
        others = others.where(WebSession.id != keep_session_id)
    session.execute(
        others.values(ended_at=utc_now(), end_reason=PASSWORD_CHANGED).execution_options(
            synchronize_session=False
        )
    )
    record_event(
        session,
        acting or user,
        "PASSWORD_CHANGED",
        "app_user",
        object_id=user.id,
        purpose="Wachtwoord gewijzigd",
    )
    session.flush()


def require_password_change(session: Session, user: User) -> None:
    """The user must choose a new password at the next login (caller commits)."""
    row = session.get(UserCredential, user.id)
    if row is None:
        row = UserCredential(user_id=user.id)
        session.add(row)
    row.must_change_password = True
    session.flush()
