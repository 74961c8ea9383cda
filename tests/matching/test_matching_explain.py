"""Every criterion is explained in plain Dutch, and the lines add up to the score."""

from __future__ import annotations

from datetime import date

from matching_support import GEO, candidate, vacancy

from werkpad.matching.config import MatchSettings
from werkpad.matching.explain import lines, staleness_text, summary
from werkpad.matching.features import CandidateProfile, VacancyProfile
from werkpad.matching.reference import assess_pair
from werkpad.matching.results import rank_candidates_for

SETTINGS = MatchSettings()


def _texts(c: CandidateProfile, v: VacancyProfile) -> dict[str, str]:
    pair = assess_pair(c, v, SETTINGS, GEO)
    return {ln.criterion: ln.text for ln in lines(pair)}


def test_a_good_fit_reads_as_sector_fits_travel_time_and_language_meets() -> None:
    texts = _texts(candidate(), vacancy(postcode4="2512"))
    assert texts["sector"] == "sector past (Logistiek)"
    assert texts["occupation"] == "beroep past bij wens (Orderpicker)"
    assert texts["experience"] == "werkervaring als Orderpicker"
    # 3 km by bike: 2 min + 3 km x 1.3 detour at 15 km/h = 17.6 min.
    assert texts["travel"] == "reistijd 18 min (fiets, 3,0 km)"
    assert texts["language"] == "taalniveau voldoet (B1, gevraagd B1)"
    assert texts["skills"] == "alle gevraagde vaardigheden"
    assert texts["lks"] == "volledige loonwaarde"


def test_shortfalls_are_named() -> None:
    c = candidate(
        language_level="A2",
        education_level="NONE",
        skills=frozenset({"VCA"}),
        wished_sectors=frozenset({"CARE"}),
        days=frozenset({"MA", "DI", "WO"}),
        loonwaarde_pct=55,
    )
    v = vacancy(
        skills=frozenset({"VCA", "HACCP", "teamspeler"}),
        days=frozenset({"MA", "DI", "ZA"}),
        education_min="MBO",
    )
    texts = _texts(c, v)
    assert texts["language"] == "taalniveau lager dan gevraagd (A2, gevraagd B1)"
    assert texts["education"] == (
        "opleiding lager dan gevraagd (Geen / basisonderwijs, gevraagd Mbo 2-4 / havo / vwo)"
    )
    assert texts["skills"] == "vaardigheden 1 van 3 (mist: HACCP, teamspeler)"
    assert texts["sector"] == "sector niet gewenst (Logistiek)"
    assert texts["days"] == "beschikbaar op 2 van 3 dagen (niet: za)"
    assert texts["lks"] == "loonwaarde 55%: vacature niet geschikt voor LKS of garantiebaan"


def test_language_one_level_below_earns_half_and_two_levels_below_nothing() -> None:
    one_below = assess_pair(candidate(language_level="A2"), vacancy(), SETTINGS, GEO)
    two_below = assess_pair(candidate(language_level="A1"), vacancy(), SETTINGS, GEO)
    lang = SETTINGS.weights.milli("language")
    assert [c.milli for c in one_below.contributions if c.criterion == "language"] == [lang // 2]
    assert [c.milli for c in two_below.contributions if c.criterion == "language"] == [0]


def test_points_of_the_lines_add_up_to_the_result_score() -> None:
    c = candidate(skills=frozenset({"VCA"}), postcode4="2513")
    results = rank_candidates_for(vacancy(), [c], SETTINGS, GEO, today=date(2026, 1, 1))
    (result,) = results
    assert round(sum(ln.points for ln in result.lines) * 1000) == result.milli
    assert result.score_pct == result.milli / (SETTINGS.weights.total * 10)
    assert "vaardigheden 1 van 2 (mist: teamspeler)" in [ln.text for ln in result.lines]


def test_a_profile_not_confirmed_for_too_long_is_flagged_stale() -> None:
    today = date(2026, 6, 1)
    assert staleness_text(date(2026, 5, 1), today, 90) == ""
    assert staleness_text(date(2026, 1, 1), today, 90) == (
        "profiel verouderd: laatst bevestigd op 01-01-2026"
    )
    assert staleness_text(None, today, 90) == "profiel nooit bevestigd"
    stale = candidate(last_confirmed_on=date(2025, 1, 1))
    (result,) = rank_candidates_for(vacancy(), [stale], SETTINGS, GEO, today=today)
    assert result.warning.startswith("profiel verouderd")


def test_summary_of_an_excluded_pair_gives_the_reasons() -> None:
    pair = assess_pair(
        candidate(driving_licence=False), vacancy(driving_licence=True), SETTINGS, GEO
    )
    assert summary(pair) == "rijbewijs gevraagd, kandidaat heeft geen rijbewijs"
