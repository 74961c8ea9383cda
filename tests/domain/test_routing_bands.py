"""Loonwaarde bands a beheerder configures: they must cover 0-100% exactly once."""

from __future__ import annotations

import pytest

from werkpad.domain.routing import Band, RoutingRules, band_problems

HLN: list[Band] = [
    (80, 100, "DIRECT_MEDIATION"),
    (60, 80, "WORK_12M"),
    (30, 60, "SUPPORTED_WORK"),
    (0, 30, "ACTIVATION"),
]
LABELS = {"DIRECT_MEDIATION": "Directe bemiddeling", "WORK_12M": "Werk binnen 12 maanden"}


def test_hln_bands_with_shared_boundaries_are_valid() -> None:
    assert band_problems(HLN, LABELS) == []


def test_bands_meeting_on_whole_percentages_are_valid() -> None:
    assert band_problems([(70, 100, "A"), (40, 69, "B"), (0, 39, "C")]) == []


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([(80, 100, "A"), (60, 75, "B"), (0, 60, "C")], "76-79% valt in geen enkele band."),
        ([(80, 100, "A"), (10, 80, "B")], "0-9% valt in geen enkele band."),
        ([(50, 90, "A"), (0, 50, "B")], "91-100% valt in geen enkele band."),
        (
            [(80, 100, "DIRECT_MEDIATION"), (60, 85, "WORK_12M"), (0, 60, "C")],
            "Werk binnen 12 maanden (60-85%) en Directe bemiddeling (80-100%) overlappen.",
        ),
        ([(0, 100, "A"), (40, 50, "B")], "A (0-100%) en B (40-50%) overlappen."),
        ([(60, 40, "A")], "A (60-40%): de ondergrens moet tussen 0 en 100 liggen"),
        ([], "Geef minstens één loonwaardeband op."),
    ],
)
def test_gaps_overlaps_and_bad_bands_get_a_dutch_message(bands: list[Band], message: str) -> None:
    problems = band_problems(bands, LABELS)
    assert any(p.startswith(message) for p in problems), problems


def test_configured_bands_drive_the_proposal_and_boundaries_go_to_the_higher_band() -> None:
    rules = RoutingRules.from_bands([(0, 49, "ACTIVATION"), (50, 100, "WORK_12M")])
    assert rules.propose(50).route_type == "WORK_12M"  # type: ignore[union-attr]
    assert rules.propose(49).route_type == "ACTIVATION"  # type: ignore[union-attr]
    shared = RoutingRules.from_bands([(0, 50, "ACTIVATION"), (50, 100, "WORK_12M")])
    assert shared.propose(50).route_type == "WORK_12M"  # type: ignore[union-attr]
    threshold = RoutingRules.from_bands(HLN, specialised_threshold=70)
    assert threshold.propose(70).route_type == "SPECIALISED_PROVIDER"  # type: ignore[union-attr]
