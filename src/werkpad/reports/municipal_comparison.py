"""The service's report with its municipalities side by side with the service total: inflow
and outflow of dossiers by reason and the clients on 31 December, one column per municipality
and one for the service, with primary and secondary suppression across all of them at once.

The service column nets out moves within the service, so for the move reasons and the flow
totals it is *less* than the sum of the municipalities. Suppression treats every row as if the
service column were the sum (``total_column``): for the other rows that is exactly true, for
the move rows and totals it only adds equations, so it can hide more than needed, never less.
One small-cell threshold holds for the whole service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from werkpad.analytics.suppression import has_secondary, suppress
from werkpad.domain.codelists import code_list

SERVICE = "Dienst (totaal)"
FLOW_LABEL = {"instroom": "Instroom", "uitstroom": "Uitstroom"}
REASON_LISTS = {"instroom": "benefit_inflow_reason", "uitstroom": "benefit_end_reason"}


@dataclass(frozen=True)
class ComparisonTable:
    title: str
    columns: list[str]  # the first is the row label
    rows: list[list[str]]
    hidden: int
    secondary: bool


def _flows(results: pd.DataFrame, year: int) -> pd.Series:
    part = results[
        (results["kpi_id"] == "inflow_outflow_by_reason") & (results["period"] == str(year))
    ]
    return part.set_index(["group", "subgroup"])["value"]


def _stock(results: pd.DataFrame, year: int) -> float:
    part = results[
        (results["kpi_id"] == "caseload_net_change")
        & (results["measure"] == "stock")
        & (results["period"] == str(year))
    ]
    return float(part["value"].iloc[0]) if not part.empty else float("nan")


def _label(flow: str, reason: str) -> str:
    if reason == "Totaal":
        return f"{FLOW_LABEL[flow]}: totaal"
    found = code_list(REASON_LISTS[flow]).get(reason)
    return found.label_nl if found else reason


def _render(frame: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    def cell(value: object) -> str:
        if isinstance(value, str):
            return value
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return ""
        return "" if pd.isna(number) else f"{int(number):,}".replace(",", ".")

    return [[str(r["label"]), *[cell(r[c]) for c in columns]] for _, r in frame.iterrows()]


def flows_side_by_side(
    per_municipality: Mapping[str, pd.DataFrame],
    service: pd.DataFrame,
    *,
    year: int,
    threshold: int,
) -> ComparisonTable:
    """Inflow and outflow by reason in ``year``: a row per flow and reason (a total row per
    flow), a column per municipality and the service; every count under ``threshold`` hidden
    and as many others as needed so that none can be recomputed from rows or columns."""
    names = list(per_municipality)
    series = {name: _flows(results, year) for name, results in per_municipality.items()}
    series[SERVICE] = _flows(service, year)
    keys = sorted(
        {key for s in series.values() for key in s.index},
        key=lambda k: (k[0], k[1] == "Totaal", _label(*k)),
    )
    frame = pd.DataFrame(
        {name: [float(s.get(key, 0.0)) for key in keys] for name, s in series.items()}
    )
    frame.insert(0, "flow", [k[0] for k in keys])
    frame.insert(1, "label", [_label(*k) for k in keys])
    frame["is_total"] = [k[1] == "Totaal" for k in keys]
    columns = [*names, SERVICE]
    shown, hidden = suppress(
        frame,
        columns,
        threshold=threshold,
        total_rows=frame["is_total"],
        block="flow",
        total_column=SERVICE,
    )
    return ComparisonTable(
        f"Instroom en uitstroom per reden, {year}: gemeenten naast de dienst",
        ["Reden", *columns],
        _render(shown, columns),
        hidden,
        has_secondary(shown),
    )


def clients_side_by_side(
    per_municipality: Mapping[str, pd.DataFrame],
    service: pd.DataFrame,
    *,
    year: int,
    threshold: int,
) -> ComparisonTable:
    """Open dossiers on 31 December of ``year`` per municipality and for the service."""
    names = list(per_municipality)
    values = {name: _stock(results, year) for name, results in per_municipality.items()}
    values[SERVICE] = _stock(service, year)
    frame = pd.DataFrame({name: [value] for name, value in values.items()})
    frame.insert(0, "label", [f"Klanten op 31-12-{year}"])
    columns = [*names, SERVICE]
    shown, hidden = suppress(frame, columns, threshold=threshold, total_column=SERVICE)
    return ComparisonTable(
        f"Klanten (open uitkeringsdossiers) op 31 december {year}",
        ["", *columns],
        _render(shown, columns),
        hidden,
        has_secondary(shown),
    )
