"""Targets against realisation. Targets are data (``targets.csv``): a target names the KPI, the
measure and group it applies to, a year range and a minimum and/or maximum value."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import pandas as pd


@dataclass(frozen=True)
class Target:
    id: str
    label_nl: str
    kpi_id: str
    measure: str
    group: str
    first_year: int
    last_year: int
    minimum: float | None
    maximum: float | None
    source: str


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def load_targets(path: str | None = None) -> list[Target]:
    """Targets from ``path`` or the packaged ``targets.csv``."""
    if path is None:
        text = resources.files("werkpad.analytics").joinpath("targets.csv").read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    rows = csv.DictReader(text.splitlines())
    return [
        Target(
            id=row["id"],
            label_nl=row["label_nl"],
            kpi_id=row["kpi_id"],
            measure=row["measure"],
            group=row["group"],
            first_year=int(row["first_year"]),
            last_year=int(row["last_year"]),
            minimum=_number(row["minimum"]),
            maximum=_number(row["maximum"]),
            source=row["source"],
        )
        for row in rows
    ]


def targets_vs_realisation(targets: list[Target], results: pd.DataFrame) -> pd.DataFrame:
    """One row per target and year: ``realised`` (from the tidy KPI ``results``), the bounds and
    ``met`` (None when nothing was realised that year)."""
    rows = []
    for target in targets:
        chosen = results[
            (results["kpi_id"] == target.kpi_id)
            & (results["measure"] == target.measure)
            & (results["group"] == target.group)
        ]
        for year in range(target.first_year, target.last_year + 1):
            values = chosen.loc[chosen["period"] == str(year), "value"]
            realised = float(values.iloc[0]) if len(values) else None
            met = None
            if realised is not None:
                met = (target.minimum is None or realised >= target.minimum) and (
                    target.maximum is None or realised <= target.maximum
                )
            rows.append(
                (target.id, target.label_nl, year, target.minimum, target.maximum, realised, met)
            )
    return pd.DataFrame(
        rows, columns=["target_id", "label_nl", "year", "minimum", "maximum", "realised", "met"]
    )
