"""Referral to matching (aanmelding) with its structured work profile, and the accountmanager's
referred pool.

The referral carries the work profile matching reads (``WorkProfile``, written through
``services.matching.save_work_profile``): occupations, sectors and skills from the code lists,
hours, days, travel mode and the travel limit in kilometres (the unit matching scores on), driving
licence, language level, available from, restrictions; confirmed with the candidate on a date.
Confirming it again later clears the "werkprofiel verouderd" signal.

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

from werkpad.domain.codelists import code_list
from werkpad.domain.lifecycle import ACTIVE_REFERRAL_STATES, REFERRAL
from werkpad.matching.features import DAY_LABELS_NL, DAYS, DEMAND_LABELS_NL, DEMANDS
from werkpad.matching.geo import TRANSPORT, TRANSPORT_LABELS_NL
from werkpad.services.audit import record_change
from werkpad.services.caseload import age_on
from werkpad.services.fields import Fields
from werkpad.services.matching import save_work_profile
from werkpad.services.transitions import check_step, log_transition
from werkpad.store.models import Assessment, Candidate, Referral, Route, User
from werkpad.store.models import WorkProfile as WorkProfileRecord

__all__ = ["ACTIVE_REFERRAL_STATES"]
MAX_TEXT = 2000
MAX_RADIUS_KM = 200
# The form's multi-valued fields (checkbox groups): each a list of codes.
PROFILE_LIST_FIELDS = (
    "wished_occupations",
    "wished_sectors",
    "experience",
    "skills",
    "days",
    "restriction_codes",
)
_LISTS: dict[str, tuple[str, tuple[str, ...] | str]] = {
    "wished_occupations": ("Gewenste beroepen", "occupation"),
    "wished_sectors": ("Gewenste sectoren", "sector"),
    "experience": ("Werkervaring", "occupation"),
    "skills": ("Vaardigheden en competenties", "skill"),
    "days": ("Dagen", DAYS),
    "restriction_codes": ("Beperkingen", DEMANDS),
}


def work_profile_choices() -> dict[str, list[tuple[str, str]]]:
    """(code, Dutch label) per list of the work profile form."""
    return {
        "wished_occupations": [(c.code, c.label_nl) for c in code_list("occupation")],
        "wished_sectors": [(c.code, c.label_nl) for c in code_list("sector")],
        "experience": [(c.code, c.label_nl) for c in code_list("occupation")],
        "skills": [(c.code, c.label_nl) for c in code_list("skill")],
        "days": list(DAY_LABELS_NL.items()),
        "restriction_codes": list(DEMAND_LABELS_NL.items()),
        "transport": list(TRANSPORT_LABELS_NL.items()),
        "language_level": [(c.code, c.label_nl) for c in code_list("language_level")],
    }


def _codes_of(data: Mapping[str, Any], name: str) -> list[str]:
    raw = data.get(name)
    if raw is None or raw == "":
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [str(x).strip() for x in items if str(x).strip()]


def clean_work_profile(f: Fields, *, today: date) -> tuple[dict[str, Any], date | None]:
    """The work profile fields for ``save_work_profile`` and the date it was confirmed with
    the candidate; problems are collected in ``f`` (Dutch, at the field)."""
    values: dict[str, Any] = {}
    for name, (label, known) in _LISTS.items():
        codes = _codes_of(f.data, name)
        allowed = set(known) if isinstance(known, tuple) else {c.code for c in code_list(known)}
        unknown = [c for c in codes if c not in allowed]
        if unknown:
            f.fail(name, f"{label}: onbekende keuze '{unknown[0][:40]}'.")
        values[name] = sorted(set(codes))
    if not values["wished_occupations"] and not values["wished_sectors"]:
        f.fail("wished_occupations", "Kies minstens één gewenst beroep of één sector.")
    if not values["days"]:
        f.fail("days", "Kies minstens één dag waarop de kandidaat kan werken.")
    hours_min = f.integer(
        "hours_min", "Minimaal uren per week", required=True, minimum=1, maximum=60
    )
    hours_max = f.integer(
        "hours_max", "Maximaal uren per week", required=True, minimum=1, maximum=60
    )
    if hours_min is not None and hours_max is not None and hours_max < hours_min:
        f.fail("hours_max", "Maximaal uren per week is kleiner dan het minimum.")
    transport = str(f.data.get("transport") or "").strip()
    if not transport:
        f.fail("transport", "Vervoer is verplicht.")
    elif transport not in TRANSPORT:
        f.fail("transport", "Vervoer: kies lopen, fiets, ov of auto.")
    radius = f.integer(
        "radius_km", "Maximale reisafstand (km)", required=True, minimum=0, maximum=MAX_RADIUS_KM
    )
    language = f.code("language_level", "Taalniveau Nederlands", "language_level")
    available_from = f.date("available_from", "Beschikbaar vanaf")
    confirmed = f.date("confirmed_on", "Datum bevestigd met de kandidaat", required=True)
    if confirmed is not None and confirmed > today:
        f.fail("confirmed_on", "Datum bevestigd ligt in de toekomst.")
    note = f.text("restrictions", "Beperkingen in eigen woorden", max_length=MAX_TEXT)
    values.update(
        restrictions=values.pop("restriction_codes"),
        hours_min=hours_min,
        hours_max=hours_max,
        transport=transport,
        radius_km=radius,
        driving_licence=f.flag("driving_licence"),
        language_level=language,
        available_from=available_from,
        note=note,
    )
    return values, confirmed


def _active_referral(session: Session, candidate_id: int) -> Referral | None:
    return session.scalar(
        select(Referral).where(
            Referral.candidate_id == candidate_id, Referral.state.in_(ACTIVE_REFERRAL_STATES)
        )
    )


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
    """Refer a candidate to matching with their structured work profile (one transaction: the
    referral, the profile and its confirmation date, or nothing); one active referral per
    candidate. The candidate is in the matching pool, and so in every vacancy's matches, at
    once."""
    f = Fields(data)
    wishes = f.text("work_wishes", "Werkwensen in eigen woorden", max_length=MAX_TEXT)
    availability = f.text("availability", "Beschikbaarheid", max_length=MAX_TEXT)
    restrictions = f.text("restrictions", "Beperkingen in eigen woorden", max_length=MAX_TEXT)
    profile, confirmed = clean_work_profile(f, today=today)
    if _active_referral(session, candidate.id) is not None:
        f.fail("work_wishes", "Deze kandidaat is al aangemeld bij matching.")
    f.raise_if_invalid()
    assert confirmed is not None
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
    save_work_profile(session, user, candidate.id, today=confirmed, **profile)
    return referral


def confirm_work_profile(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any], *, today: date
) -> WorkProfileRecord:
    """Update the work profile of a referred candidate and confirm it on the given date: this
    clears the "werkprofiel verouderd" signal and matching uses the new profile at once."""
    f = Fields(data)
    profile, confirmed = clean_work_profile(f, today=today)
    if _active_referral(session, candidate.id) is None:
        f.fail("confirmed_on", "Deze kandidaat is niet aangemeld bij matching.")
    f.raise_if_invalid()
    assert confirmed is not None
    return save_work_profile(session, user, candidate.id, today=confirmed, **profile)


def work_profile_of(session: Session, candidate_id: int) -> WorkProfileRecord | None:
    return session.scalar(
        select(WorkProfileRecord).where(WorkProfileRecord.candidate_id == candidate_id)
    )


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
