"""The teamleider's tools: reassign candidates and see the caseload per FTE."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.services.audit import record_change
from werkpad.services.caseload import in_service_on
from werkpad.services.fields import Fields
from werkpad.services.transitions import log_transition
from werkpad.store.models import Candidate, User

MAX_REASSIGN = 500  # one confirmation moves at most this many candidates (Primero caps too)
NAMES_IN_MESSAGE = 10


@dataclass(frozen=True)
class Reassignment:
    """What a reassignment moved: to whom, which candidates, and who already had them."""

    target_name: str
    moved: list[str]
    unchanged: list[str]

    @property
    def count(self) -> int:
        return len(self.moved)

    def message(self) -> str:
        """The Dutch message the teamleider sees afterwards."""
        if not self.moved:
            return f"Niets overgedragen: de gekozen kandidaten hadden al {self.target_name}."
        shown = ", ".join(self.moved[:NAMES_IN_MESSAGE])
        rest = len(self.moved) - NAMES_IN_MESSAGE
        who = shown + (f" en {rest} anderen" if rest > 0 else "")
        noun = "kandidaat" if len(self.moved) == 1 else "kandidaten"
        text = f"{len(self.moved)} {noun} overgedragen aan {self.target_name}: {who}."
        if self.unchanged:
            text += f" {len(self.unchanged)} had(den) al {self.target_name}."
        return text


def _checked(
    session: Session, teamleider: User, candidate_ids: Sequence[int], data: Mapping[str, Any]
) -> tuple[User, str, list[Candidate]]:
    if teamleider.role != "TEAMLEIDER" or teamleider.team_id is None:
        raise PermissionError("only a teamleider of a team reassigns")
    f = Fields(data)
    target_id = f.identifier("klantmanager_id", "Nieuwe klantmanager", required=True)
    reason = f.text("reason", "Reden", required=True, max_length=500)
    target = session.get(User, target_id) if target_id is not None else None
    if target_id is not None and (
        target is None
        or target.role != "KLANTMANAGER"
        or target.team_id != teamleider.team_id
        or not target.active
    ):
        f.fail("klantmanager_id", "Kies een actieve klantmanager van je eigen team.")
    if not candidate_ids:
        f.fail("candidate_ids", "Kies minstens één kandidaat.")
    elif len(set(candidate_ids)) > MAX_REASSIGN:
        f.fail("candidate_ids", f"Draag maximaal {MAX_REASSIGN} kandidaten tegelijk over.")
    f.raise_if_invalid()
    assert target is not None and reason is not None
    candidates = list(
        session.scalars(
            select(Candidate)
            .where(Candidate.id.in_(set(candidate_ids)))
            .order_by(Candidate.last_name, Candidate.first_name, Candidate.id)
        )
    )
    if len(candidates) != len(set(candidate_ids)) or any(
        c.team_id != teamleider.team_id for c in candidates
    ):
        raise ValidationFailed(
            [FieldError("candidate_ids", "Alleen kandidaten van je eigen team.")]
        )
    return target, reason, candidates


def preview_reassignment(
    session: Session, teamleider: User, candidate_ids: Sequence[int], data: Mapping[str, Any]
) -> Reassignment:
    """What ``reassign`` would do, for the confirmation; writes nothing."""
    target, _reason, candidates = _checked(session, teamleider, candidate_ids, data)
    return Reassignment(
        target.full_name,
        [c.full_name for c in candidates if c.klantmanager_id != target.id],
        [c.full_name for c in candidates if c.klantmanager_id == target.id],
    )


def reassign(
    session: Session,
    teamleider: User,
    candidate_ids: Sequence[int],
    data: Mapping[str, Any],
    *,
    today: date,
) -> Reassignment:
    """Give candidates of the team to another active klantmanager of the team, each move
    logged with its reason; candidates who already have that klantmanager stay as they are."""
    target, reason, candidates = _checked(session, teamleider, candidate_ids, data)
    moved: list[str] = []
    unchanged: list[str] = []
    for c in candidates:
        if c.klantmanager_id == target.id:
            unchanged.append(c.full_name)
            continue
        log_transition(
            session,
            teamleider,
            "candidate_klantmanager",
            c.id,
            str(c.klantmanager_id) if c.klantmanager_id else None,
            str(target.id),
            today=today,
            reason=reason,
        )
        c.klantmanager_id = target.id
        record_change(session, teamleider, "UPDATE", "candidate", c.id, purpose="Overgedragen")
        moved.append(c.full_name)
    session.flush()
    return Reassignment(target.full_name, moved, unchanged)


def candidates_of(session: Session, teamleider: User, klantmanager_id: int | None) -> list[int]:
    """The ids of the team's candidates in service with this klantmanager (None: those without
    an active klantmanager of the team), for "draag alle kandidaten van ... over"."""
    if teamleider.team_id is None:
        return []
    query = select(Candidate.id).where(Candidate.team_id == teamleider.team_id)
    if klantmanager_id is None:
        active = select(User.id).where(
            User.team_id == teamleider.team_id, User.role == "KLANTMANAGER", User.active
        )
        query = query.where(
            (Candidate.klantmanager_id.is_(None)) | Candidate.klantmanager_id.not_in(active)
        )
    else:
        query = query.where(Candidate.klantmanager_id == klantmanager_id)
    return list(session.scalars(query.order_by(Candidate.id).limit(MAX_REASSIGN + 1)))


@dataclass(frozen=True)
class CaseloadLoad:
    user_id: int | None
    name: str
    fte: Decimal
    candidates: int

    @property
    def per_fte(self) -> float | None:
        return round(self.candidates / float(self.fte), 1) if self.fte else None


def caseload_per_fte(session: Session, teamleider: User, *, today: date) -> list[CaseloadLoad]:
    """Candidates in service per klantmanager of the team, with FTE; plus "niet toegewezen"."""
    if teamleider.team_id is None:
        return []
    counts = dict(
        session.execute(
            select(Candidate.klantmanager_id, func.count(Candidate.id))
            .where(Candidate.team_id == teamleider.team_id, in_service_on(today))
            .group_by(Candidate.klantmanager_id)
        ).all()
    )
    users = session.scalars(
        select(User)
        .where(User.team_id == teamleider.team_id, User.role == "KLANTMANAGER", User.active)
        .order_by(User.full_name)
    ).all()
    rows = [CaseloadLoad(u.id, u.full_name, u.fte, int(counts.get(u.id, 0))) for u in users]
    known = {u.id for u in users}
    orphans = sum(int(n) for uid, n in counts.items() if uid not in known)
    if orphans:
        rows.append(CaseloadLoad(None, "Niet (actief) toegewezen", Decimal("0"), orphans))
    return rows
