"""Hand-checked fixtures for the KPI functions: small frames whose answers are worked out by
hand in the comments."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from werkpad.analytics.caseload import flows_by_year, open_routes_at
from werkpad.analytics.cohort_outflow import divosa_outflow_rate
from werkpad.analytics.cooccurrence import gos_cooccurrence
from werkpad.analytics.coverage import language_coverage
from werkpad.analytics.definitions import kpi_definitions, success_definition
from werkpad.analytics.dropout import dropout_by_benefit_duration
from werkpad.analytics.durability import durability
from werkpad.analytics.durations import (
    provision_waits,
    route_duration_distribution,
    waiting_time_by_year,
)
from werkpad.analytics.kpis import REGISTRY
from werkpad.analytics.ladder import ladder_moves, ladder_rise_by_provision_type
from werkpad.analytics.reach import reach_by_segment, segment_at_route_start
from werkpad.analytics.suppression import suppress
from werkpad.analytics.targets import Target, targets_vs_realisation

T = pd.Timestamp


def test_gos_cooccurrence_is_conditional_on_the_row_code() -> None:
    # Route 1: PS, PS5; route 2: PS5 (twice); route 3: PS, PS1, PS5.
    provisions = pd.DataFrame(
        {
            "route_id": [1, 1, 2, 2, 3, 3, 3],
            "gos_code": ["PS", "PS5", "PS5", "PS5", "PS", "PS1", "PS5"],
        }
    )
    matrix = gos_cooccurrence(provisions, ["PS", "PS1", "PS5"])
    assert matrix.loc["PS", "PS5"] == 100.0  # both PS routes have PS5
    assert matrix.loc["PS5", "PS"] == pytest.approx(200 / 3)  # 2 of the 3 PS5 routes have PS
    assert matrix.loc["PS1", "PS"] == 100.0
    assert matrix.loc["PS", "PS1"] == 50.0
    assert matrix["routes"].tolist() == [2, 1, 3]


def test_dropout_is_banded_by_benefit_duration_at_route_start() -> None:
    routes = pd.DataFrame(
        {
            "route_id": [1, 2, 3, 4, 5],
            "person": [1, 2, 3, 4, 5],
            "start_date": [T("2020-01-01")] * 5,
            "end_date": [T("2020-06-01")] * 4 + [pd.NaT],
            "end_reason": ["STOPPED", "JOB", "STOPPED", "STOPPED", None],
        }
    )
    spells = pd.DataFrame(
        {
            # 1 and 2: 3 months on benefit; 3: 12 months; 4: no spell; 5: route still open.
            "person": [1, 2, 3, 5],
            "start_date": [T("2019-10-01"), T("2019-10-01"), T("2019-01-01"), T("2010-01-01")],
            "end_date": [pd.NaT] * 4,
        }
    )
    result = dropout_by_benefit_duration(routes, spells)
    assert result.loc["< 6 maanden"].tolist() == [2, 1, 50.0]
    assert result.loc["6-24 maanden"].tolist() == [1, 1, 100.0]
    assert result.loc["> 24 maanden", "ended"] == 0
    assert result.loc["geen uitkering"].tolist() == [1, 1, 100.0]


def test_route_durations_fall_in_left_closed_month_bands() -> None:
    routes = pd.DataFrame(
        {
            "start_date": [T("2020-01-01")] * 4,
            "end_date": [T("2020-02-01"), T("2020-05-01"), T("2021-12-01"), pd.NaT],
        }
    )
    result = route_duration_distribution(routes)
    assert result["routes"].tolist() == [1, 1, 0, 0, 1]
    assert result["share_pct"].sum() == pytest.approx(100.0)


def test_waits_run_from_the_latest_earlier_end_skip_overlaps_and_stop_after_an_open_one() -> None:
    provisions = pd.DataFrame(
        {
            "route_id": [1, 1, 1, 2, 2],
            "start_date": [T("2020-01-01"), T("2020-01-10"), T("2020-03-01"), T("2020-01-01"),
                           T("2020-05-01")],
            "end_date": [T("2020-02-01"), T("2020-01-20"), T("2020-04-01"), pd.NaT,
                         T("2020-06-01")],
        }
    )  # fmt: skip
    waits = provision_waits(provisions)
    # Route 1: the second starts while the first runs (side by side, no wait), the third
    # 2020-02-01 -> 2020-03-01 = 29 days after the latest earlier end; route 2: open first.
    assert waits["wait_days"].tolist() == [29]
    by_year = waiting_time_by_year(provisions)
    assert by_year.loc[2020, "waits"] == 1
    assert by_year.loc[2020, "median_days"] == 29
    assert by_year.loc[2020, "long_pct"] == 100.0


def test_a_provision_starting_on_the_day_the_earlier_one_ends_waits_zero_days() -> None:
    provisions = pd.DataFrame(
        {
            "route_id": [1, 1, 1],
            "start_date": [T("2020-01-01"), T("2020-02-01"), T("2020-02-20")],
            "end_date": [T("2020-02-01"), T("2020-02-10"), T("2020-03-01")],
        }
    )
    assert provision_waits(provisions)["wait_days"].tolist() == [0, 10]


def test_durability_judges_each_horizon_only_on_old_enough_exits() -> None:
    routes = pd.DataFrame(
        {
            "route_id": [1, 2],
            "person": [1, 2],
            "end_date": [T("2020-01-01"), T("2020-01-01")],
            "end_reason": ["JOB", "JOB"],
        }
    )
    # Person 1 is back on benefit after 8 months: durable at 6, not at 12 or 18.
    spells = pd.DataFrame({"person": [1], "start_date": [T("2020-09-01")]})
    result = durability(
        routes, spells, work_reasons=["JOB"], reference_date=date(2021, 3, 1)
    ).set_index(["months", "year"])
    assert result.loc[(6, "2020"), "durable_pct"] == 100.0
    assert result.loc[(12, "2020"), "durable_pct"] == 50.0
    assert result.loc[(12, "2020"), "returned_pct"] == 50.0
    assert (18, "2020") not in result.index  # 18 months have not passed yet


def test_language_coverage_counts_need_below_b1_and_recent_language_provisions() -> None:
    spells = pd.DataFrame(
        {"person": [1, 2, 3, 4], "start_date": [T("2019-01-01")] * 4, "end_date": [pd.NaT] * 4}
    )
    assessments = pd.DataFrame(
        {
            "person": [1, 2, 3, 4, 4],
            "assessed_on": [T("2019-02-01")] * 4 + [T("2020-02-01")],
            "segment": ["DH_B", "DH_B", "DH_B", "DH_C", "DH_C"],
            "language_level": ["A1", "A2", "B1", "A0", "B2"],  # person 4 improved to B2
        }
    )
    routes = pd.DataFrame({"route_id": [10, 20], "person": [1, 2]})
    provisions = pd.DataFrame(
        {
            "route_id": [10, 20],
            "start_date": [T("2020-01-01"), T("2017-01-01")],  # 2's provision is too old
            "is_language": [True, True],
        }
    )
    result = language_coverage(
        spells, assessments, routes, provisions, reference_date=date(2020, 6, 30)
    )
    assert result.loc["DH_B"].tolist() == [3, 2, 1, 50.0]
    assert result.loc["DH_C", "need"] == 0
    assert result.loc["Totaal", "population"] == 4


def test_divosa_rate_divides_work_closures_by_the_average_stock() -> None:
    dossiers = pd.DataFrame(
        {
            "dossier_id": [1, 2, 3, 4],
            "person": [1, 2, 3, 4],
            "opened_on": [T("2018-01-01"), T("2018-01-01"), T("2018-01-01"), T("2019-03-01")],
            "closed_on": [T("2019-05-01"), T("2019-06-01"), pd.NaT, pd.NaT],
        }
    )
    spells = pd.DataFrame(
        {
            "dossier_id": [1.0, 2.0],
            "end_date": [T("2019-05-01"), T("2019-06-01")],
            "end_reason": ["WORK", "MOVED"],
        }
    )
    result = divosa_outflow_rate(dossiers, spells, years=[2019], work_reasons=["WORK"])
    # Stock 3 on 1 January, 2 on 31 December: average 2.5; one closure for work.
    assert result.loc[2019].tolist() == [1, 2.5, 40.0]
    flows = flows_by_year(dossiers, spells, [2019]).set_index(["flow", "reason"])
    assert flows.loc[("instroom", "Totaal"), "dossiers"] == 1
    assert flows.loc[("uitstroom", "WORK"), "dossiers"] == 1
    assert flows.loc[("uitstroom", "Totaal"), "dossiers"] == 2


def test_open_routes_count_each_person_once_per_date() -> None:
    routes = pd.DataFrame(
        {
            "person": [1, 1, 2],
            "start_date": [T("2020-01-01"), T("2020-02-01"), T("2020-04-01")],
            "end_date": [pd.NaT, pd.NaT, T("2020-06-30")],
        }
    )
    counts = open_routes_at(routes, [T("2020-03-31"), T("2020-06-30"), T("2020-09-30")])
    assert counts.tolist() == [1, 1, 1]


def test_ladder_rise_uses_the_step_before_and_the_latest_within_twelve_months() -> None:
    routes = pd.DataFrame({"route_id": [1, 2, 3], "person": [1, 2, 3]})
    provisions = pd.DataFrame(
        {"route_id": [1, 2, 3], "provision_type": ["X", "X", "Y"],
         "start_date": [T("2020-01-01")] * 3}
    )  # fmt: skip
    assessments = pd.DataFrame(
        {
            "person": [1, 1, 2, 2, 3, 3],
            "assessed_on": [T("2019-06-01"), T("2020-10-01"), T("2019-06-01"), T("2020-05-01"),
                            T("2019-06-01"), T("2021-03-01")],
            "ladder_step": [2, 4, 3, 3, 1, 5],  # 1 rose; 2 stayed; 3 rose only after 12 months
        }
    )  # fmt: skip
    moves = ladder_moves(provisions, routes, assessments)
    assert moves["person"].tolist() == [1, 2]
    result = ladder_rise_by_provision_type(moves)
    assert result.loc["X"].tolist() == [2, 1, 50.0]
    assert "Y" not in result.index


def test_reach_by_segment_uses_the_segment_at_route_start() -> None:
    routes = pd.DataFrame(
        {"route_id": [1, 2], "person": [1, 1], "start_date": [T("2019-03-01"), T("2020-03-01")]}
    )
    assessments = pd.DataFrame(
        {"person": [1, 1], "assessed_on": [T("2019-01-01"), T("2020-01-01")],
         "segment": ["DH_C", "DH_A"]}
    )  # fmt: skip
    provisions = pd.DataFrame(
        {"provision_id": [1, 2], "route_id": [1, 2], "provision_type": ["P", "Q"],
         "start_date": [T("2019-04-01"), T("2020-04-01")]}
    )  # fmt: skip
    result = reach_by_segment(routes, provisions, segment_at_route_start(routes, assessments))
    assert result[["year", "segment", "routes", "provisions"]].values.tolist() == [
        [2020, "DH_A", 1, 1],
        [2019, "DH_C", 1, 1],
    ]


def test_suppression_hides_small_counts_and_their_shares() -> None:
    table = pd.DataFrame({"count": [3, 25, 0], "share_pct": [10.7, 89.3, 0.0]})
    shown, hidden = suppress(table, ["count"], dependent={"share_pct": "count"})
    assert shown["count"].tolist() == ["<10", 25, 0]
    assert shown["share_pct"].tolist() == ["<10", 89.3, 0.0]
    assert hidden == 2
    _, none_hidden = suppress(table, ["count"], threshold=3)
    assert none_hidden == 0


def test_targets_compare_realisation_with_the_bounds() -> None:
    results = pd.DataFrame(
        {
            "kpi_id": ["caseload_net_change"] * 2,
            "measure": ["reduction"] * 2,
            "group": ["Totaal"] * 2,
            "period": ["2019", "2020"],
            "value": [65.0, 12.0],
        }
    )
    target = Target("LV", "x", "caseload_net_change", "reduction", "Totaal", 2019, 2021, 30.0,
                    None, "")  # fmt: skip
    frame = targets_vs_realisation([target], results)
    assert frame["met"].tolist() == [True, False, None]


def test_every_defined_kpi_has_a_function_and_a_kind() -> None:
    definitions = kpi_definitions()
    assert set(definitions) - {"targets"} == set(REGISTRY)
    assert {d.kind for d in definitions.values()} == {"output", "outcome"}
    assert success_definition("DURABLE_6M").durable_months == 6
    with pytest.raises(ValueError, match="Onbekende succesdefinitie"):
        success_definition("FOREVER")
