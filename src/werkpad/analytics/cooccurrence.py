"""Which kinds of provision go together: co-occurrence of GOS codes within routes.

Definition (version 1): for each pair of GOS codes (X, Y), the share of routes with at least one
provision of code X that also have at least one provision of code Y, in percent. The diagonal is
100 and the matrix is not symmetric (each row is conditional on its own code). This is Tabel 1
of the Den Haag evaluation (Berenschot 2022, §3.2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def gos_cooccurrence(provisions: pd.DataFrame, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Square frame: index = code X (route has), columns = code Y (also has), values in %.

    Also returns the number of routes per code X in column ``routes``.
    """
    pairs = provisions[["route_id", "gos_code"]].dropna()
    order = list(codes) if codes is not None else sorted(pairs["gos_code"].unique())
    code_index = pd.Index(order).get_indexer(pd.Index(pairs["gos_code"]))
    pairs = pairs[code_index >= 0]
    code_index = code_index[code_index >= 0]
    route_index, _ = pd.factorize(pairs["route_id"])
    has = np.zeros((route_index.max() + 1 if len(route_index) else 0, len(order)), dtype=np.int64)
    has[route_index, code_index] = 1
    counts = has.T @ has
    matrix = pd.DataFrame(counts, index=order, columns=order)
    diagonal = pd.Series(counts.diagonal(), index=order)
    shares = matrix.div(diagonal.where(diagonal > 0), axis=0) * 100.0
    shares["routes"] = diagonal.astype("int64")
    return shares.rename_axis(index="has", columns="also_has")
