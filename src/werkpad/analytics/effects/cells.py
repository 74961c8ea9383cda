"""Compress an evaluation table into cells: people with identical covariates and treatment.

Propensity scores, matches and weights depend on a person only through the cell, so the model
is fitted on cells with their head counts as frequency weights (the same likelihood as on the
rows) and a bootstrap replicate only recounts the cells. Administrative covariates (age in
years, months on benefit, trede, categories) repeat a lot, so this is where the speed comes
from; with continuous covariates every row is its own cell and nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from werkpad.analytics.effects.design import Design


@dataclass(frozen=True)
class Cells:
    """Cell arrays plus the map from each row to its cell."""

    row_cell: np.ndarray  # (n,) cell index of every row
    x: np.ndarray  # (c, k) standardised covariates per cell
    treated: np.ndarray  # (c,) bool
    stratum: np.ndarray | None = None  # (c,) exact-matching stratum, if any

    def totals(self, outcome: np.ndarray, frequency: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Head count and mean outcome per cell for the given row frequencies."""
        size = self.treated.size
        count = np.bincount(self.row_cell, weights=frequency, minlength=size)
        total = np.bincount(self.row_cell, weights=frequency * outcome, minlength=size)
        mean = np.divide(total, count, out=np.zeros(size), where=count > 0)
        return count, mean


def build_cells(design: Design, stratum: np.ndarray | None = None) -> Cells:
    """Group rows by (covariate pattern, treatment, exact-matching stratum)."""
    keys = pd.DataFrame(design.x)
    keys["__treated"] = design.treated
    if stratum is not None:
        keys["__stratum"] = stratum
    row_cell = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    first = np.unique(row_cell, return_index=True)[1]
    return Cells(
        row_cell=row_cell.astype(np.intp),
        x=np.ascontiguousarray(design.x[first]),
        treated=design.treated[first],
        stratum=None if stratum is None else stratum[first],
    )
