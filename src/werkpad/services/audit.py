"""The audit log: who read which candidate file, who changed what, and every login attempt:
when, why and from where. Login attempts (object type ``login``) are kept apart in searches:
the default search shows file reads and changes, ``logins=True`` only the attempts."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, joinedload

from werkpad.store.models import AuditEntry, User


def utc_now() -> datetime:
    """Naive UTC timestamp, the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


LOGIN_OBJECT = "login"


def normalise_username(username: str) -> str:
    """Usernames are stored and compared in lower case without surrounding spaces."""
    return username.strip().lower()


def login_purpose(username: str) -> str:
    """The audit purpose of a login attempt: the username as typed, normalised."""
    return f"Inlogpoging {normalise_username(username)}"[:200]


def record_login_event(
    session: Session, username: str, action: str, *, user_id: int | None, ip: str | None = None
) -> None:
    """Add a login attempt or unlock for ``username`` to the audit log (the caller commits)."""
    session.add(
        AuditEntry(
            at=utc_now(),
            user_id=user_id,
            action=action,
            object_type=LOGIN_OBJECT,
            object_id=None,
            purpose=login_purpose(username),
            ip=ip,
        )
    )


def record_read(
    session: Session,
    user: User,
    candidate_id: int,
    *,
    purpose: str,
    ip: str | None,
) -> AuditEntry:
    """Add a READ entry for a candidate file; the caller commits it with the request."""
    entry = AuditEntry(
        at=utc_now(),
        user_id=user.id,
        action="READ",
        object_type="candidate",
        object_id=candidate_id,
        purpose=purpose[:200],
        ip=(ip or None) and ip[:45],
    )
    session.add(entry)
    session.flush()
    return entry


def record_change(
    session: Session,
    user: User,
    action: str,
    object_type: str,
    object_id: int,
    *,
    purpose: str,
) -> AuditEntry:
    """Add a CREATE or UPDATE entry (who changed which object, why); committed by the caller."""
    entry = AuditEntry(
        at=utc_now(),
        user_id=user.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose[:200],
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditQuery:
    username: str | None = None
    candidate_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    logins: bool = False
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    page_size: int


def search_audit(session: Session, query: AuditQuery) -> AuditPage:
    """Audit entries matching every given criterion, newest first (dates are UTC days)."""
    conditions: list[ColumnElement[bool]] = [
        (AuditEntry.object_type == LOGIN_OBJECT)
        if query.logins
        else (AuditEntry.object_type != LOGIN_OBJECT)
    ]
    if query.username and query.logins:
        # A failed attempt has no user (the name may not exist): search the name typed.
        conditions.append(AuditEntry.purpose == login_purpose(query.username))
    elif query.username:
        conditions.append(
            AuditEntry.user_id.in_(
                select(User.id).where(User.username == normalise_username(query.username))
            )
        )
    if query.candidate_id is not None:
        conditions.append(AuditEntry.object_type == "candidate")
        conditions.append(AuditEntry.object_id == query.candidate_id)
    if query.date_from is not None:
        conditions.append(AuditEntry.at >= datetime.combine(query.date_from, time.min))
    if query.date_to is not None:
        conditions.append(
            AuditEntry.at < datetime.combine(query.date_to + timedelta(days=1), time.min)
        )
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
    entries = session.scalars(
        select(AuditEntry)
        .options(joinedload(AuditEntry.user))
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(query.page_size)
        .offset((max(query.page, 1) - 1) * query.page_size)
    ).all()
    return AuditPage(list(entries), int(total), query.page, query.page_size)


CLI_ACTIONS = ("IMPORT", "EXPORT", "BACKUP", "RESTORE", "CONFIGURE", "CREATE", "PRUNE")


def operator_name() -> str:
    """Who runs the command line: the operating-system account (werkpad has no login there)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "onbekend"


def record_cli_event(session: Session, action: str, object_type: str, what: str) -> AuditEntry:
    """Add an entry for a command-line import, export, backup or restore (the caller commits).

    ``what`` says which kind, how many rows and to or from where; the operating-system account
    stands in for the user, who is not logged in on the command line.
    """
    if action not in CLI_ACTIONS:
        raise ValueError(f"onbekende actie {action!r}")
    entry = AuditEntry(
        at=utc_now(),
        user_id=None,
        action=action,
        object_type=object_type[:30],
        object_id=None,
        purpose=f"Opdrachtregel ({operator_name()}): {what}"[:200],
    )
    session.add(entry)
    return entry


def record_event(
    session: Session,
    user: User | None,
    action: str,
    object_type: str,
    *,
    purpose: str,
    object_id: int | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Add any other audited event (a refused request, a list viewed, a settings change, a
    duplicate check at intake): who, what, why and from where; committed by the caller."""
    entry = AuditEntry(
        at=utc_now(),
        user_id=user.id if user is not None else None,
        action=action[:30],
        object_type=object_type[:30],
        object_id=object_id,
        purpose=purpose[:200],
        ip=(ip or None) and ip[:45],
    )
    session.add(entry)
    return entry
