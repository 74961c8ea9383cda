"""Reach of the re-integration service: how many people, routes and provisions per year.

Definition (version 1): a route counts in the year its start date falls in; a candidate counts
in a year when at least one of their routes started in it; a provision counts in the year its own
start date falls in, and the provision types used are the distinct types among those provisions.
The same definitions over the whole period give the totals (a person with routes in two years
counts once in the total, so the total is not the sum of the years).
"""

from __future__ import annotations

import pandas as pd

from werkpad.analytics._frames import latest_as_of

REACH_COLUMNS = ["candidates", "routes", "provisions", "provision_types"]


def reach(routes: pd.DataFrame, provisions: pd.DataFrame) -> pd.DataFrame:
    """Candidates, routes, provisions and provision types used, per start year.

    ``routes`` needs ``route_id``, ``person`` and ``start_date``; ``provisions`` needs
    ``provision_id``, ``provision_type`` and ``start_date``. Returns a frame indexed by year
    with the columns of ``REACH_COLUMNS`` (integers; 0 where nothing happened).
    """
    route_year = pd.to_datetime(routes["start_date"]).dt.year
    per_route = (
        routes.assign(year=route_year)
        .groupby("year")
        .agg(candidates=("person", "nunique"), routes=("route_id", "nunique"))
    )
    provision_year = pd.to_datetime(provisions["start_date"]).dt.year
    per_provision = (
        provisions.assign(year=provision_year)
        .groupby("year")
        .agg(provisions=("provision_id", "nunique"), provision_types=("provision_type", "nunique"))
    )
    result = per_route.join(per_provision, how="outer").fillna(0).astype("int64")
    result.index = result.index.astype("int64")
    result.index.name = "year"
    return result.reindex(columns=REACH_COLUMNS).sort_index()


def reach_total(routes: pd.DataFrame, provisions: pd.DataFrame) -> dict[str, int]:
    """The same four figures over the whole period, each person and type counted once."""
    return {
        "candidates": int(routes["person"].nunique()),
        "routes": int(routes["route_id"].nunique()),
        "provisions": int(provisions["provision_id"].nunique()),
        "provision_types": int(provisions["provision_type"].nunique()),
    }


def reach_by_segment(
    routes: pd.DataFrame, provisions: pd.DataFrame, segment_of_route: pd.Series
) -> pd.DataFrame:
    """The reach figures per start year and segment.

    ``segment_of_route`` maps ``route_id`` to the segment the candidate had at the route start
    (see ``segment_at_route_start``); provisions take the segment of their route. Returns a
    frame with columns ``year``, ``segment`` and those of ``REACH_COLUMNS``.
    """
    segment = routes["route_id"].map(segment_of_route).fillna("Onbekend")
    keys = [pd.to_datetime(routes["start_date"]).dt.year.rename("year"), segment.rename("segment")]
    per_route = routes.groupby(keys).agg(
        candidates=("person", "nunique"), routes=("route_id", "nunique")
    )
    provision_segment = provisions["route_id"].map(
        pd.Series(segment.to_numpy(), index=routes["route_id"].to_numpy())
    )
    chosen = provisions.assign(segment=provision_segment).dropna(subset=["segment"])
    p_keys = [pd.to_datetime(chosen["start_date"]).dt.year.rename("year"), chosen["segment"]]
    per_provision = chosen.groupby(p_keys).agg(
        provisions=("provision_id", "nunique"), provision_types=("provision_type", "nunique")
    )
    result = per_route.join(per_provision, how="outer").fillna(0).astype("int64")
    result = result.reset_index()
    result["year"] = result["year"].astype("int64")
    return result.sort_values(["segment", "year"]).reset_index(drop=True)[
        ["year", "segment", *REACH_COLUMNS]
    ]


def segment_at_route_start(routes: pd.DataFrame, assessments: pd.DataFrame) -> pd.Series:
    """The segment of the latest assessment on or before each route's start (index route_id)."""
    if assessments.empty:
        return pd.Series(dtype=object)
    keyed = latest_as_of(
        assessments.dropna(subset=["segment"]),
        routes[["route_id", "person", "start_date"]],
        event_date="assessed_on",
        key_date="start_date",
        columns=["segment"],
    )
    return keyed.set_index("route_id")["segment"]
