"""Hand-built geography and profiles for the matching tests (distances are exact)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from werkpad.matching.features import CandidateProfile, VacancyProfile
from werkpad.matching.geo import Geo

# Postcode areas on a line: 0, 3, 6 and 12 km east of 2511.
GEO = Geo(
    xy={"2511": (0.0, 0.0), "2512": (3.0, 0.0), "2513": (6.0, 0.0), "2514": (12.0, 0.0)},
    places={"2511": "Centrum", "2512": "Oost", "2513": "Verder", "2514": "Ver weg"},
)


def candidate(candidate_id: int = 1, **kw: Any) -> CandidateProfile:
    base = CandidateProfile(
        candidate_id=candidate_id,
        name=f"Kandidaat {candidate_id}",
        postcode4="2511",
        hours_min=16,
        hours_max=32,
        radius_km=10.0,
        transport="FIETS",
        wished_occupations=frozenset({"Orderpicker"}),
        wished_sectors=frozenset({"LOGISTICS"}),
        experience=frozenset({"Orderpicker"}),
        skills=frozenset({"VCA", "teamspeler"}),
        driving_licence=True,
        language_level="B1",
        education_level="VMBO",
    )
    return replace(base, **kw)


def vacancy(vacancy_id: int = 1, **kw: Any) -> VacancyProfile:
    base = VacancyProfile(
        vacancy_id=vacancy_id,
        title=f"Orderpicker {vacancy_id}",
        sector="LOGISTICS",
        occupation="Orderpicker",
        hours=24,
        postcode4="2512",
        education_min="VMBO",
        language_min="B1",
        skills=frozenset({"VCA", "teamspeler"}),
    )
    return replace(base, **kw)
