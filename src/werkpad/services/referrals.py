"""Referral to matching (aanmelding) and the accountmanager's referred pool.

The pool and the work profile show what matching needs (work wishes, availability,
restrictions, trede, segment, language level, loonwaarde, education, place) and nothing of
the benefit file: no BSN, no benefit spells, no dossier, no contacts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.lifecycle import REFERRAL
from werkpad.services.audit import record_change
from werkpad.services.caseload import age_on
from werkpad.services.fields import Fields
from werkpad.services.transitions import check_step, log_transition
from werkpad.store.models import Assessment, Candidate, Referral, Route, User

ACTIVE_REFERRAL_STATES = ("OPEN", "PICKED_UP")
MAX_TEXT = 2000


def _transition(
    session: Session,
    user: User,
    referral: Referral,
    target: str,
    reason: str | None = None,
    *,
    today: date,
) -> None:
    check_step(REFERRAL, referral.state, target)
    log_transition(
        session, user, "referral", referral.id, referral.state, target, today=today, reason=reason
    )
    referral.state = target


def refer(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any], *, today: date
) -> Referral:
    """Refer a candidate to matching; one active referral per candidate."""
    f = Fields(data)
    wishes = f.text("work_wishes", "Werkwensen", required=True, max_length=MAX_TEXT)
    availability = f.text("availability", "Beschikbaarheid", required=True, max_length=MAX_TEXT)
    restrictions = f.text("restrictions", "Beperkingen", max_length=MAX_TEXT)
    active = session.scalar(
        select(Referral.id).where(
            Referral.candidate_id == candidate.id, Referral.state.in_(ACTIVE_REFERRAL_STATES)
        )
    )
    if active is not None:
        f.fail("work_wishes", "Deze kandidaat is al aangemeld bij matching.")
    f.raise_if_invalid()
    route_id = session.scalar(
        select(Route.id).where(Route.candidate_id == candidate.id, Route.end_date.is_(None))
    )
    referral = Referral(
        candidate_id=candidate.id,
        route_id=route_id,
        referred_on=today,
        state=REFERRAL.initial,
        work_wishes=wishes,
        availability=availability,
        restrictions=restrictions,
        referred_by_id=user.id,
    )
    session.add(referral)
    session.flush()
    log_transition(session, user, "referral", referral.id, None, REFERRAL.initial, today=today)
    record_change(session, user, "CREATE", "referral", referral.id, purpose="Aanmelding matching")
    return referral


def pick_up(session: Session, user: User, referral: Referral, *, today: date) -> Referral:
    _transition(session, user, referral, "PICKED_UP", today=today)
    referral.picked_up_by_id = user.id
    referral.picked_up_on = today
    session.flush()
    record_change(session, user, "UPDATE", "referral", referral.id, purpose="Opgepakt")
    return referral


def return_referral(
    session: Session, user: User, referral: Referral, data: Mapping[str, Any], *, today: date
) -> Referral:
    """Give the referral back to the klantmanager, with a reason."""
    f = Fields(data)
    reason = f.text("note", "Reden van teruglegging", required=True, max_length=MAX_TEXT)
    f.raise_if_invalid()
    _transition(session, user, referral, "RETURNED", reason, today=today)
    referral.note = reason
    referral.closed_on = today
    session.flush()
    record_change(session, user, "UPDATE", "referral", referral.id, purpose="Teruggelegd")
    return referral


def close_referral(session: Session, user: User, referral: Referral, *, today: date) -> Referral:
    _transition(session, user, referral, "CLOSED", today=today)
    referral.closed_on = today
    session.flush()
    record_change(session, user, "UPDATE", "referral", referral.id, purpose="Afgesloten")
    return referral


@dataclass(frozen=True)
class WorkProfile:
    referral_id: int
    candidate_id: int
    name: str
    age: int
    city: str | None
    education_level: str | None
    state: str
    referred_on: date
    picked_up_on: date | None
    work_wishes: str | None
    availability: str | None
    restrictions: str | None
    ladder_step: int | None
    segment: str | None
    language_level: str | None
    loonwaarde_pct: int | None
    work_disability: bool | None


def _profile_query() -> Any:
    latest = (
        select(Assessment.id)
        .where(Assessment.candidate_id == Candidate.id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
        .correlate(Candidate)
        .scalar_subquery()
    )
    return (
        select(
            Referral.id.label("referral_id"),
            Referral.state,
            Referral.referred_on,
            Referral.picked_up_on,
            Referral.work_wishes,
            Referral.availability,
            Referral.restrictions,
            Candidate.id.label("candidate_id"),
            Candidate.first_name,
            Candidate.last_name,
            Candidate.birth_date,
            Candidate.city,
            Candidate.education_level,
            Assessment.ladder_step,
            Assessment.segment,
            Assessment.language_level,
            Assessment.loonwaarde_pct,
            Assessment.work_disability,
        )
        .join(Candidate, Candidate.id == Referral.candidate_id)
        .outerjoin(Assessment, Assessment.id == latest)
    )


def _profile(row: Any, today: date) -> WorkProfile:
    return WorkProfile(
        referral_id=row.referral_id,
        candidate_id=row.candidate_id,
        name=f"{row.first_name} {row.last_name}",
        age=age_on(row.birth_date, today),
        city=row.city,
        education_level=row.education_level,
        state=row.state,
        referred_on=row.referred_on,
        picked_up_on=row.picked_up_on,
        work_wishes=row.work_wishes,
        availability=row.availability,
        restrictions=row.restrictions,
        ladder_step=row.ladder_step,
        segment=row.segment,
        language_level=row.language_level,
        loonwaarde_pct=row.loonwaarde_pct,
        work_disability=row.work_disability,
    )


def referred_pool(session: Session, *, today: date, limit: int = 200) -> list[WorkProfile]:
    """Active referrals (open first, oldest first), one query."""
    rows = session.execute(
        _profile_query()
        .where(Referral.state.in_(ACTIVE_REFERRAL_STATES))
        .order_by(Referral.state, Referral.referred_on, Referral.id)
        .limit(limit)
    ).all()
    return [_profile(r, today) for r in rows]


def work_profile(session: Session, referral_id: int, *, today: date) -> WorkProfile | None:
    """The work profile of an active referral (None when there is no such referral)."""
    row = session.execute(
        _profile_query().where(
            Referral.id == referral_id, Referral.state.in_(ACTIVE_REFERRAL_STATES)
        )
    ).one_or_none()
    return _profile(row, today) if row is not None else None


def referrals_of_candidate(session: Session, candidate_id: int) -> list[Referral]:
    return list(
        session.scalars(
            select(Referral)
            .where(Referral.candidate_id == candidate_id)
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
    )
