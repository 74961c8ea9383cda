"""Loonkostensubsidie (LKS) placements: how many, at what loonwaarde, hours and cost, and how
many last (Den Haag recommendation 7: the national LKS budget follows realisation).

Definitions (version 1):

* An **LKS placement** is a placement with the instrument ``LKS``.
* Per year: ``started`` (start date in the year), ``running`` on 31 December (or on the
  reference date in the current year), the mean ``loonwaarde_pct`` of the LKS instrument and the
  mean ``hours_per_week`` of the placements started, and ``spending``: the cost lines booked on
  the cost item ``LKS`` in the year.
* **In work at 12 months**: of the LKS placements started in the year whose twelve months have
  passed by the reference date (``judged``), the share whose placement had not ended within
  those twelve months.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd

from werkpad.analytics._frames import open_on, share_of

INSTRUMENT = "LKS"
MEASURES = [
    "started",
    "running",
    "mean_loonwaarde_pct",
    "mean_hours",
    "spending",
    "judged",
    "in_work_12m",
    "in_work_12m_pct",
]


def lks_placements(placements: pd.DataFrame, instruments: pd.DataFrame) -> pd.DataFrame:
    """The placements with an LKS instrument, with that instrument's ``loonwaarde_pct``."""
    if placements.empty or instruments.empty:
        return placements.iloc[0:0].assign(loonwaarde_pct=pd.Series(dtype="Float64"))
    lks = instruments[instruments["instrument"] == INSTRUMENT]
    lks = lks.drop_duplicates("placement_id")[["placement_id", "loonwaarde_pct"]]
    return placements.merge(lks, on="placement_id", how="inner")


def _mean(frame: pd.DataFrame, column: str) -> float:
    if column not in frame.columns:
        return float("nan")
    values = pd.to_numeric(frame[column], errors="coerce").astype("float64").dropna()
    return float(values.mean()) if len(values) else float("nan")


def lks_by_year(
    placements: pd.DataFrame,
    instruments: pd.DataFrame,
    cost_lines: pd.DataFrame,
    *,
    years: Collection[int],
    reference_date: date,
) -> pd.DataFrame:
    """year and MEASURES (see the module docstring)."""
    ref = pd.Timestamp(reference_date)
    lks = lks_placements(placements, instruments)
    rows = []
    for year in years:
        on = min(pd.Timestamp(year, 12, 31), ref)
        started = lks[lks["start_date"].dt.year == year]
        running = int(open_on(lks["start_date"], lks["end_date"], on).sum()) if len(lks) else 0
        spent = cost_lines[
            (cost_lines["cost_item"] == INSTRUMENT) & (cost_lines["booked_on"].dt.year == year)
        ]["amount"].sum() if len(cost_lines) else 0.0  # fmt: skip
        twelve = started["start_date"] + pd.DateOffset(months=12)
        judged = started[twelve <= ref]
        judged_twelve = judged["start_date"] + pd.DateOffset(months=12)
        lasted = int((judged["end_date"].isna() | (judged["end_date"] >= judged_twelve)).sum())
        rows.append(
            {
                "year": year,
                "started": len(started),
                "running": running,
                "mean_loonwaarde_pct": _mean(started, "loonwaarde_pct"),
                "mean_hours": _mean(started, "hours_per_week"),
                "spending": float(spent),
                "judged": len(judged),
                "in_work_12m": lasted,
                "in_work_12m_pct": share_of(lasted, len(judged)),
            }
        )
    return pd.DataFrame(rows, columns=["year", *MEASURES])
