"""Shared helpers of the generator: day numbers, the table container and sampling shortcuts.

Dates are held as day numbers (days since 1970-01-01) in numpy arrays, so date arithmetic is
vectorised; nullable dates are floats with NaN. The loader turns them into ``date`` objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

EPOCH = date(1970, 1, 1)
DAYS_PER_MONTH = 30.44


def day(value: date) -> int:
    """The day number of ``value``."""
    return (value - EPOCH).days


def to_date(days: float) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(days))


def year_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each day number (NaN stays NaN as -1)."""
    arr = np.asarray(days, dtype="float64")
    out = np.full(arr.shape, -1, dtype="int64")
    ok = ~np.isnan(arr)
    out[ok] = (
        arr[ok].astype("int64").astype("datetime64[D]").astype("datetime64[Y]").astype("int64")
        + 1970
    )
    return out


def months(n: float | np.ndarray) -> np.ndarray:
    """Approximate number of days in ``n`` months."""
    return np.rint(np.asarray(n, dtype="float64") * DAYS_PER_MONTH).astype("int64")


def add_months(days: np.ndarray, n: int) -> np.ndarray:
    """Day numbers plus ``n`` calendar months, clamped to the month's last day.

    The vectorised twin of ``werkpad.domain.follow_up.add_months`` (31 Jan + 1 = 28/29 Feb).
    """
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day_of_month = (d - month.astype("datetime64[D]")).astype("int64")
    target = month + n
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype("int64")
    out = target.astype("datetime64[D]") + np.minimum(day_of_month, length - 1)
    return out.astype("int64")


def choice(
    rng: np.random.Generator, options: Sequence[Any], shares: Sequence[float] | np.ndarray, n: int
) -> np.ndarray:
    """``n`` draws from ``options`` with the given (not necessarily normalised) shares."""
    p = np.asarray(shares, dtype="float64")
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p / p.sum())]


def pick(rng: np.random.Generator, options: Sequence[Any], n: int) -> np.ndarray:
    """``n`` uniform draws from ``options`` (as an object array)."""
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), size=n)]


def or_none(blank: np.ndarray, values: Any) -> np.ndarray:
    """``values`` as an object array with None where ``blank`` is true."""
    out = np.empty(len(blank), dtype=object)
    out[:] = np.broadcast_to(np.asarray(values, dtype=object), (len(blank),))
    out[np.asarray(blank, dtype=bool)] = None
    return out


@dataclass
class SynthData:
    """The generated municipality: one frame per table, in insert order, plus demo logins."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, name: str, frame: pd.DataFrame) -> None:
        self.tables[name] = frame

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self.tables.items()}
