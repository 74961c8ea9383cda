"""Narrowing a snapshot to a team or segment, and the drill-down lists behind KPI figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from werkpad.analytics import scope
from werkpad.analytics.drilldown import Drill, UnknownDrill, drill_routes
from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.analytics.snapshot import Snapshot
from werkpad.domain.outcomes import work_end_reasons

T = pd.Timestamp
REF = date(2023, 12, 31)
YEARS = [2020, 2021, 2022, 2023]


def _snapshot() -> Snapshot:
    # Persons 1-3 in team 10, 4-6 in team 20. Routes: 1 JOB 2020, 2 STOPPED 2021, 3 running,
    # 4 STOPPED 2021, 5 JOB 2022 (back on benefit 2022-09), 6 JOB 2021 (person 6 twice).
    routes = pd.DataFrame(
        {
            "route_id": [1, 2, 3, 4, 5, 6, 7],
            "person": [1, 2, 3, 4, 5, 6, 6],
            "team_id": [10, 10, 10, 20, 20, 20, 20],
            "route_type": ["WORK_12M"] * 7,
            "start_date": [T("2020-01-01"), T("2020-06-01"), T("2021-01-01"), T("2020-02-01"),
                           T("2021-03-01"), T("2020-05-01"), T("2022-01-01")],
            "end_date": [T("2020-12-01"), T("2021-05-01"), pd.NaT, T("2021-07-01"),
                         T("2022-03-01"), T("2021-02-01"), pd.NaT],
            "end_reason": ["JOB", "STOPPED", None, "STOPPED", "JOB", "JOB", None],
        }
    )  # fmt: skip
    spells = pd.DataFrame(
        {
            "person": [1, 2, 4, 5, 5],
            "benefit_type": ["PW"] * 5,
            "start_date": [T("2019-01-01"), T("2020-01-01"), T("2017-01-01"), T("2020-01-01"),
                           T("2022-09-01")],
            "end_date": [T("2020-12-01"), pd.NaT, pd.NaT, T("2022-03-01"), pd.NaT],
            "dossier_id": [1, 2, 3, 4, 4],
            "end_reason": [None] * 5,
        }
    )  # fmt: skip
    persons = pd.DataFrame(
        {
            "person": [1, 2, 3, 4, 5, 6],
            "birth_year": [1980] * 6,
            "team_id": [10, 10, 10, 20, 20, 20],
        }
    )
    assessments = pd.DataFrame(
        {
            "person": [1, 1, 2, 4, 5, 6],
            "assessed_on": [T("2019-01-01"), T("2020-03-01"), T("2019-01-01"), T("2019-01-01"),
                            T("2019-01-01"), T("2019-01-01")],
            "scheme": ["DENHAAG"] * 6,
            "segment": ["DH_C", "DH_A", "DH_A", "DH_B", "DH_A", "DH_B"],
            "ladder_step": [3] * 6,
            "language_level": [None] * 6,
        }
    )  # fmt: skip
    provisions = pd.DataFrame(
        {
            "provision_id": [1, 2, 3],
            "route_id": [1, 4, 5],
            "provision_type": ["A", "B", "A"],
            "gos_code": ["PS1", "PS2", "PS1"],
            "start_date": [T("2020-01-10"), T("2020-03-01"), T("2021-04-01")],
            "end_date": [pd.NaT] * 3,
        }
    )
    staff = pd.DataFrame({"team_id": [10, 20, 20], "role": ["KLANTMANAGER"] * 3,
                          "fte": [1.0, 1.0, 0.5]})  # fmt: skip
    return Snapshot(REF, routes, provisions, pd.DataFrame(columns=["route_id"]), spells,
                    persons=persons, assessments=assessments, staff=staff)  # fmt: skip


def test_latest_segment_is_the_last_assessment_with_one() -> None:
    segments = scope.latest_segments(_snapshot().assessments)
    assert segments.to_dict() == {1: "DH_A", 2: "DH_A", 4: "DH_B", 5: "DH_A", 6: "DH_B"}


def test_restrict_by_team_keeps_its_persons_routes_provisions_and_staff() -> None:
    team = scope.restrict(_snapshot(), team_id=20)
    assert sorted(team.routes["route_id"]) == [4, 5, 6, 7]
    assert sorted(team.provisions["provision_id"]) == [2, 3]
    assert sorted(team.benefit_spells["person"].unique()) == [4, 5]
    assert team.staff["fte"].sum() == 1.5


def test_restrict_by_team_and_segment_intersects() -> None:
    both = scope.restrict(_snapshot(), team_id=10, segment="DH_A")
    assert sorted(both.persons["person"]) == [1, 2]
    assert sorted(both.routes["route_id"]) == [1, 2]
    assert scope.restrict(_snapshot(), segment="HM_A").routes.empty


def test_restrict_without_filters_returns_the_same_snapshot() -> None:
    snap = _snapshot()
    assert scope.restrict(snap) is snap


def test_period_helpers_keep_events_in_the_chosen_years() -> None:
    snap = _snapshot()
    assert sorted(scope.ended_in_period(snap, [2021]).routes["route_id"]) == [2, 4, 6]
    assert sorted(scope.started_in_period(snap, [2020]).routes["route_id"]) == [1, 2, 4, 6]
    assert sorted(scope.started_in_period(snap, [2020]).provisions["provision_id"]) == [1, 2]


def _values(results: pd.DataFrame, kpi: str, measure: str) -> pd.DataFrame:
    return results[(results["kpi_id"] == kpi) & (results["measure"] == measure)]


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def test_drill_lists_have_as_many_routes_as_the_figure_counts() -> None:
    snap = _snapshot()
    ctx = KpiContext(reference_date=REF, years=YEARS)
    results = compute_kpis(snap, ctx, ["reach", "durability"])
    ended = compute_kpis(
        scope.ended_in_period(snap, YEARS),
        ctx,
        ["route_end_reasons", "dropout_by_benefit_duration"],
    )
    checked = 0
    reasons = _values(ended, "route_end_reasons", "count")
    for row in _rows(reasons):
        drill = Drill("route_end_reasons", row["group"])
        assert (
            len(drill_routes(snap, drill, years=YEARS, work_reasons=work_end_reasons()))
            == (row["value"])
        )
        checked += 1
    for row in _rows(_values(ended, "dropout_by_benefit_duration", "stopped")):
        drill = Drill("dropout_by_benefit_duration", row["group"])
        assert len(drill_routes(snap, drill, years=YEARS, work_reasons=[])) == row["value"]
        checked += 1
    reach = _values(results, "reach", "routes")
    for row in _rows(reach[(reach["group"] == "Totaal") & (reach["period"] != "totaal")]):
        drill = Drill("reach", year=int(row["period"]))
        assert len(drill_routes(snap, drill, years=YEARS, work_reasons=[])) == row["value"]
        checked += 1
    durable = _values(results, "durability", "exits")
    for row in _rows(durable[durable["period"] != "totaal"]):
        drill = Drill("durability", row["group"].split(" ")[0], int(row["period"]))
        rows = drill_routes(snap, drill, years=YEARS, work_reasons=work_end_reasons())
        assert len(rows) == row["value"]
        checked += 1
    assert checked >= 12


def test_durability_list_marks_the_return_to_benefit() -> None:
    rows = drill_routes(
        _snapshot(), Drill("durability", "12", 2022), years=YEARS, work_reasons=["JOB"]
    )
    assert rows[["route_id", "durable"]].values.tolist() == [[5, False]]


def test_end_reason_list_is_limited_to_the_period_and_year() -> None:
    snap = _snapshot()
    stopped = drill_routes(snap, Drill("route_end_reasons", "STOPPED"), years=YEARS,
                           work_reasons=[])  # fmt: skip
    assert stopped["route_id"].tolist() == [2, 4]
    jobs_2020 = drill_routes(snap, Drill("route_end_reasons", "JOB", 2020), years=YEARS,
                             work_reasons=[])  # fmt: skip
    assert jobs_2020["route_id"].tolist() == [1]
    assert "bsn" not in stopped.columns and "name" not in stopped.columns


@pytest.mark.parametrize(
    "drill",
    [Drill("budget_vs_actual"), Drill("reach"), Drill("durability", "x", 2021),
     Drill("dropout_by_benefit_duration", "altijd")],
)  # fmt: skip
def test_unknown_drill_is_refused(drill: Drill) -> None:
    with pytest.raises(UnknownDrill):
        drill_routes(_snapshot(), drill, years=YEARS, work_reasons=["JOB"])
