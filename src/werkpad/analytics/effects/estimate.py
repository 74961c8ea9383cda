"""Net effect of a treatment (provision type, route type) on a flat table, with a bootstrap.

Definition (version 1). The effect on the treated (ATT) is the mean outcome of the treated
minus the mean outcome the same people would have had without the treatment, estimated from
comparable untreated people under selection on observables (the covariates capture everything
that drives both treatment and outcome). Two estimators share the propensity score
p(x) = P(treated | x):

* ``psm``: one-to-one nearest-neighbour matching with replacement on the log-odds of p(x),
  within a caliper of ``caliper`` standard deviations of that log-odds (Austin 2011: 0.2).
* ``ipw``: normalised inverse probability weighting (ATT: controls weighted by p/(1-p);
  ATE: 1/p and 1/(1-p)).

The interval is a percentile bootstrap: each replicate redraws people with replacement,
re-estimates the propensity model (so its estimation error is in the interval; k-step
bootstrap, see ``propensity``) and re-matches or re-weights. Replicates run in threads, each
with its own seed derived from ``seed``, so results do not depend on the thread schedule.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from werkpad.analytics.effects.balance import balance_table, overlap_summary
from werkpad.analytics.effects.cells import Cells, ScoreCells, build_cells, score_cells
from werkpad.analytics.effects.design import PatternDesign, build_pattern_design
from werkpad.analytics.effects.propensity import PropensityModel, ScoreModel, logit
from werkpad.analytics.effects.reading import effect_reading, effect_warnings
from werkpad.analytics.effects.result import EffectEstimate, Method
from werkpad.analytics.effects.weighting import (
    Estimand,
    UnitWeights,
    inverse_probability_weights,
    nearest_neighbour_weights,
    weighted_difference,
)

Interval = Literal["percentile", "normal"]


def estimate_effect(
    df: pd.DataFrame,
    treatment: str,
    outcome: str,
    covariates: Sequence[str],
    method: Method = "psm",
    *,
    estimand: Estimand = "ATT",
    caliper: float | None = 0.2,
    score_model: ScoreModel = "logit",
    n_bootstrap: int = 200,
    confidence: float = 0.95,
    interval: Interval = "percentile",
    seed: int = 0,
    n_jobs: int | None = None,
    exact: str | None = None,
    cluster: str | None = None,
    exact_in_score: bool = True,
) -> EffectEstimate:
    """Estimate the net effect of ``treatment`` on ``outcome`` adjusting for ``covariates``.

    ``caliper`` is in standard deviations of the log-odds propensity score (None: no caliper);
    it applies to ``psm`` only. Matching estimates the ATT; ``ipw`` estimates the ATT or ATE.
    ``n_bootstrap=0`` gives the point estimate without an interval. ``interval="normal"``:
    effect +- z * bootstrap standard error instead of the percentile interval; valid when the
    replicates are roughly normal, and it needs far fewer of them (a percentile interval's
    tails rest on a handful of replicates), so the report uses it with 50.

    ``exact``: a column to match on exactly (e.g. the calendar month of a risk set); it also
    enters the propensity model as a categorical covariate. ``cluster``: a column whose values
    are resampled as a whole in the bootstrap (e.g. the person when one person appears in
    several rows). ``exact_in_score=False`` keeps ``exact`` out of the propensity model: with
    many sparse strata (calendar months with a handful of starts) its dummies make the logit
    singular; give a coarser time covariate (e.g. the year) instead.
    """
    if method not in ("psm", "ipw", "aipw"):
        raise ValueError(f"unknown method {method!r}; use 'psm', 'ipw' or 'aipw'")
    if method in ("psm", "aipw") and estimand != "ATT":
        raise ValueError(f"{method} estimates the effect on the treated (ATT); use ipw for ATE")
    model_covariates = list(covariates)
    stratum: np.ndarray | None = None
    if exact is not None:
        if exact not in df.columns:
            raise ValueError(f"columns not in the table: {exact}")
        if exact_in_score:
            df = df.assign(**{f"{exact}__stratum": df[exact].astype(str)})
            model_covariates.append(f"{exact}__stratum")
        stratum = pd.factorize(df[exact])[0]
    clusters: np.ndarray | None = None
    if cluster is not None:
        if cluster not in df.columns:
            raise ValueError(f"columns not in the table: {cluster}")
        clusters = pd.factorize(df[cluster])[0]
    design = build_pattern_design(df, treatment, outcome, model_covariates)
    cells = build_cells(design, stratum)
    scores = score_cells(cells)
    model = PropensityModel(score_model, seed=seed)
    count, cell_outcome = cells.totals(design.outcome, np.ones(design.treated.size))
    with threadpool_limits(limits=1):  # small matrices: threads only contend on a busy machine
        fitted = model.fit(scores.x, scores.treated, scores.counts(count))
    cell_propensity = fitted[scores.cell_score]
    spec = _Spec(method, estimand, caliper, cells.stratum)
    effect, units = _effect(cell_outcome, count, cell_propensity, cells, scores, spec)

    replicates = _bootstrap(design, cells, scores, model, spec, clusters, n_bootstrap, seed, n_jobs)
    alpha = (1 - confidence) / 2
    finite = replicates[np.isfinite(replicates)]
    if finite.size:
        se = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
        if interval == "normal":
            z = float(norm.ppf(1 - alpha))
            low, high = effect - z * se, effect + z * se
        else:
            low, high = np.quantile(finite, [alpha, 1 - alpha])
    else:
        low = high = se = float("nan")

    # Everything below works on cells: a cell's people share its weight evenly, so weighted
    # means over cells equal those over rows.
    y, t = design.outcome, design.treated
    ct, w = cells.treated, units.weight
    treated_mean = (
        float(w[ct] @ cell_outcome[ct] / w[ct].sum()) if w[ct].sum() > 0 else float("nan")
    )
    counterfactual = (
        float(w[~ct] @ cell_outcome[~ct] / w[~ct].sum()) if w[~ct].sum() > 0 else float("nan")
    )
    assert cells.pattern is not None
    balance = balance_table(design.raw.iloc[cells.pattern], ct, w, count)
    overlap = overlap_summary(cell_propensity, ct, w, units.n_unmatched_treated, frequency=count)
    binary = bool(np.isin(np.unique(y), [0.0, 1.0]).all())
    result = EffectEstimate(
        method=method,
        estimand=estimand,
        treatment=treatment,
        outcome=outcome,
        covariates=list(covariates),
        effect=effect,
        ci_low=float(low),
        ci_high=float(high),
        standard_error=se,
        confidence=confidence,
        n_bootstrap=n_bootstrap,
        n_treated=int(t.sum()),
        n_control=int((~t).sum()),
        n_matched_treated=units.n_matched_treated,
        n_controls_used=round(count[~ct & (w > 0)].sum()),
        naive_difference=float(y[t].mean() - y[~t].mean()),
        mean_outcome_treated=treated_mean,
        # Doubly robust: the counterfactual is what the augmented contrast implies.
        mean_outcome_counterfactual=treated_mean - effect if method == "aipw" else counterfactual,
        outcome_is_binary=binary,
        balance=balance,
        overlap=overlap,
        replicates=replicates,
    )
    warnings = effect_warnings(result)
    return _with_text(result, warnings)


def _with_text(result: EffectEstimate, warnings: list[str]) -> EffectEstimate:
    partial = replace(result, warnings=warnings)
    return replace(partial, reading=effect_reading(partial))


@dataclass(frozen=True)
class _Spec:
    method: Method
    estimand: Estimand
    caliper: float | None
    stratum: np.ndarray | None  # exact-matching stratum per cell


# Log-odds scores are clipped to about +-14, so strata this far apart never match each other.
_STRATUM_SPACING = 1e4


def _unit_weights(
    propensity: np.ndarray, treated: np.ndarray, frequency: np.ndarray, spec: _Spec
) -> UnitWeights:
    if spec.method in ("ipw", "aipw"):
        return inverse_probability_weights(propensity, treated, frequency, spec.estimand)
    score = logit(propensity)
    width = None
    if spec.caliper is not None:
        mean = frequency @ score / frequency.sum()
        sd = float(np.sqrt(frequency @ (score - mean) ** 2 / frequency.sum()))
        width = spec.caliper * sd
    if spec.stratum is not None:
        score = score + _STRATUM_SPACING * spec.stratum
    return nearest_neighbour_weights(score, treated, frequency, width)


def _effect(
    mean: np.ndarray,
    count: np.ndarray,
    propensity: np.ndarray,
    cells: Cells,
    scores: ScoreCells,
    spec: _Spec,
) -> tuple[float, UnitWeights]:
    """The effect on cells with their head counts and mean outcomes.

    ``aipw`` (augmented IPW, doubly robust for the ATT): the IPW contrast of the residuals
    y - m0(x), where m0 is a weighted least-squares model of the outcome among controls on the
    same covariates. It is consistent when either the propensity model or the outcome model is
    right (Robins, Rotnitzky and Zhao 1994; for the ATT, Moodie et al. 2018)."""
    units = _unit_weights(propensity, cells.treated, count, spec)
    if spec.method != "aipw":
        return weighted_difference(mean, cells.treated, units.weight), units
    control = np.where(cells.treated, 0.0, count)
    weight = scores.counts(control)
    total = scores.counts(control * mean)
    ybar = np.divide(total, weight, out=np.zeros(weight.size), where=weight > 0)
    x1 = np.column_stack([np.ones(scores.x.shape[0]), scores.x])
    gram = (x1.T * weight) @ x1
    try:
        beta = np.linalg.solve(gram, x1.T @ (weight * ybar))
    except np.linalg.LinAlgError:
        beta = np.linalg.lstsq(gram, x1.T @ (weight * ybar), rcond=None)[0]
    residual = mean - (x1 @ beta)[scores.cell_score]
    return weighted_difference(residual, cells.treated, units.weight), units


_CHUNK = 25  # replicates whose cell counts are held in memory at once


def _bootstrap(
    design: PatternDesign,
    cells: Cells,
    scores: ScoreCells,
    model: PropensityModel,
    spec: _Spec,
    clusters: np.ndarray | None,
    n_bootstrap: int,
    seed: int,
    n_jobs: int | None,
) -> np.ndarray:
    """Percentile-bootstrap replicates of the effect.

    A replicate redraws units (rows, or whole clusters) with replacement; the cell head counts
    and outcome totals of a batch of replicates are one sparse product (cells x units) @
    (units x replicates), so no replicate touches the rows. The propensity model is refitted
    on the score cells, then each replicate re-matches or re-weights its cells."""
    if n_bootstrap <= 0:
        return np.empty(0)
    n = design.treated.size
    unit = clusters if clusters is not None else np.arange(n)
    n_units = int(unit.max()) + 1
    shape = (cells.treated.size, n_units)
    incidence = sparse.csr_matrix((np.ones(n), (cells.row_cell, unit)), shape=shape)
    outcome_sum = sparse.csr_matrix((design.outcome, (cells.row_cell, unit)), shape=shape)
    seeds = np.random.SeedSequence(seed).spawn(n_bootstrap)

    def draws(seq: np.random.SeedSequence) -> np.ndarray:
        rng = np.random.default_rng(seq)
        return np.bincount(rng.integers(0, n_units, n_units), minlength=n_units)

    def replicate(count: np.ndarray, total: np.ndarray) -> float:
        treated = cells.treated
        if not (count[treated] > 0).any() or not (count[~treated] > 0).any():
            return float("nan")
        mean = np.divide(total, count, out=np.zeros(count.size), where=count > 0)
        p = model.refit(scores.x, scores.treated, scores.counts(count))[scores.cell_score]
        return _effect(mean, count, p, cells, scores, spec)[0]

    workers = n_jobs or min(4, os.cpu_count() or 1)
    out: list[float] = []
    # Each replicate works on small matrices; multi-threaded BLAS only adds contention there,
    # so parallelism comes from running replicates side by side instead.
    with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=workers) as pool:
        for first in range(0, n_bootstrap, _CHUNK):
            chunk = seeds[first : first + _CHUNK]
            frequency = np.column_stack([draws(s) for s in chunk]).astype(float)
            counts = np.asarray(incidence @ frequency)
            totals = np.asarray(outcome_sum @ frequency)
            pairs = [(counts[:, j], totals[:, j]) for j in range(len(chunk))]
            if workers == 1:
                out.extend(replicate(c, t) for c, t in pairs)
            else:
                out.extend(pool.map(replicate, *zip(*pairs, strict=True)))
    return np.array(out)
