"""Why routes end: counts and shares of the coded end reasons of ended routes.

Definition (version 1): among routes with an end date, the number per end reason and its share
of all ended routes, in percent. Open routes are left out. This is Tabel 2 of the Den Haag
evaluation (Berenschot 2022, §3.3).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def route_end_reasons(
    routes: pd.DataFrame, labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Ended routes per end reason, most frequent first.

    ``routes`` needs ``end_date`` and ``end_reason``. Returns columns ``end_reason``,
    ``label`` (from ``labels``, else the code), ``count`` and ``share_pct`` (0-100, summing to
    100 before rounding).
    """
    ended = routes.loc[routes["end_date"].notna() & routes["end_reason"].notna(), "end_reason"]
    counts = ended.value_counts()
    total = int(counts.sum())
    frame = pd.DataFrame(
        {"end_reason": counts.index.astype(str), "count": counts.to_numpy(dtype="int64")}
    )
    frame["share_pct"] = frame["count"] * 100.0 / total if total else 0.0
    label_map = dict(labels or {})
    frame["label"] = frame["end_reason"].map(label_map).fillna(frame["end_reason"])
    frame = frame.sort_values(["count", "end_reason"], ascending=[False, True])
    return frame.reset_index(drop=True)[["end_reason", "label", "count", "share_pct"]]
