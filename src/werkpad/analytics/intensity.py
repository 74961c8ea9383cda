"""Contact intensity against the norm of the candidate's track (Den Haag recommendation 2;
Leidschendam-Voorburg: at least 3-4 contacts a year in re-integration, one in participation).

Definitions (version 1):

* **In service**: the days of the year (up to the reference date) on which the person has an
  open route; overlapping routes count once. Only person-years with at least one such day count.
* **Track**: participation when the latest diagnosis on or before the end of the period places
  the person in a segment without a work route (``work_route`` false in the segment code list),
  else re-integration.
* **Norm**: contacts per year per track from ``contact_norms.csv`` (re-integration 3, the lower
  end of Leidschendam-Voorburg's 3-4; participation 1), pro-rated for the days in service:
  expected = norm x days / days in the year. A person-year is **below the norm** when the
  contacts in the year are fewer than expected.
* Per team (the candidate's current team) and track, and in total: candidates, contacts,
  years in service, contacts per year in service, and the number and share below the norm.
  Figures per klantmanager (:func:`contact_intensity_by_klantmanager`) are for that
  klantmanager's teamleider only and are never published.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from werkpad.analytics._frames import latest_as_of, share_of

REINTEGRATION = "REINTEGRATION"
PARTICIPATION = "PARTICIPATION"
TRACK_LABELS = {REINTEGRATION: "re-integratie", PARTICIPATION: "participatie"}
MEASURES = [
    "candidates",
    "contacts",
    "years_in_service",
    "contacts_per_year",
    "below_norm",
    "below_norm_pct",
]


@lru_cache(maxsize=1)
def contact_norms() -> dict[str, float]:
    """track -> contacts per year, from ``contact_norms.csv``."""
    text = resources.files("werkpad.analytics").joinpath("contact_norms.csv").read_text("utf-8")
    return {
        row["track"]: float(row["contacts_per_year"]) for row in csv.DictReader(text.splitlines())
    }


def days_in_service(routes: pd.DataFrame, year: int, until: pd.Timestamp) -> pd.Series:
    """Per person: days of ``year`` up to ``until`` with an open route (overlaps merged)."""
    first = pd.Timestamp(year, 1, 1)
    last = min(pd.Timestamp(year, 12, 31), until)
    if routes.empty or last < first:
        return pd.Series(dtype="int64", name="days")
    start = routes["start_date"].where(routes["start_date"] > first, first)
    end = routes["end_date"].fillna(last)
    end = end.where(end < last, last)
    spans = pd.DataFrame({"person": routes["person"], "start": start, "end": end})
    spans = spans[spans["end"] >= spans["start"]].sort_values(["person", "start"], kind="stable")
    if spans.empty:
        return pd.Series(dtype="int64", name="days")
    # Merge overlapping spans per person: a new block starts where a span begins after the
    # latest end so far of the same person.
    running_end = spans.groupby("person")["end"].cummax()
    previous_end = running_end.groupby(spans["person"]).shift()
    block = (previous_end.isna() | (spans["start"] > previous_end)).cumsum()
    merged = spans.groupby(block).agg(person=("person", "first"), start=("start", "min"),
                                      end=("end", "max"))  # fmt: skip
    merged["days"] = (merged["end"] - merged["start"]).dt.days + 1
    return merged.groupby("person")["days"].sum().rename("days")


def _tracks(persons: pd.Index, assessments: pd.DataFrame, on: pd.Timestamp,
            work_route: Mapping[str, bool]) -> pd.Series:  # fmt: skip
    keys = pd.DataFrame({"person": persons, "_on": on})
    known = assessments.dropna(subset=["segment"]) if not assessments.empty else assessments
    found = latest_as_of(known, keys, event_date="assessed_on", key_date="_on", columns=["segment"])
    participation = found["segment"].map(lambda s: s is not None and work_route.get(s) is False)
    return pd.Series(
        np.where(participation.fillna(False).astype(bool), PARTICIPATION, REINTEGRATION),
        index=persons,
    )


def person_years(
    routes: pd.DataFrame,
    contacts: pd.DataFrame,
    assessments: pd.DataFrame,
    *,
    years: Collection[int],
    reference_date: date,
    work_route: Mapping[str, bool],
    norms: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """person, year, days, track, contacts, expected, below_norm: one row per person-year in
    service."""
    ref = pd.Timestamp(reference_date)
    norms = norms or contact_norms()
    frames = []
    for year in years:
        days = days_in_service(routes, year, ref)
        if days.empty:
            continue
        last = min(pd.Timestamp(year, 12, 31), ref)
        year_days = (pd.Timestamp(year, 12, 31) - pd.Timestamp(year, 1, 1)).days + 1
        in_year = contacts[contacts["contact_date"].dt.year == year] if len(contacts) else contacts
        counted = in_year.groupby("person").size() if len(in_year) else pd.Series(dtype="int64")
        frame = days.to_frame()
        frame["year"] = year
        frame["track"] = _tracks(frame.index, assessments, last, work_route)
        frame["contacts"] = counted.reindex(frame.index, fill_value=0).astype("int64")
        frame["expected"] = frame["track"].map(norms) * frame["days"] / year_days
        frame["below_norm"] = frame["contacts"] < frame["expected"]
        frames.append(frame.rename_axis("person").reset_index())
    columns = ["person", "days", "year", "track", "contacts", "expected", "below_norm"]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )


def _aggregate(frame: pd.DataFrame) -> dict[str, float]:
    years_in_service = float(frame["days"].sum()) / 365.0
    contacts = float(frame["contacts"].sum())
    below = int(frame["below_norm"].sum())
    return {
        "candidates": float(frame["person"].nunique()),
        "contacts": contacts,
        "years_in_service": years_in_service,
        "contacts_per_year": contacts / years_in_service if years_in_service else float("nan"),
        "below_norm": float(below),
        "below_norm_pct": share_of(below, len(frame)),
    }


def contact_intensity(
    person_year: pd.DataFrame, persons: pd.DataFrame, *, by: str = "team_id"
) -> pd.DataFrame:
    """year, group (team id, or klantmanager id with ``by``), track and MEASURES, with
    ``Totaal`` rows for all groups and all tracks."""
    columns = ["year", "group", "track", *MEASURES]
    if person_year.empty:
        return pd.DataFrame(columns=columns)
    owner = persons.set_index("person")[by] if not persons.empty else pd.Series(dtype=object)
    frame = person_year.assign(group=person_year["person"].map(owner))
    frame["group"] = frame["group"].map(lambda v: "onbekend" if pd.isna(v) else str(int(v)))
    frame["track"] = frame["track"].map(TRACK_LABELS)
    rows = []
    for year, of_year in frame.groupby("year"):
        for group, of_group in [("Totaal", of_year), *of_year.groupby("group")]:
            for track, cell in [("Totaal", of_group), *of_group.groupby("track")]:
                rows.append({"year": year, "group": group, "track": track} | _aggregate(cell))
    return pd.DataFrame(rows, columns=columns)


def contact_intensity_by_klantmanager(
    person_year: pd.DataFrame, persons: pd.DataFrame
) -> pd.DataFrame:
    """The same figures per klantmanager (staff id): for the teamleider's own view only."""
    return contact_intensity(person_year, persons, by="klantmanager_id")
