"""A municipality that has just started (an empty database, or routes but no placement yet)
gets every KPI computed, with empty or zero figures rather than an error."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd

from werkpad.analytics.definitions import kpi_definitions
from werkpad.analytics.kpis import KpiContext, compute_kpis, kpi_job_exits_by_type
from werkpad.services.snapshot import load_snapshot
from werkpad.store.db import make_engine

REF = date(2024, 6, 30)


def test_every_kpi_computes_on_an_empty_database(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    snap = load_snapshot(engine, reference_date=REF)
    engine.dispose()
    results = compute_kpis(snap, KpiContext.for_snapshot(snap))
    assert set(results["kpi_id"]) <= set(kpi_definitions())
    counts = results[results["measure"].isin(["count", "routes", "placements"])]
    assert (counts["value"].fillna(0) == 0).all()


def test_job_exits_by_type_is_empty_not_an_error_without_placements(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    snap = load_snapshot(engine, reference_date=REF)
    engine.dispose()
    results = compute_kpis(snap, KpiContext.for_snapshot(snap), ["job_exits_by_type"])
    # No recorded history at all: every year is "no data", not a count of 0.
    assert len(results) > 0 and results["value"].isna().all()
    assert set(results["period"]) == {"2021", "2022", "2023", "2024"}


def test_job_exits_are_no_data_before_the_history_starts_and_zero_after() -> None:
    routes = pd.DataFrame({"start_date": pd.to_datetime(["2023-03-01"])})
    placements = pd.DataFrame({"job_type": ["6"], "start_date": pd.to_datetime(["2024-02-01"])})
    snap = SimpleNamespace(routes=routes, placements=placements)
    ctx = KpiContext(reference_date=REF, years=[2021, 2022, 2023, 2024])
    results = kpi_job_exits_by_type(snap, ctx)  # type: ignore[arg-type]
    total = results[results["group"] == "Totaal"].set_index("period")["value"]
    assert total[["2021", "2022"]].isna().all()
    assert total["2023"] == 0 and total["2024"] == 1
