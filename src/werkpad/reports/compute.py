"""Read the snapshot and compute the KPI set: the one entry point for the CLI and the report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.analytics.snapshot import Snapshot
from werkpad.reports.municipal_comparison import (
    ComparisonTable,
    clients_side_by_side,
    flows_side_by_side,
)
from werkpad.services.clock import Clock
from werkpad.services.figures import Figures
from werkpad.services.indicator_settings import kpi_settings
from werkpad.services.municipalities import list_municipalities
from werkpad.services.targets import targets_for


def kpi_results(
    engine: Engine,
    *,
    reference_date: date | None = None,
    years: Iterable[int] | None = None,
    success: str | None = None,
    ids: Iterable[str] | None = None,
    figures: Figures | None = None,
    municipality_id: int | None = None,
) -> tuple[Snapshot, KpiContext, pd.DataFrame]:
    """Snapshot on ``reference_date`` (default: the municipality's today, which a demo database
    freezes), the context (with the municipality's settings of the figures) and the tidy result
    set. The snapshot comes from ``figures`` (a long-lived process passes its own, so it is
    loaded once per figures version). ``municipality_id`` narrows every figure to one
    municipality of the service; without it the figures are the service's, internal moves
    netted out (docs/municipalities.md)."""
    ref = reference_date or Clock(engine).today()
    snap = (figures or Figures(engine)).current().municipal_snapshot(ref, municipality_id)
    ctx = KpiContext.for_snapshot(snap, years=years, success=success)
    ctx = replace(
        ctx.with_settings(kpi_settings(engine)), targets=targets_for(engine, municipality_id)
    )
    return snap, ctx, compute_kpis(snap, ctx, ids)


def years_up_to(year: int, count: int = 4) -> list[int]:
    return list(range(year - count + 1, year + 1))


def select_year(results: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows about ``year`` (a year or one of its quarters) and rows without a period."""
    period = results["period"].astype(str)
    keep = (period == "") | (period == str(year)) | period.str.startswith(f"{year}-")
    return results[keep].reset_index(drop=True)


def to_records(results: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready rows: NaN becomes None."""
    clean = results.astype(object).where(results.notna(), None)
    return clean.to_dict(orient="records")  # type: ignore[return-value]


COMPARED_KPIS = ("inflow_outflow_by_reason", "caseload_net_change")


def service_comparison(
    engine: Engine,
    reference_date: date,
    year: int,
    threshold: int,
    *,
    figures: Figures | None = None,
) -> list[ComparisonTable]:
    """The service's municipalities side by side with its total (empty for a single
    municipality): flows by reason and clients at year end, suppressed across all columns."""
    places = list_municipalities(engine)
    if len(places) <= 1:
        return []
    figures = figures or Figures(engine)
    years = years_up_to(year)

    def results(municipality_id: int | None) -> pd.DataFrame:
        return kpi_results(
            engine,
            reference_date=reference_date,
            years=years,
            ids=COMPARED_KPIS,
            figures=figures,
            municipality_id=municipality_id,
        )[2]

    per_place = {m.name: results(m.id) for m in places}
    service = results(None)
    return [
        flows_side_by_side(per_place, service, year=year, threshold=threshold),
        clients_side_by_side(per_place, service, year=year, threshold=threshold),
    ]
