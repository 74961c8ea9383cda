"""The proposal pipeline: shortlist, propose (with consent), interview, place; each step is a
logged transition of the proposal life cycle. Callers commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.lifecycle import OPEN_PROVISION_STATES, PROPOSAL
from werkpad.matching.explain import exclusions
from werkpad.matching.reference import assess_pair
from werkpad.services.audit import record_change
from werkpad.services.exits import ExitResult, end_route
from werkpad.services.matching import candidate_profiles, load_geo, load_settings, vacancy_profiles
from werkpad.services.referrals import ACTIVE_REFERRAL_STATES, close_referral
from werkpad.services.transitions import check_step, log_transition
from werkpad.store.models import (
    Candidate,
    Placement,
    Proposal,
    Provision,
    Referral,
    Route,
    StateTransition,
    User,
    Vacancy,
)


def shortlist(
    session: Session,
    user: User,
    vacancy_id: int,
    candidate_id: int,
    *,
    today: date,
    score_milli: int | None = None,
) -> Proposal:
    """Put a candidate on a vacancy's shortlist (once per pair)."""
    existing = session.scalar(
        select(Proposal).where(
            Proposal.vacancy_id == vacancy_id, Proposal.candidate_id == candidate_id
        )
    )
    if existing is not None:
        raise ValidationFailed([FieldError("candidate", "Kandidaat staat al bij deze vacature.")])
    proposal = Proposal(
        vacancy_id=vacancy_id,
        candidate_id=candidate_id,
        state=PROPOSAL.initial,
        score_milli=score_milli,
        created_on=today,
        created_by_id=user.id,
    )
    session.add(proposal)
    session.flush()
    log_transition(session, user, "proposal", proposal.id, None, PROPOSAL.initial, today=today)
    record_change(session, user, "CREATE", "proposal", proposal.id, purpose="Shortlist")
    return proposal


def move_proposal(
    session: Session,
    user: User,
    proposal: Proposal,
    target: str,
    *,
    today: date,
    consent: bool = False,
    reason: str | None = None,
) -> Proposal:
    """Next step of a proposal; proposing to an employer needs the candidate's consent."""
    check_step(PROPOSAL, proposal.state, target)
    if target == "PROPOSED":
        if not consent:
            raise ValidationFailed(
                [FieldError("consent", "Zonder toestemming van de kandidaat geen voorstel.")]
            )
        proposal.consent_on = today
    log_transition(
        session, user, "proposal", proposal.id, proposal.state, target, today=today, reason=reason
    )
    proposal.state = target
    session.flush()
    record_change(
        session, user, "UPDATE", "proposal", proposal.id, purpose=PROPOSAL.labels_nl[target]
    )
    return proposal


def candidate_reference(candidate_id: int) -> str:
    """The pseudonymous reference of a referred candidate outside the accountmanager's own
    pages (API, teamleider): no name, no BSN, only the internal number."""
    return f"K-{candidate_id:06d}"


# --- the pipeline of a vacancy --------------------------------------------------------------


@dataclass(frozen=True)
class PipelineStep:
    from_state: str | None
    to_state: str
    at: datetime  # when the step was logged
    reason: str | None


@dataclass(frozen=True)
class PipelineEntry:
    """One candidate on a vacancy's pipeline: the proposal, its dated steps and next states."""

    proposal: Proposal
    candidate_name: str
    steps: list[PipelineStep]
    next_states: list[str]
    placement_id: int | None


def vacancy_pipeline(session: Session, vacancy_id: int) -> list[PipelineEntry]:
    """Every proposal of a vacancy with its logged steps, in a fixed number of queries."""
    rows = session.execute(
        select(Proposal, Candidate.first_name, Candidate.last_name)
        .join(Candidate, Candidate.id == Proposal.candidate_id)
        .where(Proposal.vacancy_id == vacancy_id)
        .order_by(Proposal.created_on, Proposal.id)
    ).all()
    ids = [p.id for p, _f, _l in rows]
    steps: dict[int, list[PipelineStep]] = {i: [] for i in ids}
    placements: dict[int, int] = {}
    if ids:
        for t in session.scalars(
            select(StateTransition)
            .where(StateTransition.object_type == "proposal", StateTransition.object_id.in_(ids))
            .order_by(StateTransition.at, StateTransition.id)
        ):
            steps[t.object_id].append(PipelineStep(t.from_state, t.to_state, t.at, t.reason))
        cids = [p.candidate_id for p, _f, _l in rows]
        placements = {
            cid: pid
            for pid, cid in session.execute(
                select(Placement.id, Placement.candidate_id).where(
                    Placement.vacancy_id == vacancy_id, Placement.candidate_id.in_(cids)
                )
            )
        }
    return [
        PipelineEntry(
            proposal=p,
            candidate_name=f"{first} {last}",
            steps=steps[p.id],
            next_states=sorted(PROPOSAL.transitions[p.state], key=list(PROPOSAL.labels_nl).index),
            placement_id=placements.get(p.candidate_id),
        )
        for p, first, last in rows
    ]


