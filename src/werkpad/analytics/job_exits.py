"""Exits to work: how regular the jobs are, and whether people stay off benefit.

Definitions (version 1):

* **Share of regular jobs** per year: among job placements starting in a year, the share whose
  job type is regular (Den Haag job types 1, 2, 4 and 6: Toolbox job, BBL job, part-time
  progression, regular full-time job; not sheltered work nor a banenafspraak job), in percent.
* **Durable exit (12 months)**: a work exit is durable when no new benefit spell of the same
  person starts in the 12 months after the exit date (exit date excluded, last day included).
  Only exits at least 12 months before the reference date count, because for later exits the
  12 months have not passed yet. The rate is durable exits / counted exits, in percent.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd


def regular_job_share_by_year(placements: pd.DataFrame, job_types: pd.DataFrame) -> pd.DataFrame:
    """Placements per start year, the regular ones among them and their share in percent.

    ``placements`` needs ``start_date`` and ``job_type``; ``job_types`` needs ``code`` and a
    boolean ``is_regular``. Job types missing from ``job_types`` count as not regular.
    """
    regular_codes = job_types.loc[job_types["is_regular"].astype(bool), "code"].astype(str)
    is_regular = placements["job_type"].astype(str).isin(set(regular_codes))
    frame = pd.DataFrame(
        {"year": pd.to_datetime(placements["start_date"]).dt.year, "regular": is_regular}
    )
    result = frame.groupby("year").agg(placements=("regular", "size"), regular=("regular", "sum"))
    result = result.astype("int64")
    result["share_pct"] = result["regular"] * 100.0 / result["placements"]
    result.index = result.index.astype("int64")
    return result.sort_index()


def work_exits(routes: pd.DataFrame, work_reasons: Collection[str]) -> pd.DataFrame:
    """Ended routes whose end reason is a work exit, as ``person``, ``route_id``, ``exit_date``."""
    mask = routes["end_reason"].isin(list(work_reasons)) & routes["end_date"].notna()
    exits = routes.loc[mask, ["person", "route_id", "end_date"]].rename(
        columns={"end_date": "exit_date"}
    )
    exits["exit_date"] = pd.to_datetime(exits["exit_date"])
    return exits.reset_index(drop=True)


def _months_before(reference_date: date, months: int) -> pd.Timestamp:
    return pd.Timestamp(reference_date) - pd.DateOffset(months=months)


def durable_exits(
    exits: pd.DataFrame,
    benefit_spells: pd.DataFrame,
    *,
    reference_date: date,
    months: int = 12,
) -> pd.DataFrame:
    """The exits old enough to judge, each with ``durable`` True/False.

    ``exits`` needs ``person`` and ``exit_date``; ``benefit_spells`` needs ``person`` and
    ``start_date``. An exit counts when ``exit_date <= reference_date - months``.
    """
    counted = exits.loc[
        pd.to_datetime(exits["exit_date"]) <= _months_before(reference_date, months)
    ].copy()
    counted["exit_date"] = pd.to_datetime(counted["exit_date"])
    counted["_exit"] = range(len(counted))
    spells = benefit_spells[["person", "start_date"]].copy()
    spells["start_date"] = pd.to_datetime(spells["start_date"])
    joined = counted[["_exit", "person", "exit_date"]].merge(spells, on="person", how="inner")
    window_end = joined["exit_date"] + pd.DateOffset(months=months)
    returned = joined.loc[
        (joined["start_date"] > joined["exit_date"]) & (joined["start_date"] <= window_end),
        "_exit",
    ]
    counted["durable"] = ~counted["_exit"].isin(set(returned))
    return counted.drop(columns="_exit").reset_index(drop=True)


def durable_exit_rate(
    exits: pd.DataFrame,
    benefit_spells: pd.DataFrame,
    *,
    reference_date: date,
    months: int = 12,
) -> pd.DataFrame:
    """Counted exits, durable exits and the durable share in percent, per exit year.

    See the module docstring for the definition. Years without counted exits are absent.
    """
    judged = durable_exits(exits, benefit_spells, reference_date=reference_date, months=months)
    frame = pd.DataFrame({"year": judged["exit_date"].dt.year, "durable": judged["durable"]})
    result = frame.groupby("year").agg(exits=("durable", "size"), durable=("durable", "sum"))
    result = result.astype("int64")
    result["rate_pct"] = result["durable"] * 100.0 / result["exits"]
    result.index = result.index.astype("int64")
    return result.sort_index()


def overall_rate(frame: pd.DataFrame, numerator: str, denominator: str) -> float | None:
    """Sum-based share in percent over all rows of a per-year frame, None when empty."""
    total = int(frame[denominator].sum()) if len(frame) else 0
    if total == 0:
        return None
    return float(frame[numerator].sum()) * 100.0 / total


def job_exits_by_type_year(placements: pd.DataFrame) -> pd.DataFrame:
    """Placements per job type (rows) and start year (columns), as Tabel 3 of the Den Haag
    evaluation (exits to a job by job type and year)."""
    years = pd.to_datetime(placements["start_date"]).dt.year.rename("year")
    table = pd.crosstab(placements["job_type"].astype(str).rename("job_type"), years)
    table.columns = table.columns.astype("int64")
    return table.astype("int64")
