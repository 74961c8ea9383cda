"""Units per measure and Dutch formatting of KPI values for people."""

from __future__ import annotations

import pytest

from werkpad.analytics.units import code_label, format_value, measure_unit


@pytest.mark.parametrize(
    ("kpi_id", "measure", "unit"),
    [
        ("reach", "candidates", "aantal"),
        ("regular_job_share", "placements", "aantal"),  # a count inside a percentage KPI
        ("regular_job_share", "share_pct", "procent"),
        ("net_cost_per_route", "units", "aantal"),  # a count inside a money KPI
        ("net_cost_per_route", "per_unit", "euro"),
        ("budget_vs_actual", "difference", "euro"),
        ("provision_waiting_time", "median_days", "dagen"),
        ("caseload_per_fte", "per_fte", "aantal per fte"),
        ("targets", "met", "ja/nee"),
    ],
)
def test_each_measure_has_its_own_unit(kpi_id: str, measure: str, unit: str) -> None:
    assert measure_unit(kpi_id, measure) == unit


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (145.0, "aantal", "145"),
        (12345.0, "aantal", "12.345"),
        (-65.0, "aantal", "-65"),
        (412.5, "aantal", "412,5"),  # an average stock
        (46.24, "procent", "46,2%"),
        (3194867.4, "euro", "€ 3.194.867"),
        (11.25, "fte", "11,2"),
        (343.0, "dagen", "343 dagen"),
        (1.0, "ja/nee", "ja"),
        (None, "aantal", "–"),
        (float("nan"), "procent", "–"),
    ],
)
def test_values_are_written_the_dutch_way(value: float | None, unit: str, text: str) -> None:
    assert format_value(value, unit) == text


def test_codes_get_their_dutch_label_and_other_groups_none() -> None:
    assert code_label("reach", "DH_A") == "A: op korte termijn aan het werk"
    assert code_label("job_exits_by_type", "6") == "Reguliere (fulltime) baan"
    assert code_label("reach", "Totaal") == ""
    assert code_label("durability", "6 maanden") == ""
    assert code_label("gos_cooccurrence", "PS7", subgroup=True) == "Borgen plaatsing"
