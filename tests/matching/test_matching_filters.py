"""Hard filters: hours, travel radius, driving licence and restrictions exclude a pair."""

from __future__ import annotations

from matching_support import GEO, candidate, vacancy

from werkpad.matching.config import MatchSettings
from werkpad.matching.explain import exclusions
from werkpad.matching.features import CandidateProfile, VacancyProfile, encode
from werkpad.matching.reference import assess_pair
from werkpad.matching.score import top_candidates

SETTINGS = MatchSettings()


def _engine_ids(cands: list[CandidateProfile], vac: VacancyProfile) -> list[int]:
    ranked = top_candidates(encode(cands, [vac], SETTINGS, GEO), k=10)
    return [int(i) for i in ranked[vac.vacancy_id].ids]


def test_vacancy_hours_outside_the_candidates_range_exclude_the_pair_in_both_engines() -> None:
    fits = candidate(1, hours_min=16, hours_max=24)
    too_few = candidate(2, hours_min=8, hours_max=20)
    too_many = candidate(3, hours_min=28, hours_max=36)
    vac = vacancy(hours=24)
    assert _engine_ids([fits, too_few, too_many], vac) == [1]
    text = exclusions(assess_pair(too_few, vac, SETTINGS, GEO))
    assert text == ["uren passen niet: 24 uur gevraagd, beschikbaar 8-20 uur"]


def test_workplace_beyond_the_travel_radius_excludes_the_pair() -> None:
    near = candidate(1, radius_km=5.0)  # vacancy at 3 km
    far = candidate(2, radius_km=5.0, postcode4="2514")  # 9 km away
    vac = vacancy(postcode4="2512")
    assert _engine_ids([near, far], vac) == [1]
    assert exclusions(assess_pair(far, vac, SETTINGS, GEO)) == [
        "buiten reisafstand: 9,0 km, maximaal 5,0 km"
    ]


def test_radius_is_inclusive_at_exactly_the_limit() -> None:
    at_limit = candidate(1, radius_km=3.0)
    assert _engine_ids([at_limit], vacancy(postcode4="2512")) == [1]


def test_unknown_home_postcode_passes_the_radius_filter_with_no_travel_points() -> None:
    unknown = candidate(1, postcode4=None, radius_km=1.0)
    vac = vacancy(postcode4="2514")
    pair = assess_pair(unknown, vac, SETTINGS, GEO)
    assert not pair.excluded
    travel = next(c for c in pair.contributions if c.criterion == "travel")
    assert travel.milli == 0
    assert _engine_ids([unknown], vac) == [1]


def test_required_driving_licence_excludes_candidates_without_one() -> None:
    with_licence = candidate(1, driving_licence=True)
    without = candidate(2, driving_licence=False)
    vac = vacancy(driving_licence=True)
    assert _engine_ids([with_licence, without], vac) == [1]
    assert exclusions(assess_pair(without, vac, SETTINGS, GEO)) == [
        "rijbewijs gevraagd, kandidaat heeft geen rijbewijs"
    ]
    assert _engine_ids([with_licence, without], vacancy(driving_licence=False)) == [1, 2]


def test_a_demand_the_candidate_cannot_meet_excludes_the_pair() -> None:
    no_lifting = candidate(1, restrictions=frozenset({"HEAVY_LIFTING"}))
    no_nights = candidate(2, restrictions=frozenset({"NIGHT"}))
    vac = vacancy(demands=frozenset({"HEAVY_LIFTING", "SHIFTS"}))
    assert _engine_ids([no_lifting, no_nights], vac) == [2]
    assert exclusions(assess_pair(no_lifting, vac, SETTINGS, GEO)) == ["beperking: zwaar tillen"]


def test_every_failed_filter_is_listed_not_only_the_first() -> None:
    c = candidate(1, hours_max=20, driving_licence=False, restrictions=frozenset({"SHIFTS"}))
    vac = vacancy(hours=32, driving_licence=True, demands=frozenset({"SHIFTS"}))
    assert [e.rule for e in assess_pair(c, vac, SETTINGS, GEO).exclusions] == [
        "HOURS",
        "LICENCE",
        "RESTRICTION",
    ]


def test_a_vacancy_nobody_passes_returns_an_empty_ranking() -> None:
    cands = [candidate(i, driving_licence=False) for i in range(1, 30)]
    assert _engine_ids(cands, vacancy(driving_licence=True)) == []
