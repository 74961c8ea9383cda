"""Propensity score: the probability of receiving the treatment given the covariates.

Logit (scikit-learn ``LogisticRegression``, unpenalised, Newton-Cholesky) is the default;
gradient boosting (``HistGradientBoostingClassifier``) is available when selection is believed
to be non-linear. Both take frequency weights (cell head counts times bootstrap draws).

Bootstrap replicates of the logit use the k-step bootstrap (Andrews 2002, Econometrica 70:
119-162): starting from the full-sample coefficients, which lie within sampling error of each
replicate's optimum, two Newton steps on the replicate's weighted likelihood give coefficients
that agree with a full refit to well below sampling error (Newton converges quadratically), at
a fraction of the cost. ``tests/analytics/effects`` checks this against scikit-learn's refit.

Why not refit each replicate with scikit-learn, warm-started? Tried (2026-11-23): the
Newton-Cholesky solver wraps every step in ``warnings.catch_warnings()`` to turn
``LinAlgWarning`` into an error, and that context manager is not thread-safe, so in the
threaded bootstrap one replicate's sparse-category fallback warning was raised as an exception
in another thread (tests/analytics/effects/test_effects_evaluation.py failed); switching the
refit to L-BFGS at a tolerance that matches a cold refit made the 100,000-row benchmark 2.4x
slower. The full-sample fit, the only optimisation here, stays scikit-learn's.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.special import expit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

ScoreModel = Literal["logit", "boosting"]
_EPS = 1e-6
K_STEPS = 2


class PropensityModel:
    """Fit on the full sample with ``fit``; then ``refit`` on bootstrap weights."""

    def __init__(self, kind: ScoreModel = "logit", seed: int = 0) -> None:
        if kind not in ("logit", "boosting"):
            raise ValueError(f"unknown score model {kind!r}; use 'logit' or 'boosting'")
        self.kind = kind
        self.seed = seed
        self.coefficients: np.ndarray | None = None  # intercept first, for the logit
        self._x: np.ndarray | None = None
        self._x1: np.ndarray | None = None

    def fit(self, x: np.ndarray, treated: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Full-sample fit; returns propensity scores clipped away from 0 and 1."""
        if self.kind == "boosting":
            return self._boosting(x, treated, weight)
        model = LogisticRegression(C=np.inf, solver="newton-cholesky", max_iter=100)
        model.fit(x, treated, sample_weight=weight)
        self.coefficients = np.concatenate([model.intercept_, model.coef_[0]])
        self._x, self._x1 = x, _with_intercept(x)
        return _clip(expit(self._x1 @ self.coefficients))

    def refit(self, x: np.ndarray, treated: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Propensity scores re-estimated on a bootstrap replicate's weights."""
        if self.kind == "boosting":
            return self._boosting(x, treated, weight)
        if self.coefficients is None:
            raise RuntimeError("fit the full sample before refitting a replicate")
        return _clip(expit(self._design(x) @ self.k_step(x, treated, weight)))

    def k_step(self, x: np.ndarray, treated: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Logit coefficients (intercept first) after ``K_STEPS`` Newton steps from the fit."""
        assert self.coefficients is not None
        x1 = self._design(x)
        beta = self.coefficients.copy()
        t = treated.astype(float)
        for _ in range(K_STEPS):
            p = expit(x1 @ beta)
            gradient = x1.T @ (weight * (t - p))
            hessian = (x1.T * (weight * p * (1 - p))) @ x1
            try:
                step = np.linalg.solve(hessian, gradient)
            except np.linalg.LinAlgError:
                # A sparse category absent from this replicate: its column is all zero, so take
                # the minimum-norm step, which leaves that coefficient where the full fit put it.
                step = np.linalg.lstsq(hessian, gradient, rcond=None)[0]
            beta = beta + step
        return beta

    def _design(self, x: np.ndarray) -> np.ndarray:
        # The cells do not change between replicates, so their design matrix is built once.
        return self._x1 if x is self._x and self._x1 is not None else _with_intercept(x)

    def _boosting(self, x: np.ndarray, treated: np.ndarray, weight: np.ndarray) -> np.ndarray:
        model = HistGradientBoostingClassifier(
            max_iter=100, learning_rate=0.1, max_leaf_nodes=15, random_state=self.seed
        )
        model.fit(x, treated, sample_weight=weight)
        return _clip(model.predict_proba(x)[:, 1])


def _with_intercept(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(x.shape[0]), x])


def _clip(p: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS)


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds of a probability: the scale on which matching and the caliper work."""
    return np.log(p) - np.log1p(-p)
