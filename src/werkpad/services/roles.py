"""Changing a user's role, with four-eyes for the beheerder role, and "break the glass".

A beheerder changes a role (and the team that goes with it); the change is an audit entry and
ends the user's sessions (they also end by themselves: a session remembers the role it was
opened with). Giving someone the **beheerder** role is only requested: a second beheerder,
neither the requester nor the user, approves or rejects it (``RoleChange`` PENDING).

Break the glass: a klantmanager or teamleider who must act on a file outside their team (a
colleague is ill, a crisis call) states a reason and gets access to that one file for
``BREAK_GLASS_HOURS``. It is an audit entry (``BREAK_GLASS``), every read is audited as usual,
and the teamleider of the file's team sees it on *Team → Noodtoegang* until marked as seen.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.services.audit import record_event, utc_now
from werkpad.services.sessions import ROLE_CHANGED, end_user_sessions
from werkpad.store.models import BreakGlass, Candidate, RoleChange, Team, User

ROLES = ("KLANTMANAGER", "ACCOUNTMANAGER", "TEAMLEIDER", "ANALIST", "BEHEERDER")
TEAM_ROLES = ("KLANTMANAGER", "TEAMLEIDER")
FOUR_EYES_ROLES = frozenset({"BEHEERDER"})
BREAK_GLASS_ROLES = frozenset(TEAM_ROLES)
BREAK_GLASS_HOURS = 4
MIN_REASON = 10
PENDING, APPLIED, REJECTED = "PENDING", "APPLIED", "REJECTED"


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])


def _apply(session: Session, acting: User, change: RoleChange) -> None:
    user = change.user
    user.role = change.to_role
    user.team_id = change.to_team_id if change.to_role in TEAM_ROLES else None
    change.state, change.decided_by_id, change.decided_at = APPLIED, acting.id, utc_now()
    ended = end_user_sessions(session, user.id, ROLE_CHANGED)
    record_event(
        session,
        acting,
        "ROLE_CHANGED",
        "app_user",
        object_id=user.id,
        purpose=f"Rol van {user.username}: {change.from_role} -> {change.to_role}"
        f" ({ended} sessie(s) beëindigd)",
    )


def change_role(
    session: Session, acting: User, user: User, role: str, team_id: int | None
) -> RoleChange:
    """Change ``user``'s role (and team), or, for the beheerder role, request it for a second
    beheerder's approval. ValidationFailed with Dutch field messages; the caller commits."""
    if role not in ROLES:
        raise _fail("role", "Kies een rol uit de lijst.")
    if user.id == acting.id:
        raise _fail("role", "Je kunt je eigen rol niet wijzigen; vraag een andere beheerder.")
    if not user.active:
        raise _fail("role", "Deze gebruiker is uitgeschakeld.")
    if team_id is not None and session.get(Team, team_id) is None:
        raise _fail("team_id", "Onbekend team.")
    team = team_id if team_id is not None else user.team_id
    if role in TEAM_ROLES and team is None:
        raise _fail("team_id", "Klantmanagers en teamleiders horen bij een team.")
    if role == user.role and (role not in TEAM_ROLES or team == user.team_id):
        raise _fail("role", "Deze gebruiker heeft deze rol al.")
    open_request = session.scalar(
        select(RoleChange.id).where(RoleChange.user_id == user.id, RoleChange.state == PENDING)
    )
    if open_request is not None:
        raise _fail("role", "Er wacht al een rolwijziging voor deze gebruiker op goedkeuring.")
    change = RoleChange(
        user_id=user.id,
        from_role=user.role,
        to_role=role,
        to_team_id=team if role in TEAM_ROLES else None,
        state=PENDING,
        requested_by_id=acting.id,
        requested_at=utc_now(),
    )
    change.user = user
    session.add(change)
    session.flush()
    if role in FOUR_EYES_ROLES:
        record_event(
            session,
            acting,
            "ROLE_REQUESTED",
            "app_user",
            object_id=user.id,
            purpose=f"Beheerdersrol voor {user.username} aangevraagd; "
            "wacht op een tweede beheerder",
        )
    else:
        _apply(session, acting, change)
    session.flush()
    return change


