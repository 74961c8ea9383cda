"""The long-stay caseload ("granieten bestand"): who has been on benefit longer than 3 and 5
years, and whether anyone still works with them.

Definitions (version 1):

* On each 31 December of the reported years (the reference date in its own year), the persons
  with an open benefit spell.
* **Benefit duration**: from the start of the person's current period on benefit, where spells
  separated by a gap shorter than ``bridge_months`` (default 1) are one period: a short break
  does not reset the clock.
* Counted: ``on_benefit``, ``over_3y`` and ``over_5y`` (duration of at least 3 or 5 years) with
  their shares of ``on_benefit``, and of the over-3-years group the number and share that had a
  contact or a provision start in the 12 months up to the day (``over_3y_seen``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd

from werkpad.analytics._frames import open_on, share_of

DEFAULT_BRIDGE_MONTHS = 1
MEASURES = [
    "on_benefit",
    "over_3y",
    "over_3y_pct",
    "over_5y",
    "over_5y_pct",
    "over_3y_seen",
    "over_3y_seen_pct",
]


def benefit_periods(
    spells: pd.DataFrame, bridge_months: int = DEFAULT_BRIDGE_MONTHS
) -> pd.DataFrame:
    """person, start, end (NaT = open): spells merged where the gap before the next spell is
    shorter than ``bridge_months``."""
    if spells.empty:
        return pd.DataFrame(
            {
                "person": pd.Series(dtype="int64"),
                "start": pd.Series(dtype="datetime64[ns]"),
                "end": pd.Series(dtype="datetime64[ns]"),
            }
        )
    ordered = spells.sort_values(["person", "start_date"], kind="stable")
    far_future = pd.Timestamp.max.normalize()
    end = ordered["end_date"].fillna(far_future)
    running_end = end.groupby(ordered["person"]).cummax()
    previous_end = running_end.groupby(ordered["person"]).shift()
    bridged_until = previous_end.where(
        previous_end == far_future, previous_end + pd.DateOffset(months=bridge_months)
    )
    new_period = previous_end.isna() | (ordered["start_date"] >= bridged_until)
    period = new_period.cumsum()
    merged = pd.DataFrame({"person": ordered["person"], "start": ordered["start_date"], "end": end})
    out = merged.groupby(period).agg(
        person=("person", "first"), start=("start", "min"), end=("end", "max")
    )
    out.loc[out["end"] == far_future, "end"] = pd.NaT
    return out.reset_index(drop=True)


def _seen(contacts: pd.DataFrame, starts: pd.DataFrame, on: pd.Timestamp) -> set[int]:
    since = on - pd.DateOffset(months=12)
    seen: set[int] = set()
    for frame, column in ((contacts, "contact_date"), (starts, "start_date")):
        if len(frame):
            window = frame[(frame[column] > since) & (frame[column] <= on)]
            seen |= set(window["person"])
    return seen


def long_stay(
    spells: pd.DataFrame,
    contacts: pd.DataFrame,
    provisions: pd.DataFrame,
    routes: pd.DataFrame,
    *,
    years: Collection[int],
    reference_date: date,
    bridge_months: int = DEFAULT_BRIDGE_MONTHS,
) -> pd.DataFrame:
    """year and MEASURES (see the module docstring)."""
    ref = pd.Timestamp(reference_date)
    periods = benefit_periods(spells, bridge_months)
    starts = (
        provisions[["route_id", "start_date"]].merge(routes[["route_id", "person"]], on="route_id")
        if len(provisions) and len(routes)
        else pd.DataFrame(columns=["person", "start_date"])
    )
    rows = []
    for year in years:
        on = min(pd.Timestamp(year, 12, 31), ref)
        if on < pd.Timestamp(year, 1, 1):
            continue
        current = (
            periods[open_on(periods["start"], periods["end"], on)] if len(periods) else periods
        )
        years_on = (on - current["start"]).dt.days / 365.25
        over_3 = set(current.loc[years_on >= 3, "person"])
        over_5 = int((years_on >= 5).sum())
        seen = len(over_3 & _seen(contacts, starts, on))
        on_benefit = current["person"].nunique()
        rows.append(
            {
                "year": year,
                "on_benefit": on_benefit,
                "over_3y": len(over_3),
                "over_3y_pct": share_of(len(over_3), on_benefit),
                "over_5y": over_5,
                "over_5y_pct": share_of(over_5, on_benefit),
                "over_3y_seen": seen,
                "over_3y_seen_pct": share_of(seen, len(over_3)),
            }
        )
    return pd.DataFrame(rows, columns=["year", *MEASURES])
