"""A municipality that has just started (an empty database, or routes but no placement yet)
gets every KPI computed, with empty or zero figures rather than an error."""

from __future__ import annotations

from datetime import date

from werkpad.analytics.definitions import kpi_definitions
from werkpad.analytics.kpis import KpiContext, compute_kpis
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
    assert len(results) > 0 and (results["value"] == 0).all()
    assert set(results["period"]) == {"2021", "2022", "2023", "2024"}
