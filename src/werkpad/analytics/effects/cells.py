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

from werkpad.analytics.effects.design import PatternDesign


@dataclass(frozen=True)
class Cells:
    """Cell arrays plus the map from each row to its cell."""

    row_cell: np.ndarray  # (n,) cell index of every row
    x: np.ndarray  # (c, k) standardised covariates per cell
    treated: np.ndarray  # (c,) bool
    stratum: np.ndarray | None = None  # (c,) exact-matching stratum, if any
    first_row: np.ndarray | None = None  # (c,) one row of each cell
    pattern: np.ndarray | None = None  # (c,) covariate pattern of each cell

    def totals(self, outcome: np.ndarray, frequency: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Head count and mean outcome per cell for the given row frequencies."""
        size = self.treated.size
        count = np.bincount(self.row_cell, weights=frequency, minlength=size)
        total = np.bincount(self.row_cell, weights=frequency * outcome, minlength=size)
        mean = np.divide(total, count, out=np.zeros(size), where=count > 0)
        return count, mean


@dataclass(frozen=True)
class ScoreCells:
    """Cells merged over the exact-matching strata: the propensity model only sees covariates
    and treatment, so it is fitted on these (far fewer when the stratum is not in the score)."""

    cell_score: np.ndarray  # (c,) score-cell index of every cell
    x: np.ndarray  # (s, k)
    treated: np.ndarray  # (s,) bool

    def counts(self, cell_count: np.ndarray) -> np.ndarray:
        return np.bincount(self.cell_score, weights=cell_count, minlength=self.treated.size)


def score_cells(cells: Cells) -> ScoreCells:
    """Group ``cells`` by (covariate pattern, treatment), ignoring the stratum."""
    assert cells.pattern is not None
    key = cells.pattern.astype(np.int64) * 2 + cells.treated
    _, first, cell_score = np.unique(key, return_index=True, return_inverse=True)
    return ScoreCells(
        cell_score=cell_score.astype(np.intp),
        x=np.ascontiguousarray(cells.x[first]),
        treated=cells.treated[first],
    )


def build_cells(design: PatternDesign, stratum: np.ndarray | None = None) -> Cells:
    """Group rows by (covariate pattern, treatment, exact-matching stratum)."""
    key = design.row_pattern.astype(np.int64) * 2 + design.treated
    if stratum is not None:
        key = key * (int(stratum.max()) + 1) + stratum
    _, first, row_cell = np.unique(key, return_index=True, return_inverse=True)
    pattern = design.row_pattern[first]
    return Cells(
        row_cell=row_cell.astype(np.intp),
        x=np.ascontiguousarray(design.x[pattern]),
        treated=design.treated[first],
        stratum=None if stratum is None else stratum[first],
        first_row=first,
        pattern=pattern,
    )
