"""Turn a flat evaluation table into the arrays the estimators work on.

One row is one person (or one person at one start date). The treatment column must be 0/1 (or
boolean), the outcome numeric (a 0/1 work exit or months on benefit), covariates numeric,
boolean or categorical. Categorical covariates are one-hot encoded with the first level
dropped; numeric ones are standardised so the propensity model is well conditioned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Design:
    """Arrays for one evaluation: covariate matrix, treatment indicator and outcome."""

    x: np.ndarray  # standardised covariate matrix (n, k), no intercept
    raw: pd.DataFrame  # unstandardised encoded covariates, for the balance table
    treated: np.ndarray  # bool (n,)
    outcome: np.ndarray  # float (n,)
    columns: list[str]


def build_design(
    df: pd.DataFrame, treatment: str, outcome: str, covariates: Sequence[str]
) -> Design:
    """Validate the table and encode covariates; raise ValueError with a plain message."""
    missing = [c for c in [treatment, outcome, *covariates] if c not in df.columns]
    if missing:
        raise ValueError(f"columns not in the table: {', '.join(missing)}")
    if not covariates:
        raise ValueError("at least one covariate is needed to adjust for selection")
    used = df[[treatment, outcome, *covariates]]
    incomplete = used.columns[used.isna().any()].tolist()
    if incomplete:
        raise ValueError(f"missing values in: {', '.join(incomplete)}; impute or drop them first")
    treated = _as_indicator(df[treatment], treatment)
    if treated.all() or not treated.any():
        raise ValueError("the treatment column needs both treated (1) and untreated (0) rows")
    y = pd.to_numeric(df[outcome], errors="coerce")
    if y.isna().any():
        raise ValueError(f"outcome {outcome!r} must be numeric")
    raw = encode_covariates(df[list(covariates)])
    values = raw.to_numpy(dtype=float)
    sd = values.std(axis=0)
    constant = [c for c, s in zip(raw.columns, sd, strict=True) if s == 0]
    if constant:
        raise ValueError(f"covariates without variation: {', '.join(constant)}")
    x = (values - values.mean(axis=0)) / sd
    return Design(
        x=x,
        raw=raw,
        treated=treated,
        outcome=y.to_numpy(dtype=float),
        columns=list(raw.columns),
    )


def _as_indicator(column: pd.Series, name: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=bool)
    values = pd.to_numeric(column, errors="coerce")
    if not values.isin([0, 1]).all():
        raise ValueError(f"treatment {name!r} must be 0/1 or boolean")
    return np.asarray(values.to_numpy() == 1)


def encode_covariates(covariates: pd.DataFrame) -> pd.DataFrame:
    """Numeric and boolean columns as floats; categories one-hot against their first level."""
    parts: list[pd.DataFrame] = []
    for name in covariates.columns:
        col = covariates[name]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            parts.append(col.astype(float).to_frame(name))
        else:
            dummies = pd.get_dummies(col.astype("category"), prefix=name, prefix_sep="=")
            parts.append(dummies.iloc[:, 1:].astype(float))
    return pd.concat(parts, axis=1)
