"""Small-cell suppression for published tables.

Published tables show no count under the threshold (10 by default, configurable): such a count
and every share computed from it are replaced by a marker, and the table says so.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

DEFAULT_THRESHOLD = 10
MARKER = f"<{DEFAULT_THRESHOLD}"


def suppress(
    table: pd.DataFrame,
    count_columns: Iterable[str],
    *,
    dependent: dict[str, str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[pd.DataFrame, int]:
    """Copy of ``table`` with counts below ``threshold`` (and > 0) replaced by ``<threshold``.

    ``dependent`` maps a derived column (a share) to the count column it is based on; the share
    is hidden too when its count is hidden. Returns the table (object dtype where hidden) and the
    number of hidden cells.
    """
    out = table.copy().astype(object)
    marker = f"<{threshold}"
    hidden = 0
    masks = {}
    for column in count_columns:
        values = pd.to_numeric(table[column], errors="coerce")
        mask = (values > 0) & (values < threshold)
        masks[column] = mask
        hidden += int(mask.sum())
        out.loc[mask, column] = marker
    for derived, base in (dependent or {}).items():
        mask = masks[base]
        hidden += int(mask.sum())
        out.loc[mask, derived] = marker
    return out, hidden
