"""Unit weights that turn the control group into a counterfactual for the treated.

Both estimators end in the same form: a weighted mean of the outcome among treated minus a
weighted mean among controls. Matching gives each control the number of treated it stands in
for; inverse probability weighting gives it the odds of treatment. Rows may be cells of identical
people: ``frequency`` is then the head count per cell (times bootstrap draw counts), and the
counts returned are people, not cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Estimand = Literal["ATT", "ATE"]


@dataclass(frozen=True)
class UnitWeights:
    """Weights per row (0 = not used) and how many treated found a comparison."""

    weight: np.ndarray
    n_matched_treated: int
    n_unmatched_treated: int


def weighted_difference(outcome: np.ndarray, treated: np.ndarray, weight: np.ndarray) -> float:
    """Weighted mean outcome of the treated minus that of the controls."""
    group = treated.view(np.int8)
    total_weight = np.bincount(group, weights=weight, minlength=2)
    total_outcome = np.bincount(group, weights=weight * outcome, minlength=2)
    if total_weight[0] == 0 or total_weight[1] == 0:
        return float("nan")
    return float(total_outcome[1] / total_weight[1] - total_outcome[0] / total_weight[0])


def nearest_neighbour_weights(
    score: np.ndarray, treated: np.ndarray, frequency: np.ndarray, caliper_width: float | None
) -> UnitWeights:
    """One-to-one nearest-neighbour matching with replacement on a one-dimensional score.

    Each treated row is matched to the control(s) with the closest score; controls with exactly
    the same score share the match equally (ties are averaged, not broken arbitrarily). Treated
    rows whose nearest control lies further than ``caliper_width`` are left unmatched. The
    search is a binary search on the sorted distinct control scores, so it is O(n log n).
    """
    control = ~treated & (frequency > 0)
    cs = score[control]
    levels, group = np.unique(cs, return_inverse=True)
    group_freq = np.bincount(group, weights=frequency[control], minlength=levels.size)

    t_idx = np.flatnonzero(treated & (frequency > 0))
    ts = score[t_idx]
    right = np.searchsorted(levels, ts).clip(0, levels.size - 1)
    left = (right - 1).clip(0, levels.size - 1)
    take_left = np.abs(ts - levels[left]) <= np.abs(levels[right] - ts)
    nearest = np.where(take_left, left, right)
    distance = np.abs(ts - levels[nearest])
    ok = np.ones(t_idx.size, dtype=bool) if caliper_width is None else distance <= caliper_width

    weight = np.zeros(score.size)
    weight[t_idx[ok]] = frequency[t_idx[ok]]
    demand = np.bincount(nearest[ok], weights=frequency[t_idx[ok]], minlength=levels.size)
    weight[control] = frequency[control] * (demand / group_freq)[group]
    return UnitWeights(
        weight=weight,
        n_matched_treated=round(frequency[t_idx[ok]].sum()),
        n_unmatched_treated=round(frequency[t_idx[~ok]].sum()),
    )


def inverse_probability_weights(
    propensity: np.ndarray, treated: np.ndarray, frequency: np.ndarray, estimand: Estimand
) -> UnitWeights:
    """Normalised (Hajek) inverse probability weights for the ATT or the ATE.

    ATT: treated weigh 1, controls p/(1-p), so controls are re-weighted to look like the
    treated. ATE: treated 1/p, controls 1/(1-p), so both look like the whole population.
    """
    if estimand == "ATT":
        w = np.where(treated, 1.0, propensity / (1 - propensity))
    else:
        w = np.where(treated, 1 / propensity, 1 / (1 - propensity))
    n_treated = round(frequency[treated].sum())
    return UnitWeights(weight=w * frequency, n_matched_treated=n_treated, n_unmatched_treated=0)
