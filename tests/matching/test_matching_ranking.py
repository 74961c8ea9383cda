"""Ranking: the weighted score orders candidates, ties go to the lower id, k cuts the list."""

from __future__ import annotations

from dataclasses import replace

import pytest
from matching_support import GEO, candidate, vacancy

from werkpad.matching.config import MatchSettings, Weights
from werkpad.matching.features import encode
from werkpad.matching.reference import assess_pair
from werkpad.matching.score import top_candidates, top_vacancies

SETTINGS = MatchSettings()


def test_better_fitting_candidate_ranks_first_and_scores_add_up_to_the_contributions() -> None:
    ideal = candidate(5)
    other_sector = candidate(3, wished_sectors=frozenset({"CARE"}))
    weak = candidate(
        4,
        wished_occupations=frozenset(),
        experience=frozenset(),
        skills=frozenset(),
        language_level="A1",
    )
    vac = vacancy()
    ranked = top_candidates(encode([weak, other_sector, ideal], [vac], SETTINGS, GEO), k=3)[1]
    assert ranked.ids.tolist() == [5, 3, 4]
    for cid, milli in zip(ranked.ids.tolist(), ranked.milli.tolist(), strict=True):
        c = {3: other_sector, 4: weak, 5: ideal}[cid]
        assert milli == assess_pair(c, vac, SETTINGS, GEO).total_milli


def test_equal_scores_are_ordered_by_candidate_id() -> None:
    same = [candidate(i) for i in (9, 2, 7, 4)]
    ranked = top_candidates(encode(same, [vacancy()], SETTINGS, GEO), k=4)[1]
    assert ranked.ids.tolist() == [2, 4, 7, 9]
    assert len(set(ranked.milli.tolist())) == 1


def test_top_k_keeps_the_lowest_ids_among_tied_candidates_at_the_cut() -> None:
    best = candidate(50, skills=frozenset({"VCA", "teamspeler", "HACCP"}))
    tied = [candidate(i, skills=frozenset({"VCA"})) for i in range(100, 80, -1)]
    ranked = top_candidates(encode([*tied, best], [vacancy()], SETTINGS, GEO), k=4)[1]
    assert ranked.ids.tolist() == [50, 81, 82, 83]


def test_closer_candidate_wins_when_everything_else_is_equal() -> None:
    near = candidate(2, postcode4="2512")  # 0 km
    far = candidate(1, postcode4="2513")  # 3 km
    ranked = top_candidates(encode([far, near], [vacancy()], SETTINGS, GEO), k=2)[1]
    assert ranked.ids.tolist() == [2, 1]


def test_weights_are_configuration_and_change_the_ranking() -> None:
    sector_fan = candidate(1, wished_occupations=frozenset(), experience=frozenset())
    occupation_fan = candidate(2, wished_sectors=frozenset(), experience=frozenset())
    vac = vacancy()
    default = top_candidates(encode([sector_fan, occupation_fan], [vac], SETTINGS, GEO), k=2)
    assert default[1].ids.tolist() == [2, 1]  # occupation 20 > sector 15
    sector_first = replace(SETTINGS, weights=Weights(sector=40))
    reweighted = top_candidates(encode([sector_fan, occupation_fan], [vac], sector_first, GEO), k=2)
    assert reweighted[1].ids.tolist() == [1, 2]


def test_lks_candidate_prefers_vacancies_suitable_for_lks() -> None:
    lks = candidate(1, loonwaarde_pct=60)
    plain = vacancy(1, suitable_for_lks=False)
    suitable = vacancy(2, suitable_for_lks=True)
    ranked = top_vacancies(encode([lks], [plain, suitable], SETTINGS, GEO), k=2)[1]
    assert ranked.ids.tolist() == [2, 1]
    assert ranked.milli[0] - ranked.milli[1] == SETTINGS.weights.milli("lks")


def test_vacancies_for_a_candidate_rank_by_score_then_vacancy_id() -> None:
    c = candidate(1)
    vacs = [vacancy(3), vacancy(1), vacancy(2, sector="CARE", occupation="Zorgassistent")]
    ranked = top_vacancies(encode([c], vacs, SETTINGS, GEO), k=3)[1]
    assert ranked.ids.tolist() == [1, 3, 2]


def test_weights_must_be_whole_non_negative_points() -> None:
    with pytest.raises(ValueError, match="geheel getal"):
        Weights(sector=-1)
    with pytest.raises(ValueError, match="som"):
        Weights(**dict.fromkeys(Weights.__dataclass_fields__, 0))
    with pytest.raises(ValueError, match="onbekend criterium"):
        MatchSettings.from_dict({"weights": {"salaris": 5}})
    assert MatchSettings.from_dict({"weights": {"travel": 30}}).weights.travel == 30
