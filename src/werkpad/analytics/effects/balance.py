"""Covariate balance and overlap diagnostics.

Standardised mean difference (SMD) = difference in means divided by the pooled standard
deviation before adjustment, sqrt((var_treated + var_control) / 2) (Austin 2009). The same
denominator is used after matching or weighting, so a falling SMD means the means moved closer
and not that the spread changed. |SMD| < 0.1 is the usual threshold for adequate balance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SMD_THRESHOLD = 0.1


def _weighted_mean_var(values: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = weight.sum()
    mean = weight @ values / total
    var = weight @ (values - mean) ** 2 / total
    return mean, var


def balance_table(
    raw: pd.DataFrame,
    treated: np.ndarray,
    weight: np.ndarray,
    frequency: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per covariate: means and SMD before and after adjustment, and the variance ratio after.

    Rows may be cells of identical people: ``frequency`` is then their head count (the
    "before" weights) and ``weight`` the cell's total adjusted weight."""
    values = raw.to_numpy(dtype=float)
    ones = np.ones(treated.size) if frequency is None else frequency
    mt0, vt0 = _weighted_mean_var(values[treated], ones[treated])
    mc0, vc0 = _weighted_mean_var(values[~treated], ones[~treated])
    pooled = np.sqrt((vt0 + vc0) / 2)
    pooled = np.where(pooled > 0, pooled, 1.0)
    mt1, vt1 = _weighted_mean_var(values[treated], weight[treated])
    mc1, vc1 = _weighted_mean_var(values[~treated], weight[~treated])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(vc1 > 0, vt1 / vc1, np.nan)
    return pd.DataFrame(
        {
            "mean_treated": mt0,
            "mean_control_before": mc0,
            "smd_before": (mt0 - mc0) / pooled,
            "mean_treated_after": mt1,
            "mean_control_after": mc1,
            "smd_after": (mt1 - mc1) / pooled,
            "variance_ratio_after": ratio,
        },
        index=pd.Index(raw.columns, name="covariate"),
    )


@dataclass(frozen=True)
class Overlap:
    """How far the propensity scores of treated and controls share common support."""

    score_quantiles: pd.DataFrame  # rows treated/control, columns min, p01 ... p99, max
    share_treated_above_control_max: float
    share_treated_below_control_min: float
    n_unmatched_treated: int
    effective_control_n: float  # Kish: (sum w)^2 / sum w^2 over controls
    largest_control_weight_share: float


def overlap_summary(
    propensity: np.ndarray,
    treated: np.ndarray,
    weight: np.ndarray,
    n_unmatched: int,
    frequency: np.ndarray | None = None,
) -> Overlap:
    """Summarise common support and how concentrated the control weights are.

    Rows may be cells with head counts ``frequency`` (whole numbers) and total weights
    ``weight``: they are expanded to people, who share their cell's weight evenly."""
    if frequency is not None:
        heads = np.rint(frequency).astype(np.intp)
        share = np.divide(weight, frequency, out=np.zeros(weight.size), where=frequency > 0)
        propensity, treated, weight = (
            np.repeat(propensity, heads),
            np.repeat(treated, heads),
            np.repeat(share, heads),
        )
    qs = [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0]
    names = ["min", "p01", "p05", "p25", "p50", "p75", "p95", "p99", "max"]
    table = pd.DataFrame(
        [np.quantile(propensity[treated], qs), np.quantile(propensity[~treated], qs)],
        index=["treated", "control"],
        columns=names,
    )
    pc = propensity[~treated]
    pt = propensity[treated]
    wc = weight[~treated]
    ess = float(wc.sum() ** 2 / (wc**2).sum()) if wc.sum() > 0 else 0.0
    largest = float(wc.max() / wc.sum()) if wc.sum() > 0 else 0.0
    return Overlap(
        score_quantiles=table,
        share_treated_above_control_max=float((pt > pc.max()).mean()),
        share_treated_below_control_min=float((pt < pc.min()).mean()),
        n_unmatched_treated=n_unmatched,
        effective_control_n=ess,
        largest_control_weight_share=largest,
    )
