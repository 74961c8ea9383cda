"""Matching reads and writes against the store: settings, geography, profiles in, explained
rankings out. The matching engine (``werkpad.matching``) scores; this module feeds it from the
database. Callers commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.orm import Session

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.lifecycle import ACTIVE_REFERRAL_STATES
from werkpad.matching.config import MatchSettings
from werkpad.matching.features import CandidateProfile, VacancyProfile, vacancy_from_record
from werkpad.matching.geo import Centroid, Geo, demo_geo, postcode4, read_centroids
from werkpad.matching.results import MatchResult, rank_candidates_for, rank_vacancies_for
from werkpad.services.audit import record_change
from werkpad.store.models import (
    Assessment,
    Candidate,
    Employer,
    PostcodeCentroid,
    Referral,
    Setting,
    User,
    Vacancy,
    WorkProfile,
)

SETTING_KEY = "matching"


# --- configuration --------------------------------------------------------------------------


def load_settings(session: Session) -> MatchSettings:
    row = session.get(Setting, SETTING_KEY)
    return MatchSettings.from_dict(row.value if row else None)


def save_settings(session: Session, settings: MatchSettings) -> None:
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        session.add(Setting(key=SETTING_KEY, value=settings.to_dict()))
    else:
        row.value = settings.to_dict()


def load_geo(session: Session) -> Geo:
    """Centroids from the database; the packaged demo table while none were imported."""
    rows = session.scalars(select(PostcodeCentroid)).all()
    if not rows:
        return demo_geo()
    return Geo.from_centroids(Centroid(r.postcode4, r.lat, r.lon, r.place or "") for r in rows)


def import_centroids(session: Session, path: Path | None = None) -> int:
    """Replace the centroid table with a CSV (postcode4,lat,lon,place); the demo one if None."""
    try:
        centroids = read_centroids(path)
    except ValueError as exc:
        raise ValidationFailed([FieldError("bestand", str(exc))]) from exc
    session.execute(delete(PostcodeCentroid))
    session.add_all(
        PostcodeCentroid(postcode4=c.postcode4, lat=c.lat, lon=c.lon, place=c.place or None)
        for c in {c.postcode4: c for c in centroids}.values()
    )
    session.flush()
    return len({c.postcode4 for c in centroids})


# --- loading profiles and vacancies ---------------------------------------------------------


def _latest_assessments(session: Session, ids: Iterable[int] | None) -> dict[int, Any]:
    query = select(
        Assessment.candidate_id, Assessment.language_level, Assessment.loonwaarde_pct
    ).order_by(Assessment.candidate_id, Assessment.assessed_on, Assessment.id)
    if ids is not None:
        query = query.where(Assessment.candidate_id.in_(list(ids)))
    return {row.candidate_id: row for row in session.execute(query)}


def candidate_profiles(
    session: Session, candidate_ids: Iterable[int] | None = None
) -> list[CandidateProfile]:
    """Work profiles of candidates with an active referral (or of the given candidates).

    Language level and loonwaarde fall back to the latest assessment when the profile has none.
    """
    query = select(WorkProfile, Candidate).join(Candidate, Candidate.id == WorkProfile.candidate_id)
    ids = list(candidate_ids) if candidate_ids is not None else None
    if ids is None:
        active = select(Referral.candidate_id).where(Referral.state.in_(ACTIVE_REFERRAL_STATES))
        query = query.where(WorkProfile.candidate_id.in_(active))
    else:
        query = query.where(WorkProfile.candidate_id.in_(ids))
    rows = session.execute(query.order_by(WorkProfile.candidate_id)).all()
    latest = _latest_assessments(session, ids)
    out = []
    for wp, cand in rows:
        a = latest.get(cand.id)
        out.append(
            CandidateProfile(
                candidate_id=cand.id,
                name=cand.full_name,
                postcode4=postcode4(cand.postcode),
                hours_min=wp.hours_min,
                hours_max=wp.hours_max,
                radius_km=float(wp.radius_km),
                transport=wp.transport,
                wished_occupations=frozenset(wp.wished_occupations or []),
                wished_sectors=frozenset(wp.wished_sectors or []),
                experience=frozenset(wp.experience or []),
                skills=frozenset(wp.skills or []),
                days=frozenset(wp.days or []),
                driving_licence=wp.driving_licence,
                language_level=wp.language_level or (a.language_level if a else None),
                education_level=cand.education_level,
                loonwaarde_pct=wp.loonwaarde_pct
                if wp.loonwaarde_pct is not None
                else (a.loonwaarde_pct if a else None),
                restrictions=frozenset(wp.restrictions or []),
                last_confirmed_on=wp.last_confirmed_on,
            )
        )
    return out


def vacancy_open_on(day: date) -> ColumnElement[bool]:
    """SQL condition: the vacancy was open on ``day`` (opened by then, not closed before)."""
    return and_(
        Vacancy.opened_on <= day, or_(Vacancy.closed_on.is_(None), Vacancy.closed_on >= day)
    )


def vacancy_profiles(
    session: Session, *, open_on: date | None = None, vacancy_ids: Iterable[int] | None = None
) -> list[VacancyProfile]:
    """Vacancies as profiles: the given ones, or those open on ``open_on``."""
    query = select(Vacancy, Employer.name).join(Employer, Employer.id == Vacancy.employer_id)
    if vacancy_ids is not None:
        query = query.where(Vacancy.id.in_(list(vacancy_ids)))
    if open_on is not None:
        query = query.where(vacancy_open_on(open_on))
    return [
        vacancy_from_record(
            vacancy_id=v.id,
            sector=v.sector,
            hours=v.hours_per_week,
            postcode=v.postcode,
            occupation=v.occupation,
            requirements=v.requirements,
            suitable_for_lks=v.suitable_for_lks,
            suitable_for_garantiebaan=v.suitable_for_garantiebaan,
            title=v.title,
            start_date=v.start_date,
            employer=employer,
        )
        for v, employer in session.execute(query.order_by(Vacancy.id)).all()
    ]


# --- matching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyMatch:
    vacancy: VacancyProfile
    pool_size: int
    results: list[MatchResult]


def candidates_for_vacancy(
    session: Session, vacancy_id: int, *, today: date, top: int = 20
) -> VacancyMatch:
    """The best referred candidates for a vacancy, explained; ValidationFailed if unknown."""
    found = vacancy_profiles(session, vacancy_ids=[vacancy_id])
    if not found:
        raise ValidationFailed([FieldError("vacancy", f"Vacature {vacancy_id} bestaat niet.")])
    pool = candidate_profiles(session)
    settings, geo = load_settings(session), load_geo(session)
    results = rank_candidates_for(found[0], pool, settings, geo, today=today, k=top)
    return VacancyMatch(found[0], len(pool), results)


def vacancies_for_candidate(
    session: Session, candidate_id: int, *, today: date, top: int = 20
) -> list[MatchResult]:
    """The best open vacancies for a candidate with a work profile, explained."""
    found = candidate_profiles(session, [candidate_id])
    if not found:
        raise ValidationFailed(
            [FieldError("candidate", f"Kandidaat {candidate_id} heeft geen werkprofiel.")]
        )
    vacancies = vacancy_profiles(session, open_on=today)
    settings, geo = load_settings(session), load_geo(session)
    return rank_vacancies_for(found[0], vacancies, settings, geo, today=today, k=top)


# --- work profile ---------------------------------------------------------------------------

PROFILE_FIELDS = (
    "wished_occupations",
    "wished_sectors",
    "experience",
    "skills",
    "days",
    "hours_min",
    "hours_max",
    "radius_km",
    "transport",
    "driving_licence",
    "language_level",
    "loonwaarde_pct",
    "restrictions",
    "note",
    "available_from",
)


def save_work_profile(
    session: Session, user: User, candidate_id: int, *, today: date, **values: Any
) -> WorkProfile:
    """Create or update a candidate's work profile and mark it confirmed today."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed([FieldError(f, "Onbekend veld.") for f in sorted(unknown)])
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise ValidationFailed([FieldError("candidate", "Kandidaat bestaat niet.")])
    profile = session.scalar(select(WorkProfile).where(WorkProfile.candidate_id == candidate_id))
    merged: dict[str, Any] = {f: getattr(profile, f) for f in PROFILE_FIELDS} if profile else {}
    merged.update(values)
    try:
        CandidateProfile(
            candidate_id=candidate_id,
            postcode4=None,
            hours_min=int(merged.get("hours_min") or 0),
            hours_max=int(merged.get("hours_max") or 0),
            radius_km=float(merged.get("radius_km") or 0),
            transport=str(merged.get("transport") or ""),
            days=frozenset(merged.get("days") or []),
            restrictions=frozenset(merged.get("restrictions") or []),
        )
    except ValueError as exc:
        raise ValidationFailed([FieldError("werkprofiel", str(exc))]) from exc
    lw = merged.get("loonwaarde_pct")
    if lw is not None and not 0 <= int(lw) <= 100:
        raise ValidationFailed([FieldError("loonwaarde_pct", "Loonwaarde ligt tussen 0 en 100.")])
    action = "UPDATE"
    if profile is None:
        profile = WorkProfile(candidate_id=candidate_id)
        session.add(profile)
        action = "CREATE"
    for name, value in merged.items():
        setattr(profile, name, sorted(value) if isinstance(value, set | frozenset) else value)
    profile.last_confirmed_on = today
    profile.updated_by_id = user.id
    session.flush()
    record_change(session, user, action, "work_profile", profile.id, purpose="Werkprofiel")
    return profile
