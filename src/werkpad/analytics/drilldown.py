"""The routes behind a dashboard figure, chosen with the same rules the figure was counted by.

A drill-down names the KPI, a group (end reason code, benefit-duration band or durability
horizon in months) and a year where the figure has one. :func:`drill_routes` returns one row
per route (``route_id``, ``person``, ``start_date``, ``end_date``, ``end_reason`` and, for
durability, ``durable``), so its length equals the count in the figure it came from.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from werkpad.analytics import dropout, job_exits, scope
from werkpad.analytics.snapshot import Snapshot
from werkpad.domain.codelists import code_list

ROUTE_COLUMNS = ["route_id", "person", "start_date", "end_date", "end_reason"]
DRILLABLE = ("route_end_reasons", "reach", "dropout_by_benefit_duration", "durability")


class UnknownDrill(ValueError):
    """The request names no figure that can be drilled into."""


@dataclass(frozen=True)
class Drill:
    kpi_id: str
    group: str = ""
    year: int | None = None

    def describe(self) -> str:
        """A Dutch description of the rows behind the figure."""
        if self.kpi_id == "route_end_reasons":
            reason = code_list("route_end_reason").label(self.group)
            period = f" in {self.year}" if self.year is not None else ""
            return f"Routes beëindigd{period} met reden '{reason}'"
        if self.kpi_id == "reach":
            return f"Routes gestart in {self.year}"
        if self.kpi_id == "dropout_by_benefit_duration":
            return f"Tussentijds gestopte routes, uitkeringsduur {self.group}"
        return f"Uitstroom naar werk in {self.year}, beoordeeld na {self.group} maanden"


def drill_routes(
    snap: Snapshot,
    drill: Drill,
    *,
    years: Collection[int],
    work_reasons: Collection[str],
) -> pd.DataFrame:
    """The routes counted in the figure ``drill`` points at, over the period ``years``."""
    routes = snap.routes
    if drill.kpi_id == "route_end_reasons":
        chosen = scope.routes_ended_in(routes, _years(drill, years))
        chosen = chosen[chosen["end_reason"] == drill.group]
    elif drill.kpi_id == "reach":
        if drill.year is None:
            raise UnknownDrill("Kies een jaar.")
        chosen = scope.started_in(routes, [drill.year])
    elif drill.kpi_id == "dropout_by_benefit_duration":
        if drill.group not in [*dropout.BANDS, dropout.NO_BENEFIT]:
            raise UnknownDrill(f"Onbekende uitkeringsduur '{drill.group}'.")
        ended = scope.routes_ended_in(routes, _years(drill, years))
        bands = dropout.duration_band(dropout.benefit_months_at_start(ended, snap.benefit_spells))
        in_band = set(bands[bands == drill.group].index)
        chosen = ended[
            ended["route_id"].isin(in_band) & (ended["end_reason"] == dropout.DROPOUT_REASON)
        ]
    elif drill.kpi_id == "durability":
        return _durability(snap, drill, work_reasons)
    else:
        raise UnknownDrill(f"Voor '{drill.kpi_id}' is geen lijst beschikbaar.")
    return chosen[ROUTE_COLUMNS].sort_values("route_id").reset_index(drop=True)


def _years(drill: Drill, years: Collection[int]) -> list[int]:
    return [drill.year] if drill.year is not None else list(years)


def _durability(snap: Snapshot, drill: Drill, work_reasons: Collection[str]) -> pd.DataFrame:
    if drill.year is None or not drill.group.isdigit():
        raise UnknownDrill("Kies een jaar en een termijn in maanden.")
    exits = job_exits.work_exits(snap.routes, work_reasons)
    judged = job_exits.durable_exits(
        exits, snap.benefit_spells, reference_date=snap.reference_date, months=int(drill.group)
    )
    judged = judged[judged["exit_date"].dt.year == drill.year]
    rows = snap.routes.merge(judged[["route_id", "durable"]], on="route_id", how="inner")
    return rows[[*ROUTE_COLUMNS, "durable"]].sort_values("route_id").reset_index(drop=True)
