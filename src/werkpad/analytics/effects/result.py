"""The result of one effect evaluation, shared by the estimator and its plain-Dutch reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from werkpad.analytics.effects.balance import Overlap
from werkpad.analytics.effects.weighting import Estimand

Method = Literal["psm", "ipw", "aipw"]
DEFINITION_VERSION = 1


@dataclass(frozen=True)
class EffectEstimate:
    """Result of one effect evaluation; ``reading`` says in plain Dutch what it means."""

    method: Method
    estimand: Estimand
    treatment: str
    outcome: str
    covariates: list[str]
    effect: float
    ci_low: float
    ci_high: float
    standard_error: float
    confidence: float
    n_bootstrap: int
    n_treated: int
    n_control: int
    n_matched_treated: int
    n_controls_used: int
    naive_difference: float
    mean_outcome_treated: float
    mean_outcome_counterfactual: float
    outcome_is_binary: bool
    balance: pd.DataFrame
    overlap: Overlap
    warnings: list[str] = field(default_factory=list)
    reading: str = ""
    replicates: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    definition_version: int = DEFINITION_VERSION

    @property
    def max_abs_smd_after(self) -> float:
        return float(self.balance["smd_after"].abs().max())

    def interval_contains(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (balance as a list of rows)."""
        balance = self.balance.reset_index().replace({np.nan: None})
        quantiles = self.overlap.score_quantiles
        return {
            "method": self.method,
            "estimand": self.estimand,
            "treatment": self.treatment,
            "outcome": self.outcome,
            "covariates": self.covariates,
            "effect": self.effect,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "standard_error": self.standard_error,
            "confidence": self.confidence,
            "n_bootstrap": self.n_bootstrap,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "n_matched_treated": self.n_matched_treated,
            "n_controls_used": self.n_controls_used,
            "naive_difference": self.naive_difference,
            "mean_outcome_treated": self.mean_outcome_treated,
            "mean_outcome_counterfactual": self.mean_outcome_counterfactual,
            "balance": balance.to_dict(orient="records"),
            "overlap": {
                "score_quantiles": quantiles.to_dict(orient="index"),
                "share_treated_above_control_max": self.overlap.share_treated_above_control_max,
                "share_treated_below_control_min": self.overlap.share_treated_below_control_min,
                "n_unmatched_treated": self.overlap.n_unmatched_treated,
                "effective_control_n": self.overlap.effective_control_n,
                "largest_control_weight_share": self.overlap.largest_control_weight_share,
            },
            "warnings": self.warnings,
            "reading": self.reading,
            "definition_version": self.definition_version,
        }
