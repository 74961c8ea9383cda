"""Build the person-month panel for risk-set matching from spells, starts and work exits.

Input frames use the analytics extract's conventions (``person`` is the pseudonymous id):

* ``spells``: person, start_date, end_date (NaT while running): benefit spells;
* ``starts``: person, start_date: starts of the provision or route type under study (the
  first start per person counts);
* ``exits``: person, exit_date, and optionally ``durable`` (bool): work exits, e.g. placements
  in a regular job or routes ended with reason JOB;
* ``persons`` (optional): one row per person with fixed covariates (sex, migration background,
  birth_year ...), merged on ``person``.

One row per person per calendar month in which a spell runs on the first of the month, up to
``as_of``. Months are integers (year * 12 + month - 1). Outcome columns look forward from the
first of the month: ``work_exit_{h}m`` (a work exit within h months), ``durable_exit_{h}m``
when ``exits`` has ``durable``, and ``months_on_benefit_{h}`` (months of this spell in the
window; a later new spell is not counted). Rows whose window runs past ``as_of`` are dropped,
because their outcome is not yet known.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd


def _month_index(values: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(values)
    return (stamps.dt.year * 12 + stamps.dt.month - 1).to_numpy(dtype=float)


def person_month_panel(
    spells: pd.DataFrame,
    starts: pd.DataFrame,
    exits: pd.DataFrame,
    *,
    as_of: date,
    horizons: Sequence[int] = (12,),
    persons: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Person-months on benefit with forward-looking outcomes, ready for the staggered design."""
    last = as_of.year * 12 + as_of.month - 1
    # A spell counts in a month when it runs on the first day of that month.
    start_date = pd.to_datetime(spells["start_date"])
    first = _month_index(start_date) + (start_date.dt.day > 1).to_numpy()
    end = _month_index(spells["end_date"].fillna(pd.Timestamp(as_of)))
    # Ended on the first of a month: that month is no longer on benefit.
    ended_on_first = pd.to_datetime(spells["end_date"]).dt.day.eq(1).to_numpy()
    last_month = np.minimum(end - ended_on_first, last).astype(float)
    spell_end = np.where(spells["end_date"].isna(), np.inf, end - ended_on_first)
    length = np.maximum(last_month - first + 1, 0).astype(int)
    row_spell = np.repeat(np.arange(len(spells)), length)
    offset = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    month = first[row_spell] + offset
    panel = pd.DataFrame(
        {
            "person": spells["person"].to_numpy()[row_spell],
            "month": month.astype(int),
            "benefit_months": offset,
        }
    )

    first_start = starts.groupby("person")["start_date"].min()
    panel["start_month"] = panel["person"].map(
        pd.Series(_month_index(first_start), index=first_start.index)
    )

    exit_month = _month_index(exits["exit_date"])
    for h in horizons:
        window_end = panel["month"] + h - 1
        hits = _exit_within(panel, exits["person"].to_numpy(), exit_month, h)
        panel[f"work_exit_{h}m"] = hits.astype(int)
        if "durable" in exits.columns:
            durable = exits["durable"].astype(bool).to_numpy()
            panel[f"durable_exit_{h}m"] = _exit_within(
                panel, exits["person"].to_numpy()[durable], exit_month[durable], h
            ).astype(int)
        remaining = spell_end[row_spell] - panel["month"].to_numpy() + 1
        panel[f"months_on_benefit_{h}"] = np.clip(remaining, 0, h).astype(int)
        panel = panel.loc[window_end <= last]
        row_spell = row_spell[(window_end <= last).to_numpy()]
    if persons is not None:
        panel = panel.merge(persons, on="person", how="left")
    return panel.reset_index(drop=True)


def _exit_within(
    panel: pd.DataFrame, exit_person: np.ndarray, exit_month: np.ndarray, horizon: int
) -> np.ndarray:
    """For each person-month: is there a work exit in [month, month + horizon)?"""
    codes = pd.factorize(pd.Series(np.concatenate([panel["person"], exit_person])))[0]
    row_code = codes[: len(panel)].astype(float)
    exit_code = codes[len(panel) :].astype(float)
    # One sorted key per exit (person first, then month) makes the window a binary search.
    spacing = 1e6  # months are year * 12 + month, far below this
    keys = np.sort(exit_code * spacing + exit_month)
    month = panel["month"].to_numpy(dtype=float)
    lo = np.searchsorted(keys, row_code * spacing + month, side="left")
    hi = np.searchsorted(keys, row_code * spacing + month + horizon, side="left")
    return np.asarray(hi > lo)
