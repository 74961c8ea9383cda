"""How long routes last, and how long candidates wait between provisions.

Definitions (version 1):

* **Route duration**: for ended routes, end date minus start date, in days; the distribution is
  given as the number and share of routes per band (< 3, 3-6, 6-12, 12-18, >= 18 months) and as
  quartiles in days. Den Haag: more than 85% longer than 3 months, about a third 18 months or
  longer (§3.4).
* **Waiting time between provisions**: within a route, provisions ordered by start date; the wait
  before a provision is its start minus the latest end of the earlier provisions of that route
  (0 when they overlap). Waits after a provision that has not ended are not counted.
"""

from __future__ import annotations

import pandas as pd

from werkpad.analytics._frames import band, months_between

DURATION_BANDS = ["< 3 maanden", "3-6 maanden", "6-12 maanden", "12-18 maanden", ">= 18 maanden"]
WAIT_LONG_DAYS = 28


def route_duration_distribution(routes: pd.DataFrame) -> pd.DataFrame:
    """Per band: ``routes`` and ``share_pct`` of ended routes."""
    ended = routes[routes["end_date"].notna()]
    months = months_between(ended["start_date"], ended["end_date"])
    bands = band(months, [3.0, 6.0, 12.0, 18.0], DURATION_BANDS)
    counts = bands.value_counts().reindex(DURATION_BANDS, fill_value=0).astype("int64")
    total = int(counts.sum())
    result = pd.DataFrame({"routes": counts})
    result["share_pct"] = result["routes"] * 100.0 / total if total else float("nan")
    return result.rename_axis("band")


def route_duration_quartiles(routes: pd.DataFrame) -> dict[str, float]:
    ended = routes[routes["end_date"].notna()]
    days = (ended["end_date"] - ended["start_date"]).dt.days
    if days.empty:
        return {}
    q = days.quantile([0.25, 0.5, 0.75])
    return {"p25_days": float(q[0.25]), "median_days": float(q[0.5]), "p75_days": float(q[0.75])}


def provision_waits(provisions: pd.DataFrame) -> pd.DataFrame:
    """One row per provision that starts after every earlier provision of its route ended:
    ``route_id``, ``start_date``, ``wait_days`` (>= 0, days since the latest earlier end).

    Version 2: a provision that starts while an earlier one still runs is not a wait (the
    candidate was not waiting; the two run side by side). Version 1 counted it as a wait of 0
    days, and since most routes combine provisions, the median was 0 in every year."""
    frame = provisions[["route_id", "start_date", "end_date"]].sort_values(
        ["route_id", "start_date"], kind="stable"
    )
    # Open provisions block the wait: treat their end as +inf so no later wait is counted.
    end = frame["end_date"].fillna(pd.Timestamp.max)
    latest_end = end.groupby(frame["route_id"]).cummax()
    previous = latest_end.groupby(frame["route_id"]).shift(1)
    counted = previous.notna() & (previous < pd.Timestamp.max) & (frame["start_date"] >= previous)
    waits = (frame["start_date"] - previous)[counted].dt.days
    return pd.DataFrame(
        {
            "route_id": frame.loc[counted, "route_id"],
            "start_date": frame.loc[counted, "start_date"],
            "wait_days": waits.astype("int64"),
        }
    ).reset_index(drop=True)


def waiting_time_by_year(provisions: pd.DataFrame) -> pd.DataFrame:
    """Per start year of the later provision: waits, median and mean days, share over 4 weeks."""
    waits = provision_waits(provisions)
    waits["year"] = waits["start_date"].dt.year
    waits["long"] = waits["wait_days"] > WAIT_LONG_DAYS
    result = waits.groupby("year").agg(
        waits=("wait_days", "size"),
        median_days=("wait_days", "median"),
        mean_days=("wait_days", "mean"),
        long=("long", "sum"),
    )
    result["long_pct"] = result["long"] * 100.0 / result["waits"]
    result.index = result.index.astype("int64")
    return result.drop(columns="long")
