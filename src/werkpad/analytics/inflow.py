"""Speed for new inflow: how soon a new benefit client gets a first contact and a first
provision, and how many start the induction week (Den Haag recommendations 5 and 6).

Definitions (version 1):

* **New inflow**: every benefit spell that starts in the year (a return after an earlier spell
  is new inflow again). Two origins are measured: the application date (``aanvraag``; when
  unknown, the start date) and the benefit start (``start uitkering``).
* **First contact / first provision**: the earliest contact, or the earliest start of a
  provision on any of the person's routes, on or after the origin. Days are counted from the
  origin.
* **Judged cohort**: only spells whose origin lies at least 8 weeks before the reference date,
  so "within 4 and 8 weeks" is fully observed for everyone counted (cohorts too young to judge
  are left out, as rdv-insertion does). The shares within 4 and 8 weeks are of the judged
  cohort; the median number of days is the Kaplan-Meier median over the judged cohort, where a
  person without the event yet is censored at the reference date (empty when fewer than half
  had it).
* **Segment**: of the latest diagnosis on or before 8 weeks after the origin; ``Onbekend``
  without one. ``Totaal`` covers all segments.
* **Induction week**: of the judged new spells (origin = benefit start, at least N weeks old),
  the share that started a provision of the group ``induction_week`` (GOS PS2 by default, see
  ``provision_groups.csv``) within N weeks (``KpiContext.induction_weeks``, default 8).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import numpy as np
import pandas as pd

from werkpad.analytics._frames import latest_as_of, share, share_of
from werkpad.analytics.provision_groups import in_group

JUDGE_DAYS = 56
ORIGINS = {"aanvraag": "application_date", "start uitkering": "start_date"}
SPEED_MEASURES = [
    "new_clients",
    "judged",
    "contact_median_days",
    "contact_within_4w_pct",
    "contact_within_8w_pct",
    "provision_median_days",
    "provision_within_4w_pct",
    "provision_within_8w_pct",
]
UNKNOWN_SEGMENT = "Onbekend"


def new_spells(spells: pd.DataFrame, years: Collection[int]) -> pd.DataFrame:
    """person, start_date, application_date (start when unknown), year: spells starting in
    ``years``, one row per spell."""
    if spells.empty:
        return pd.DataFrame(
            {
                "person": pd.Series(dtype="int64"),
                "start_date": pd.Series(dtype="datetime64[ns]"),
                "application_date": pd.Series(dtype="datetime64[ns]"),
                "year": pd.Series(dtype="int64"),
            }
        )
    out = spells[spells["start_date"].dt.year.isin(list(years))].copy()
    application = out["application_date"] if "application_date" in out.columns else None
    out["application_date"] = (
        pd.to_datetime(application).fillna(out["start_date"])
        if application is not None
        else out["start_date"]
    )
    out["year"] = out["start_date"].dt.year
    return out[["person", "start_date", "application_date", "year"]].reset_index(drop=True)


def days_to_first(events: pd.DataFrame, origins: pd.DataFrame, *, date_column: str) -> pd.Series:
    """Days from each origin row's ``origin`` to the person's first event on or after it (NaN
    when none). ``events`` has person and ``date_column``; keeps the order of ``origins``."""
    left = origins.reset_index(drop=True).assign(_row=lambda f: np.arange(len(f)))
    if events.empty or left.empty:
        return pd.Series(np.nan, index=left.index)
    left["origin"] = pd.to_datetime(left["origin"]).astype("datetime64[ns]")
    right = events[["person", date_column]].dropna().rename(columns={date_column: "_event"})
    right["_event"] = pd.to_datetime(right["_event"]).astype("datetime64[ns]")
    merged = pd.merge_asof(
        left.sort_values("origin", kind="stable"),
        right.sort_values("_event", kind="stable"),
        left_on="origin",
        right_on="_event",
        by="person",
        direction="forward",
    ).sort_values("_row")
    return pd.Series((merged["_event"] - merged["origin"]).dt.days.to_numpy(), index=left.index)


def _km_median(days: pd.Series, follow_up: pd.Series) -> float:
    """The Kaplan-Meier median: the first event time at which the estimated share without the
    event falls to one half or below (NaN when it never does). A person without the event is
    censored at ``follow_up`` and stays at risk up to and including that day, as in lifelines'
    ``KaplanMeierFitter``; written out with numpy because one lifelines fit per table cell costs
    tens of milliseconds. Where the estimate lands exactly on one half, this takes that day
    (lifelines' answer then depends on rounding)."""
    observed = days.notna().to_numpy()
    durations = np.where(observed, days.fillna(0).to_numpy(), follow_up.to_numpy()).astype(float)
    if not observed.any():
        return float("nan")
    times = np.unique(durations[observed])
    everyone = np.sort(durations)
    at_risk = len(everyone) - np.searchsorted(everyone, times, side="left")
    events_sorted = np.sort(durations[observed])
    events = np.searchsorted(events_sorted, times, side="right") - np.searchsorted(
        events_sorted, times, side="left"
    )
    survival = np.cumprod(1.0 - events / at_risk)
    below = np.nonzero(survival <= 0.5 + 1e-9)[0]
    return float(times[below[0]]) if len(below) else float("nan")


def _segments(origins: pd.DataFrame, assessments: pd.DataFrame) -> pd.Series:
    keys = origins.assign(_as_of=origins["origin"] + pd.Timedelta(days=JUDGE_DAYS))
    known = assessments.dropna(subset=["segment"]) if not assessments.empty else assessments
    found = latest_as_of(
        known, keys, event_date="assessed_on", key_date="_as_of", columns=["segment"]
    )
    return found["segment"].fillna(UNKNOWN_SEGMENT).astype(object)


def _speed_cells(frame: pd.DataFrame) -> dict[str, float]:
    judged = frame[frame["judged"]]
    cells: dict[str, float] = {"new_clients": float(len(frame)), "judged": float(len(judged))}
    for event in ("contact", "provision"):
        days = judged[f"{event}_days"]
        cells[f"{event}_median_days"] = _km_median(days, judged["follow_up"])
        for weeks in (4, 8):
            within = int((days <= weeks * 7).sum())
            cells[f"{event}_within_{weeks}w_pct"] = share_of(within, len(judged))
    return cells


def inflow_speed(
    spells: pd.DataFrame,
    contacts: pd.DataFrame,
    provisions: pd.DataFrame,
    routes: pd.DataFrame,
    assessments: pd.DataFrame,
    *,
    reference_date: date,
    years: Collection[int],
) -> pd.DataFrame:
    """year, origin, segment and the SPEED_MEASURES (see the module docstring)."""
    ref = pd.Timestamp(reference_date)
    inflow = new_spells(spells, years)
    starts = _provision_starts(provisions, routes)
    rows: list[dict[str, object]] = []
    for origin_name, column in ORIGINS.items():
        origins = inflow[["person", "year"]].assign(origin=inflow[column])
        origins["segment"] = _segments(origins, assessments)
        origins["follow_up"] = (ref - origins["origin"]).dt.days
        origins["judged"] = origins["follow_up"] >= JUDGE_DAYS
        origins["contact_days"] = days_to_first(contacts, origins, date_column="contact_date")
        origins["provision_days"] = days_to_first(starts, origins, date_column="start_date")
        for year, of_year in origins.groupby("year"):
            groups = [("Totaal", of_year), *of_year.groupby("segment")]
            for segment, frame in groups:
                rows.append(
                    {"year": int(str(year)), "origin": origin_name, "segment": segment}
                    | _speed_cells(frame)
                )
    return pd.DataFrame(rows, columns=["year", "origin", "segment", *SPEED_MEASURES])


def _provision_starts(provisions: pd.DataFrame, routes: pd.DataFrame) -> pd.DataFrame:
    if provisions.empty or routes.empty:
        return pd.DataFrame(columns=["person", "start_date"])
    return provisions[["route_id", "start_date"]].merge(
        routes[["route_id", "person"]], on="route_id"
    )[["person", "start_date"]]


def induction_week_uptake(
    spells: pd.DataFrame,
    provisions: pd.DataFrame,
    routes: pd.DataFrame,
    assessments: pd.DataFrame,
    *,
    reference_date: date,
    years: Collection[int],
    weeks: int,
) -> pd.DataFrame:
    """year, segment, new_clients, judged, started, started_pct (see the module docstring)."""
    ref = pd.Timestamp(reference_date)
    inflow = new_spells(spells, years)
    origins = inflow[["person", "year"]].assign(origin=inflow["start_date"])
    origins["segment"] = _segments(origins, assessments)
    origins["judged"] = (ref - origins["origin"]).dt.days >= weeks * 7
    induction = (
        provisions[in_group(provisions, "induction_week")] if len(provisions) else provisions
    )
    days = days_to_first(_provision_starts(induction, routes), origins, date_column="start_date")
    origins["started"] = origins["judged"] & (days <= weeks * 7)
    rows: list[dict[str, object]] = []
    for year, of_year in origins.groupby("year"):
        for segment, frame in [("Totaal", of_year), *of_year.groupby("segment")]:
            judged = int(frame["judged"].sum())
            started = int(frame["started"].sum())
            rows.append(
                {
                    "year": int(str(year)),
                    "segment": segment,
                    "new_clients": len(frame),
                    "judged": judged,
                    "started": started,
                    "started_pct": share(started, judged),
                }
            )
    return pd.DataFrame(
        rows, columns=["year", "segment", "new_clients", "judged", "started", "started_pct"]
    )
