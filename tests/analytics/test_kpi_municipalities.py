"""Figures per municipality and for the service, on a hand-built snapshot: a move between two
municipalities of the service is outflow and inflow for each, neither for the service."""

from __future__ import annotations

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