def shortlist_candidate(
    session: Session, user: User, vacancy_id: int, candidate_id: int, *, today: date
) -> Proposal:
    """Shortlist a referred candidate (active referral and a work profile) for a vacancy,
    keeping the pair's score as it is today; an excluded pair is refused with its reasons."""
    vacancies = vacancy_profiles(session, vacancy_ids=[vacancy_id])
    if not vacancies:
        raise ValidationFailed([FieldError("vacancy", f"Vacature {vacancy_id} bestaat niet.")])
    active = session.scalar(
        select(Referral.id).where(
            Referral.candidate_id == candidate_id, Referral.state.in_(ACTIVE_REFERRAL_STATES)
        )
    )
    profiles = candidate_profiles(session, [candidate_id]) if active is not None else []
    if not profiles:
        raise ValidationFailed(
            [FieldError("candidate", "Kandidaat is niet aangemeld of heeft geen werkprofiel.")]
        )
    settings, geo = load_settings(session), load_geo(session)
    pair = assess_pair(profiles[0], vacancies[0], settings, geo)
    if pair.excluded:
        reasons = "; ".join(exclusions(pair))
        raise ValidationFailed([FieldError("candidate", f"Kandidaat valt af: {reasons}.")])
    return shortlist(
        session, user, vacancy_id, candidate_id, today=today, score_milli=pair.total_milli
    )


def route_for_placement(session: Session, candidate_id: int) -> Route | None:
    """The open route the placement ends: the one the active referral came from, else the
    candidate's most recently started open route."""
    referral_route = session.scalar(
        select(Referral.route_id)
        .where(
            Referral.candidate_id == candidate_id,
            Referral.state.in_(ACTIVE_REFERRAL_STATES),
            Referral.route_id.is_not(None),
        )
        .order_by(Referral.referred_on.desc(), Referral.id.desc())
    )
    if referral_route is not None:
        route = session.get(Route, referral_route)
        if route is not None and route.end_date is None:
            return route
    return session.scalar(
        select(Route)
        .where(Route.candidate_id == candidate_id, Route.end_date.is_(None))
        .order_by(Route.start_date.desc(), Route.id.desc())
    )


def open_provisions_at_placement(
    session: Session, entries: list[PipelineEntry]
) -> dict[int, list[Provision]]:
    """Per proposal that can be placed, the open provisions of the route the placement will
    end: the placement form asks what becomes of each (as the exit form does) instead of
    refusing. One route lookup per placeable proposal and one query for the provisions."""
    routes: dict[int, int] = {}
    for entry in entries:
        if "PLACED" in entry.next_states:
            route = route_for_placement(session, entry.proposal.candidate_id)
            if route is not None:
                routes[entry.proposal.id] = route.id
    if not routes:
        return {}
    by_route: dict[int, list[Provision]] = {}
    for provision in session.scalars(
        select(Provision)
        .where(
            Provision.route_id.in_(set(routes.values())),
            Provision.state.in_(OPEN_PROVISION_STATES),
        )
        .options(joinedload(Provision.provision_type))
        .order_by(Provision.start_date, Provision.id)
    ):
        by_route.setdefault(provision.route_id, []).append(provision)
    return {pid: by_route[rid] for pid, rid in routes.items() if rid in by_route}


def place_proposal(
    session: Session, user: User, proposal: Proposal, data: Mapping[str, Any], *, today: date
) -> ExitResult:
    """Record the placement of a proposed candidate: the proposal becomes PLACED, the
    candidate's open route ends with a work exit (``JOB``) through the exit service, which
    records the Placement with its instruments and plans the follow-ups; the active referral
    is closed. ``data`` holds the exit service's placement fields (job_type, contract_type,
    hours_per_week, placement_start, instruments, lks_loonwaarde) and the exit date
    (``end_date``). Nothing is written on any error (the caller rolls back)."""
    check_step(PROPOSAL, proposal.state, "PLACED")
    vacancy = session.get(Vacancy, proposal.vacancy_id)
    assert vacancy is not None
    route = route_for_placement(session, proposal.candidate_id)
    if route is None:
        raise ValidationFailed(
            [
                FieldError(
                    "route",
                    "De kandidaat heeft geen lopende route; vraag de klantmanager een route "
                    "te openen.",
                )
            ]
        )
    values = {
        **dict(data),
        "end_reason": "JOB",
        "employer_id": vacancy.employer_id,
        "claimant": "TEAM",
    }
    result = end_route(session, user, route, values, today=today)
    assert result.placement is not None
    result.placement.vacancy_id = vacancy.id
    move_proposal(session, user, proposal, "PLACED", today=today, reason="Plaatsing vastgelegd")
    for referral in session.scalars(
        select(Referral).where(
            Referral.candidate_id == proposal.candidate_id,
            Referral.state.in_(ACTIVE_REFERRAL_STATES),
        )
    ):
        close_referral(session, user, referral, today=today)
    session.flush()
    return result


def proposal_steps(session: Session, up_to: date) -> pd.DataFrame:
    """Every logged step of every proposal up to ``up_to`` (``proposal_id``, ``to_state``,
    ``at``): the input of ``werkpad.analytics.pipeline``."""
    rows = session.execute(
        select(StateTransition.object_id, StateTransition.to_state, StateTransition.at).where(
            StateTransition.object_type == "proposal",
            StateTransition.at < datetime.combine(up_to, datetime.max.time()),
        )
    ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["proposal_id", "to_state", "at"])
