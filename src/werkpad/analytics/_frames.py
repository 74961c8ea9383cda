"""Small vectorised helpers shared by the KPI modules (dates, bands, as-of joins)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 365.25 / 12


def ts(value: date | pd.Timestamp | str) -> pd.Timestamp:
    return pd.Timestamp(value)


def open_on(start: pd.Series, end: pd.Series, on: pd.Timestamp) -> pd.Series:
    """True where the period [start, end] covers ``on`` (end empty = still open)."""
    return (start <= on) & (end.isna() | (end > on))


def months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    return (end - start).dt.days / DAYS_PER_MONTH


def band(values: pd.Series, edges: list[float], labels: list[str]) -> pd.Series:
    """Label each value with the band [edge_i, edge_i+1) it falls in (left-closed)."""
    cut = pd.cut(values, bins=[-np.inf, *edges, np.inf], labels=labels, right=False)
    return cut.astype(object)


def latest_as_of(
    events: pd.DataFrame,
    keys: pd.DataFrame,
    *,
    event_date: str,
    key_date: str,
    by: str = "person",
    columns: list[str],
    allow_exact: bool = True,
) -> pd.DataFrame:
    """For each row of ``keys``: ``columns`` of the latest event of the same ``by`` on or before
    ``key_date`` (strictly before when ``allow_exact`` is False). Rows keep the order of keys."""
    left = keys.reset_index(drop=True).assign(_row=lambda f: np.arange(len(f)))
    if events.empty or left.empty:
        for name in columns:
            left[name] = pd.Series([None] * len(left), dtype=object)
        return left.drop(columns="_row")
    # Both keys in one resolution: a broadcast Timestamp scalar gives microseconds.
    left[key_date] = pd.to_datetime(left[key_date]).astype("datetime64[ns]")
    right = events[[by, event_date, *columns]].dropna(subset=[event_date])
    right[event_date] = pd.to_datetime(right[event_date]).astype("datetime64[ns]")
    right = right.sort_values(event_date, kind="stable")
    left_sorted = left.sort_values(key_date, kind="stable")
    merged = pd.merge_asof(
        left_sorted,
        right.rename(columns={event_date: "_event_date"}),
        left_on=key_date,
        right_on="_event_date",
        by=by,
        direction="backward",
        allow_exact_matches=allow_exact,
    )
    return merged.sort_values("_row").drop(columns=["_row", "_event_date"]).reset_index(drop=True)


def year_ends(years: list[int]) -> list[pd.Timestamp]:
    return [pd.Timestamp(year, 12, 31) for year in years]


def share(numerator: pd.Series | float, denominator: pd.Series | float) -> pd.Series | float:
    """numerator * 100 / denominator, NaN where the denominator is 0."""
    if isinstance(denominator, pd.Series):
        return numerator * 100.0 / denominator.where(denominator != 0)
    if isinstance(numerator, pd.Series):
        return numerator * 100.0 / denominator if denominator else numerator * float("nan")
    return float(numerator) * 100.0 / denominator if denominator else float("nan")


def share_of(count: float, total: float) -> float:
    """count * 100 / total for two scalars, NaN when the total is 0."""
    return float(count) * 100.0 / total if total else float("nan")
