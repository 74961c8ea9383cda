"""Outflow to work of a cohort of benefit dossiers (the Haarlemmermeer method) and the
Divosa-style yearly outflow rate.

Definitions (cohort outflow by training: version 2; the others version 1):

* **Cohort outflow to work**: the cohort is every benefit dossier open on the cohort date. A
  dossier flows out to work when it closes within the period after the cohort date (cohort date
  excluded, period end included) and a benefit spell of the dossier ends on the closing date with
  a work end reason (``WORK`` or ``SELF_EMPLOYED``). Shares are per category (the applicant's
  latest segment on the cohort date, "Onbekend" without one) and per "followed work-directed
  training or not": the applicant followed a provision flagged ``is_work_directed_training`` at
  some time between 1 January of ``training_window_years`` years before the cohort year and the
  period end (it started on or before the period end and had not ended before that 1 January).
  CentERdata (2020, Tabellen 3.1, 3.4 and 3.5, §3.2) used the cohort of 1 January 2019, the
  period up to November 2019 and trainings "gevolgd in periode 2017-2019": a window of 2 years,
  the default. Version 1 counted only trainings that *started* in the 12 months before the
  cohort date or within the period, so a municipality could not reproduce its own Tabel 3.5.
* **Divosa-style outflow rate**: dossiers that flowed out to work in a calendar year divided by
  the average of the open dossiers on 1 January and 31 December, in percent.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd

from werkpad.analytics._frames import open_on
from werkpad.analytics.coverage import UNKNOWN, latest_assessment

DEFAULT_TRAINING_WINDOW_YEARS = 2
TRAINING_LABELS = {True: "Ja", False: "Nee"}


def closure_reasons(dossiers: pd.DataFrame, benefit_spells: pd.DataFrame) -> pd.Series:
    """Per closed dossier (index ``dossier_id``) the end reason of the spell that ended on the
    closing date; a work reason wins when several spells end that day."""
    closed = dossiers.loc[dossiers["closed_on"].notna(), ["dossier_id", "closed_on"]]
    spells = benefit_spells.dropna(subset=["dossier_id", "end_date"])[
        ["dossier_id", "end_date", "end_reason"]
    ].astype({"dossier_id": "int64"})
    joined = closed.merge(spells, on="dossier_id")
    joined = joined[joined["end_date"] == joined["closed_on"]]
    joined = joined.sort_values(["dossier_id", "end_reason"], na_position="last")
    return joined.groupby("dossier_id")["end_reason"].first()


def work_closures(
    dossiers: pd.DataFrame, benefit_spells: pd.DataFrame, work_reasons: Collection[str]
) -> pd.DataFrame:
    """Closed dossiers with ``closed_on`` and boolean ``to_work``."""
    reasons = closure_reasons(dossiers, benefit_spells)
    closed = dossiers.loc[dossiers["closed_on"].notna(), ["dossier_id", "person", "closed_on"]]
    closed = closed.assign(reason=closed["dossier_id"].map(reasons))
    closed["to_work"] = closed["reason"].isin(list(work_reasons))
    return closed


def cohort_outcomes(
    dossiers: pd.DataFrame,
    benefit_spells: pd.DataFrame,
    assessments: pd.DataFrame,
    routes: pd.DataFrame,
    provisions: pd.DataFrame,
    *,
    cohort_date: date,
    period_end: date,
    work_reasons: Collection[str],
    training_window_years: int = DEFAULT_TRAINING_WINDOW_YEARS,
) -> pd.DataFrame:
    """One row per cohort dossier: ``dossier_id``, ``category``, ``training`` (Ja/Nee) and
    ``to_work``. ``cohort_date`` is the day the cohort is open on (1 January of the cohort year,
    or 31 December of the year before)."""
    start, end = pd.Timestamp(cohort_date), pd.Timestamp(period_end)
    cohort = dossiers[open_on(dossiers["opened_on"], dossiers["closed_on"], start)]
    closures = work_closures(cohort, benefit_spells, work_reasons)
    in_period = closures[(closures["closed_on"] > start) & (closures["closed_on"] <= end)]
    to_work = cohort["dossier_id"].isin(in_period.loc[in_period["to_work"], "dossier_id"])
    latest = latest_assessment(assessments, start)
    category = cohort["person"].map(latest["segment"]).fillna(UNKNOWN)
    cohort_year = (start + pd.Timedelta(days=1)).year
    since = pd.Timestamp(cohort_year - training_window_years, 1, 1)
    ended = (
        provisions["end_date"]
        if "end_date" in provisions
        else pd.Series(pd.NaT, index=provisions.index, dtype="datetime64[ns]")
    )
    training = provisions[
        provisions["is_work_directed_training"].astype(bool)
        & (provisions["start_date"] <= end)
        & (ended.isna() | (ended >= since))
    ]
    trained = routes.loc[routes["route_id"].isin(training["route_id"]), "person"].unique()
    return pd.DataFrame(
        {
            "dossier_id": cohort["dossier_id"].to_numpy(),
            "category": category.to_numpy(),
            "training": cohort["person"].isin(trained).map(TRAINING_LABELS).to_numpy(),
            "to_work": to_work.to_numpy(),
        }
    )


def outflow_share(outcomes: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of ``by``: ``dossiers``, ``to_work`` and ``share_pct``, plus ``Totaal``."""
    result = outcomes.groupby(by).agg(dossiers=("to_work", "size"), to_work=("to_work", "sum"))
    result.loc["Totaal"] = result.sum()
    result = result.astype("int64")
    result["share_pct"] = (
        result["to_work"] * 100.0 / result["dossiers"].where(result["dossiers"] > 0)
    )
    return result


def open_dossiers_on(dossiers: pd.DataFrame, on: pd.Timestamp) -> int:
    return int(open_on(dossiers["opened_on"], dossiers["closed_on"], on).sum())


def divosa_outflow_rate(
    dossiers: pd.DataFrame,
    benefit_spells: pd.DataFrame,
    *,
    years: list[int],
    work_reasons: Collection[str],
) -> pd.DataFrame:
    """Per year: ``to_work``, ``average_stock`` and ``rate_pct``."""
    closures = work_closures(dossiers, benefit_spells, work_reasons)
    work_years = closures.loc[closures["to_work"], "closed_on"].dt.year
    rows = []
    for year in years:
        # Open on 1 January = open at the end of 31 December of the year before.
        first = open_dossiers_on(dossiers, pd.Timestamp(year - 1, 12, 31))
        last = open_dossiers_on(dossiers, pd.Timestamp(year, 12, 31))
        average = (first + last) / 2
        exits = int((work_years == year).sum())
        rows.append((year, exits, average, exits * 100.0 / average if average else float("nan")))
    return pd.DataFrame(rows, columns=["year", "to_work", "average_stock", "rate_pct"]).set_index(
        "year"
    )
