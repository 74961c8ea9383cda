"""The per-pair definition of a match: hard filters, then criterion contributions.

This is the plain-Python reference the vectorised engine must agree with, and the source of
every explanation (a result's lines are exactly the contributions that add up to its score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from werkpad.matching.config import CRITERIA, MatchSettings
from werkpad.matching.features import (
    DAYS,
    EDUCATION_LEVELS,
    LANGUAGE_LEVELS,
    CandidateProfile,
    VacancyProfile,
    level_fraction,
    level_index,
    travel_milli,
    unit_milli,
)
from werkpad.matching.geo import Geo, travel_minutes


@dataclass(frozen=True)
class Contribution:
    criterion: str
    milli: int
    max_milli: int
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Exclusion:
    rule: str  # HOURS | RADIUS | LICENCE | RESTRICTION
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PairAssessment:
    candidate_id: int
    vacancy_id: int
    exclusions: tuple[Exclusion, ...]
    contributions: tuple[Contribution, ...]

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)

    @property
    def total_milli(self) -> int:
        return sum(c.milli for c in self.contributions)


def _exclusions(
    c: CandidateProfile, v: VacancyProfile, distance: float | None
) -> tuple[Exclusion, ...]:
    out: list[Exclusion] = []
    if not c.hours_min <= v.hours <= c.hours_max:
        out.append(Exclusion("HOURS", {"hours": v.hours, "min": c.hours_min, "max": c.hours_max}))
    if distance is not None and distance > c.radius_km:
        out.append(Exclusion("RADIUS", {"km": distance, "radius_km": c.radius_km}))
    if v.driving_licence and not c.driving_licence:
        out.append(Exclusion("LICENCE"))
    for code in sorted(v.demands & c.restrictions):
        out.append(Exclusion("RESTRICTION", {"code": code}))
    return tuple(out)


def assess_pair(
    c: CandidateProfile, v: VacancyProfile, settings: MatchSettings, geo: Geo
) -> PairAssessment:
    """Filters and every criterion's milli-points for one candidate and one vacancy."""
    w = settings.weights
    distance = geo.distance_km(c.postcode4, v.postcode4)
    contributions: list[Contribution] = []

    def add(criterion: str, milli: int, **detail: Any) -> None:
        contributions.append(Contribution(criterion, milli, w.milli(criterion), detail))

    occ_wished = v.occupation is not None and v.occupation in c.wished_occupations
    add("occupation", w.milli("occupation") if occ_wished else 0, occupation=v.occupation)
    has_exp = v.occupation is not None and v.occupation in c.experience
    add("experience", w.milli("experience") if has_exp else 0, occupation=v.occupation)
    add("sector", w.milli("sector") if v.sector in c.wished_sectors else 0, sector=v.sector)

    if v.skills:
        missing = sorted(v.skills - c.skills)
        matched = len(v.skills) - len(missing)
        milli = matched * unit_milli(w.milli("skills"), len(v.skills))
        add("skills", milli, matched=matched, asked=len(v.skills), missing=missing)
    else:
        add("skills", w.milli("skills"), matched=0, asked=0, missing=[])

    if distance is None:
        add("travel", 0, minutes=None, km=None, transport=c.transport)
    else:
        minutes = travel_minutes(distance, c.transport)
        milli = travel_milli(w.milli("travel"), minutes, settings.max_travel_minutes)
        add("travel", milli, minutes=minutes, km=distance, transport=c.transport)

    have = level_index(LANGUAGE_LEVELS, c.language_level)
    need = level_index(LANGUAGE_LEVELS, v.language_min)
    add(
        "language",
        round(w.milli("language") * level_fraction(have, need)),
        have=c.language_level if have is not None else None,
        need=v.language_min if need is not None else None,
        below=have is not None and need is not None and have < need,
    )
    have = level_index(EDUCATION_LEVELS, c.education_level)
    need = level_index(EDUCATION_LEVELS, v.education_min)
    add(
        "education",
        round(w.milli("education") * level_fraction(have, need)),
        have=c.education_level if have is not None else None,
        need=v.education_min if need is not None else None,
        below=have is not None and need is not None and have < need,
    )

    if v.days:
        not_available = sorted(v.days - c.days, key=_day_order)
        matched = len(v.days) - len(not_available)
        milli = matched * unit_milli(w.milli("days"), len(v.days))
        add("days", milli, matched=matched, asked=len(v.days), missing=not_available)
    else:
        add("days", w.milli("days"), matched=0, asked=0, missing=[])

    suitable = v.suitable_for_lks or v.suitable_for_garantiebaan
    lks_ok = not c.needs_lks() or suitable
    add(
        "lks",
        w.milli("lks") if lks_ok else 0,
        loonwaarde_pct=c.loonwaarde_pct,
        needs_lks=c.needs_lks(),
        suitable_for_lks=v.suitable_for_lks,
        suitable_for_garantiebaan=v.suitable_for_garantiebaan,
    )
    assert tuple(x.criterion for x in contributions) == CRITERIA
    exclusions = _exclusions(c, v, distance)
    return PairAssessment(c.candidate_id, v.vacancy_id, exclusions, tuple(contributions))


def _day_order(day: str) -> int:
    return DAYS.index(day)


def rank_candidates(
    candidates: Sequence[CandidateProfile],
    vacancy: VacancyProfile,
    settings: MatchSettings,
    geo: Geo,
    k: int = 20,
) -> list[PairAssessment]:
    """The straightforward baseline: assess every pair, drop the excluded, sort, cut."""
    kept = [
        a for a in (assess_pair(c, vacancy, settings, geo) for c in candidates) if not a.excluded
    ]
    kept.sort(key=lambda a: (-a.total_milli, a.candidate_id))
    return kept[:k]


def rank_vacancies(
    candidate: CandidateProfile,
    vacancies: Sequence[VacancyProfile],
    settings: MatchSettings,
    geo: Geo,
    k: int = 20,
) -> list[PairAssessment]:
    kept = [
        a for a in (assess_pair(candidate, v, settings, geo) for v in vacancies) if not a.excluded
    ]
    kept.sort(key=lambda a: (-a.total_milli, a.vacancy_id))
    return kept[:k]
