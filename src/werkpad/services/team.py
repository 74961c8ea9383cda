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


def reassign(
    session: Session,
    teamleider: User,
    candidate_ids: Sequence[int],
    data: Mapping[str, Any],
    *,
    today: date,
) -> int:
    """Give candidates of the team to another klantmanager of the team; returns the count."""
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
    f.raise_if_invalid()
    assert target is not None
    candidates = list(session.scalars(select(Candidate).where(Candidate.id.in_(candidate_ids))))
    if len(candidates) != len(set(candidate_ids)) or any(
        c.team_id != teamleider.team_id for c in candidates
    ):
        raise ValidationFailed(
            [FieldError("candidate_ids", "Alleen kandidaten van je eigen team.")]
        )
    for c in candidates:
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
    session.flush()
    return len(candidates)


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
