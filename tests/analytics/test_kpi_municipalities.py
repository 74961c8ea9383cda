"""Figures per municipality and for the service, on a hand-built snapshot: a move between two
municipalities of the service is outflow and inflow for each, neither for the service."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.analytics.municipalities import for_municipality, service_total
from werkpad.analytics.snapshot import Snapshot

T = pd.Timestamp


def _snapshot() -> Snapshot:
    # Person 1 moves from municipality 1 to 2 on 1 June 2017; person 2 stays in 1 and leaves
    # for work in 2017; person 3 arrives in 2 from the COA.
    dossiers = pd.DataFrame(
        {
            "dossier_id": [10, 11, 20, 30],
            "person": [1, 1, 2, 3],
            "opened_on": [T("2016-03-01"), T("2017-06-01"), T("2016-05-01"), T("2017-02-01")],
            "closed_on": [T("2017-05-31"), pd.NaT, T("2017-09-30"), pd.NaT],
            "municipality_id": [1, 2, 1, 2],
            "moved_from_dossier_id": pd.array([None, 10, None, None], dtype="Int64"),
        }
    )
    spells = pd.DataFrame(
        {
            "person": [1, 1, 2, 3],
            "benefit_type": "PW",
            "start_date": dossiers["opened_on"],
            "end_date": dossiers["closed_on"],
            "dossier_id": [10, 11, 20, 30],
            "end_reason": ["MOVED", None, "WORK", None],
            "application_date": dossiers["opened_on"],
            "inflow_reason": ["JOB_ENDED", "MOVED_IN", "ZW_WW_ENDED", "COA_NEWCOMER"],
        }
    )
    empty_routes = pd.DataFrame(
        {
            c: pd.Series(dtype=t)
            for c, t in (
                ("route_id", "int64"),
                ("person", "int64"),
                ("team_id", "int64"),
                ("route_type", object),
                ("start_date", "datetime64[ns]"),
                ("end_date", "datetime64[ns]"),
                ("end_reason", object),
            )
        }
    )
    return Snapshot(
        date(2017, 12, 31),
        routes=empty_routes,
        provisions=pd.DataFrame({"route_id": pd.Series(dtype="int64")}),
        placements=pd.DataFrame({"placement_id": pd.Series(dtype="int64")}),
        benefit_spells=spells,
        dossiers=dossiers,
        municipalities=pd.DataFrame(
            {"municipality_id": [1, 2], "name": ["Lisse", "Hillegom"], "cbs_code": ["0553", "0534"]}
        ),
    )


def _flows(snap: Snapshot) -> dict[tuple[str, str], float]:
    results = compute_kpis(snap, KpiContext.for_snapshot(snap, years=[2017]),
                           ["inflow_outflow_by_reason"])  # fmt: skip
    return {(r.group, r.subgroup): r.value for r in results.itertuples(index=False)}


def test_each_municipality_counts_a_move_as_outflow_and_inflow() -> None:
    snap = _snapshot()
    lisse = _flows(for_municipality(snap, 1))
    hillegom = _flows(for_municipality(snap, 2))
    assert lisse == {
        ("uitstroom", "MOVED"): 1,
        ("uitstroom", "WORK"): 1,
        ("uitstroom", "Totaal"): 2,
    }
    assert hillegom == {
        ("instroom", "MOVED_IN"): 1,
        ("instroom", "COA_NEWCOMER"): 1,
        ("instroom", "Totaal"): 2,
    }


def test_the_service_total_counts_a_move_within_it_as_neither() -> None:
    service = _flows(for_municipality(_snapshot(), None))
    assert service == {
        ("instroom", "COA_NEWCOMER"): 1,
        ("instroom", "Totaal"): 1,
        ("uitstroom", "WORK"): 1,
        ("uitstroom", "Totaal"): 1,
    }


def test_the_service_keeps_one_dossier_per_chain_of_moves_in_its_last_municipality() -> None:
    joined = service_total(_snapshot()).dossiers.set_index("dossier_id")
    assert sorted(joined.index) == [10, 20, 30]
    assert joined.loc[10, "municipality_id"] == 2
    assert pd.isna(joined.loc[10, "closed_on"])
    assert joined.loc[10, "opened_on"] == T("2016-03-01")


def test_a_person_belongs_to_the_municipality_of_their_latest_dossier() -> None:
    snap = _snapshot()
    persons = pd.DataFrame({"person": [1, 2, 3], "team_id": [1, 1, 1]})
    from dataclasses import replace

    snap = replace(snap, persons=persons)
    assert sorted(for_municipality(snap, 1).persons["person"]) == [2]
    assert sorted(for_municipality(snap, 2).persons["person"]) == [1, 3]


def test_a_snapshot_without_moves_is_the_service_total_unchanged() -> None:
    snap = _snapshot()
    dossiers = snap.dossiers.assign(moved_from_dossier_id=pd.array([None] * 4, dtype="Int64"))
    from dataclasses import replace

    plain = replace(snap, dossiers=dossiers)
    assert service_total(plain) is plain


def _with_routes_and_staff(snap: Snapshot) -> Snapshot:
    routes = pd.DataFrame(
        {
            "route_id": [1, 2, 3],
            "person": [1, 2, 3],
            "team_id": 1,
            "route_type": "WORK_12M",
            "start_date": [T("2017-01-01")] * 3,
            "end_date": [pd.NaT] * 3,
            "end_reason": [None] * 3,
        }
    )
    staff = pd.DataFrame({"team_id": [1, 1], "role": "KLANTMANAGER", "fte": [1.0, 0.5]})
    fte = pd.DataFrame({"municipality_id": [2, 2], "year": [2016, 2017], "fte": [0.8, 0.4]})
    return replace(snap, routes=routes, staff=staff, municipality_fte=fte)


def _per_fte(snap: Snapshot) -> dict[tuple[str, str], float]:
    results = compute_kpis(snap, KpiContext.for_snapshot(snap, years=[2017]),
                           ["caseload_per_fte"])  # fmt: skip
    q4 = results[results["period"] == "2017-Q4"]
    return {(r.period, r.measure): r.value for r in q4.itertuples(index=False)}


def test_a_municipality_divides_its_caseload_by_the_fte_stated_for_it_that_year() -> None:
    snap = _with_routes_and_staff(_snapshot())
    # Persons 1 (moved in) and 3 live in municipality 2 at the end of 2017: 2 / 0.4 fte.
    lisse = _per_fte(for_municipality(snap, 2))
    assert lisse[("2017-Q4", "caseload")] == 2
    assert lisse[("2017-Q4", "fte")] == 0.4
    assert lisse[("2017-Q4", "per_fte")] == 5.0
    # The service divides by its klantmanagers' FTE, as before.
    service = _per_fte(for_municipality(snap, None))
    assert (service[("2017-Q4", "fte")], service[("2017-Q4", "per_fte")]) == (1.5, 2.0)
    # A municipality without a stated formation has no caseload per FTE of its own.
    other = _per_fte(for_municipality(snap, 1))
    assert pd.isna(other[("2017-Q4", "per_fte")])