def decide_role_change(session: Session, acting: User, change: RoleChange, approve: bool) -> None:
    """A second beheerder approves or rejects a pending request (four-eyes). The requester and
    the user concerned may not decide. The caller commits."""
    if change.state != PENDING:
        raise _fail("decision", "Over dit verzoek is al beslist.")
    if acting.id in (change.requested_by_id, change.user_id):
        raise _fail(
            "decision",
            "Een tweede beheerder moet dit goedkeuren: niet wie het aanvroeg en niet de "
            "gebruiker zelf.",
        )
    if approve:
        _apply(session, acting, change)
        return
    change.state, change.decided_by_id, change.decided_at = REJECTED, acting.id, utc_now()
    record_event(
        session,
        acting,
        "ROLE_REJECTED",
        "app_user",
        object_id=change.user_id,
        purpose=f"Beheerdersrol voor {change.user.username} afgewezen",
    )


def pending_role_changes(session: Session) -> list[RoleChange]:
    return list(
        session.scalars(
            select(RoleChange)
            .options(joinedload(RoleChange.user), joinedload(RoleChange.requested_by))
            .where(RoleChange.state == PENDING)
            .order_by(RoleChange.requested_at)
        )
    )


# --- break the glass ---------------------------------------------------------------------


def break_glass(
    session: Session, user: User, candidate: Candidate, reason: str, *, ip: str | None = None
) -> BreakGlass:
    """Open one file outside the user's team for ``BREAK_GLASS_HOURS`` with a stated reason;
    audit-logged and flagged to the file's teamleider. The caller commits."""
    if user.role not in BREAK_GLASS_ROLES:
        raise _fail("reason", "Noodtoegang is er alleen voor klantmanagers en teamleiders.")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise _fail(
            "reason",
            f"Geef de reden (minimaal {MIN_REASON} tekens): waarom moet je dit dossier nu inzien?",
        )
    now = utc_now()
    row = BreakGlass(
        user_id=user.id,
        candidate_id=candidate.id,
        team_id=candidate.team_id,
        reason=reason[:500],
        started_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    session.add(row)
    record_event(
        session,
        user,
        "BREAK_GLASS",
        "candidate",
        object_id=candidate.id,
        purpose=f"Noodtoegang: {reason}",
        ip=ip,
    )
    session.flush()
    return row


def has_break_glass(
    session: Session, user: User, candidate_id: int, now: datetime | None = None
) -> bool:
    """Whether the user has open break-the-glass access to this file (one indexed query)."""
    return (
        session.scalar(
            select(BreakGlass.id)
            .where(
                BreakGlass.user_id == user.id,
                BreakGlass.candidate_id == candidate_id,
                BreakGlass.expires_at > (now or utc_now()),
            )
            .limit(1)
        )
        is not None
    )


def break_glass_for_teamleider(session: Session, teamleider: User) -> list[BreakGlass]:
    """Break-the-glass accesses to files of the teamleider's team, newest first."""
    if teamleider.team_id is None:
        return []
    return list(
        session.scalars(
            select(BreakGlass)
            .options(joinedload(BreakGlass.user))
            .where(BreakGlass.team_id == teamleider.team_id)
            .order_by(BreakGlass.started_at.desc())
            .limit(200)
        )
    )


def mark_break_glass_seen(session: Session, teamleider: User) -> int:
    """The teamleider has looked at the unseen accesses to the team's files (caller commits)."""
    result = session.execute(
        update(BreakGlass)
        .where(BreakGlass.team_id == teamleider.team_id, BreakGlass.seen_by_teamleider_at.is_(None))
        .values(seen_by_teamleider_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
