"""Random but plausible work profiles and vacancies, for the benchmark, tests and demo data."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from werkpad.matching.features import (
    DAYS,
    DEMANDS,
    EDUCATION_LEVELS,
    LANGUAGE_LEVELS,
    WORKDAYS,
    CandidateProfile,
    VacancyProfile,
)
from werkpad.matching.geo import TRANSPORT, Geo
from werkpad.synth.employers import OCCUPATIONS, SKILLS

SECTORS = tuple(OCCUPATIONS)


def _pick(rng: np.random.Generator, items: tuple[str, ...], low: int, high: int) -> frozenset[str]:
    n = int(rng.integers(low, high + 1))
    return frozenset(str(x) for x in rng.choice(items, size=min(n, len(items)), replace=False))


def synthetic_candidates(
    rng: np.random.Generator, n: int, geo: Geo, *, today: date, first_id: int = 1
) -> list[CandidateProfile]:
    places = tuple(sorted(geo.xy))
    modes = tuple(TRANSPORT)
    out = []
    for i in range(n):
        sectors = _pick(rng, SECTORS, 1, 3)
        pool = tuple(o for s in sorted(sectors) for o in OCCUPATIONS[s])
        hours_min = int(rng.integers(4, 33))
        mode = modes[int(rng.choice(4, p=[0.1, 0.4, 0.35, 0.15]))]
        loonwaarde = None if rng.random() < 0.8 else int(rng.integers(30, 100))
        out.append(
            CandidateProfile(
                candidate_id=first_id + i,
                postcode4=None if rng.random() < 0.02 else places[int(rng.integers(len(places)))],
                hours_min=hours_min,
                hours_max=min(40, hours_min + int(rng.integers(0, 17))),
                radius_km=float(rng.choice([3, 5, 8, 10, 15, 25])),
                transport=mode,
                wished_occupations=_pick(rng, pool, 1, 3),
                wished_sectors=sectors,
                experience=_pick(rng, tuple(o for v in OCCUPATIONS.values() for o in v), 0, 2),
                skills=_pick(rng, SKILLS, 0, 4),
                days=WORKDAYS if rng.random() < 0.6 else _pick(rng, DAYS, 2, 7),
                driving_licence=bool(rng.random() < 0.35),
                language_level=None
                if rng.random() < 0.05
                else LANGUAGE_LEVELS[int(rng.integers(len(LANGUAGE_LEVELS)))],
                education_level=EDUCATION_LEVELS[int(rng.integers(len(EDUCATION_LEVELS)))],
                loonwaarde_pct=loonwaarde,
                restrictions=frozenset() if rng.random() < 0.7 else _pick(rng, DEMANDS, 1, 2),
                last_confirmed_on=today - timedelta(days=int(rng.integers(0, 200))),
            )
        )
    return out


def synthetic_vacancies(
    rng: np.random.Generator, n: int, geo: Geo, *, first_id: int = 1
) -> list[VacancyProfile]:
    places = tuple(sorted(geo.xy))
    out = []
    for i in range(n):
        sector = SECTORS[int(rng.integers(len(SECTORS)))]
        occupations = OCCUPATIONS[sector]
        skills = _pick(rng, SKILLS, 0, 3)
        out.append(
            VacancyProfile(
                vacancy_id=first_id + i,
                sector=sector,
                hours=int(np.clip(np.rint(rng.normal(26, 8)), 8, 40)),
                postcode4=places[int(rng.integers(len(places)))],
                occupation=occupations[int(rng.integers(len(occupations)))],
                education_min=None
                if rng.random() < 0.3
                else str(rng.choice(["NONE", "VMBO", "MBO"])),
                language_min=None if rng.random() < 0.2 else str(rng.choice(["A2", "B1", "B2"])),
                driving_licence="rijbewijs B" in skills,
                demands=frozenset() if rng.random() < 0.6 else _pick(rng, DEMANDS, 1, 2),
                skills=skills,
                days=frozenset() if rng.random() < 0.5 else _pick(rng, DAYS, 2, 6),
                suitable_for_lks=bool(rng.random() < 0.3),
                suitable_for_garantiebaan=bool(rng.random() < 0.2),
            )
        )
    return out
