"""The vectorised engine ranks exactly like the per-pair reference (property test)."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from werkpad.matching.config import MatchSettings, Weights
from werkpad.matching.features import (
    DAYS,
    DEMANDS,
    EDUCATION_LEVELS,
    LANGUAGE_LEVELS,
    CandidateProfile,
    VacancyProfile,
    encode,
)
from werkpad.matching.geo import TRANSPORT, demo_geo
from werkpad.matching.reference import rank_candidates, rank_vacancies
from werkpad.matching.score import top_candidates, top_vacancies
from werkpad.synth.matching_profiles import synthetic_candidates, synthetic_vacancies

GEO = demo_geo()
PLACES = sorted(GEO.xy)[:40]
SECTORS = ["LOGISTICS", "CARE", "RETAIL"]
OCCUPATIONS = ["Orderpicker", "Zorgassistent", "Vakkenvuller", "Bezorger"]
SKILLS = ["VCA", "HACCP", "klantgericht", "teamspeler"]


def _set(items: list[str], max_size: int | None = None) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(items), max_size=max_size or len(items))


@st.composite
def candidates(draw: st.DrawFn, candidate_id: int) -> CandidateProfile:
    low = draw(st.integers(1, 40))
    return CandidateProfile(
        candidate_id=candidate_id,
        postcode4=draw(st.sampled_from([*PLACES, None])),
        hours_min=low,
        hours_max=draw(st.integers(low, 40)),
        radius_km=float(draw(st.sampled_from([0, 2, 5, 8, 15]))),
        transport=draw(st.sampled_from(list(TRANSPORT))),
        wished_occupations=draw(_set(OCCUPATIONS, 2)),
        wished_sectors=draw(_set(SECTORS, 2)),
        experience=draw(_set(OCCUPATIONS, 2)),
        skills=draw(_set(SKILLS)),
        days=draw(_set(list(DAYS))),
        driving_licence=draw(st.booleans()),
        language_level=draw(st.sampled_from([*LANGUAGE_LEVELS, None])),
        education_level=draw(st.sampled_from([*EDUCATION_LEVELS, None])),
        loonwaarde_pct=draw(st.sampled_from([None, 40, 80, 100])),
        restrictions=draw(_set(list(DEMANDS), 2)),
    )


@st.composite
def vacancies(draw: st.DrawFn, vacancy_id: int) -> VacancyProfile:
    return VacancyProfile(
        vacancy_id=vacancy_id,
        sector=draw(st.sampled_from(SECTORS)),
        occupation=draw(st.sampled_from([*OCCUPATIONS, None])),
        hours=draw(st.integers(8, 40)),
        postcode4=draw(st.sampled_from([*PLACES, None, "9999"])),
        education_min=draw(st.sampled_from([*EDUCATION_LEVELS, None])),
        language_min=draw(st.sampled_from([*LANGUAGE_LEVELS, None])),
        driving_licence=draw(st.booleans()),
        demands=draw(_set(list(DEMANDS), 1)),
        skills=draw(_set(SKILLS, 3)),
        days=draw(_set(list(DAYS), 3)),
        suitable_for_lks=draw(st.booleans()),
        suitable_for_garantiebaan=draw(st.booleans()),
    )


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[CandidateProfile], list[VacancyProfile]]:
    n_c = draw(st.integers(1, 40))
    n_v = draw(st.integers(1, 6))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n_c, max_size=n_c, unique=True))
    cands = [draw(candidates(i)) for i in ids]
    vacs = [draw(vacancies(i)) for i in range(1, n_v + 1)]
    return cands, vacs


# Travel keeps at least one point so the weights never sum to zero.
weights = st.builds(
    Weights,
    **{
        name: st.integers(1 if name == "travel" else 0, 30) for name in Weights.__dataclass_fields__
    },
)


@settings(max_examples=100, deadline=None)
@given(pool=pools(), w=weights, k=st.integers(1, 12), max_minutes=st.sampled_from([20.0, 60.0]))
def test_vectorised_top_candidates_equal_the_reference_ranking(
    pool: tuple[list[CandidateProfile], list[VacancyProfile]],
    w: Weights,
    k: int,
    max_minutes: float,
) -> None:
    cands, vacs = pool
    cfg = MatchSettings(weights=w, max_travel_minutes=max_minutes)
    engine = top_candidates(encode(cands, vacs, cfg, GEO), k=k, block=4)
    for v in vacs:
        ref = rank_candidates(cands, v, cfg, GEO, k)
        assert engine[v.vacancy_id].ids.tolist() == [a.candidate_id for a in ref]
        assert engine[v.vacancy_id].milli.tolist() == [a.total_milli for a in ref]


@settings(max_examples=60, deadline=None)
@given(pool=pools(), k=st.integers(1, 8))
def test_vectorised_top_vacancies_equal_the_reference_ranking(
    pool: tuple[list[CandidateProfile], list[VacancyProfile]], k: int
) -> None:
    cands, vacs = pool
    cfg = MatchSettings()
    engine = top_vacancies(encode(cands, vacs, cfg, GEO), k=k, block=7)
    for c in cands:
        ref = rank_vacancies(c, vacs, cfg, GEO, k)
        assert engine[c.candidate_id].ids.tolist() == [a.vacancy_id for a in ref]


def test_engines_agree_on_a_realistic_pool_with_many_ties() -> None:
    rng = np.random.default_rng(3)
    cands = synthetic_candidates(rng, 3_000, GEO, today=date(2026, 1, 1))
    vacs = synthetic_vacancies(rng, 12, GEO)
    cfg = MatchSettings()
    engine = top_candidates(encode(cands, vacs, cfg, GEO), k=20, block=5)
    for v in vacs:
        ref = rank_candidates(cands, v, cfg, GEO, 20)
        assert engine[v.vacancy_id].ids.tolist() == [a.candidate_id for a in ref]
