"""Durability of work exits at 6, 12 and 18 months, and return to benefit.

Definition (version 1): a work exit is a route ended with a work end reason (``JOB`` or
``SELF_EMPLOYED``). It is durable at horizon *h* months when no benefit spell of the same person
starts in the *h* months after the exit date; otherwise the person returned to benefit. Only
exits at least *h* months before the reference date are judged (see ``job_exits``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

import pandas as pd

from werkpad.analytics.job_exits import durable_exit_rate, work_exits

HORIZONS = (6, 12, 18)


def durability(
    routes: pd.DataFrame,
    benefit_spells: pd.DataFrame,
    *,
    work_reasons: Collection[str],
    reference_date: date,
    horizons: Iterable[int] = HORIZONS,
) -> pd.DataFrame:
    """Per horizon and exit year: judged exits, durable exits, ``durable_pct`` and
    ``returned_pct`` (returned to benefit = 100 - durable), plus an ``all`` year row."""
    exits = work_exits(routes, work_reasons)
    frames = []
    for months in horizons:
        per_year = durable_exit_rate(
            exits, benefit_spells, reference_date=reference_date, months=months
        )
        total = pd.DataFrame(
            {"exits": [per_year["exits"].sum()], "durable": [per_year["durable"].sum()]},
            index=["all"],
        )
        frame = pd.concat([per_year[["exits", "durable"]].rename(index=str), total])
        frame["durable_pct"] = frame["durable"] * 100.0 / frame["exits"].where(frame["exits"] > 0)
        frame["returned_pct"] = 100.0 - frame["durable_pct"]
        frame["months"] = months
        frames.append(frame.rename_axis("year").reset_index())
    columns = ["months", "year", "exits", "durable", "durable_pct", "returned_pct"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
