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
            # Levels absent from this table (a category column's unused levels) get no column.
            levels = col.astype("category").cat.remove_unused_categories()
            dummies = pd.get_dummies(levels, prefix=name, prefix_sep="=")
            parts.append(dummies.iloc[:, 1:].astype(float))
    return pd.concat(parts, axis=1)


@dataclass(frozen=True)
class PatternDesign:
    """The evaluation table compressed to covariate patterns: rows with identical covariates
    share one row of the (standardised) covariate matrix. Administrative covariates repeat a
    lot (hundreds of thousands of person-months, tens of thousands of patterns), and every
    large float temporary costs more than the arithmetic on it, so nothing row-sized but the
    pattern index, treatment and outcome is built."""

    row_pattern: np.ndarray  # (n,) pattern index of every row
    x: np.ndarray  # (p, k) standardised covariates per pattern, no intercept
    raw: pd.DataFrame  # (p, k) unstandardised encoded covariates, for the balance table
    treated: np.ndarray  # bool (n,)
    outcome: np.ndarray  # float (n,)
    columns: list[str]


def build_pattern_design(
    df: pd.DataFrame, treatment: str, outcome: str, covariates: Sequence[str]
) -> PatternDesign:
    """Validate like ``build_design``; encode and standardise per covariate pattern (means and
    standard deviations are over rows, so ``x`` equals ``build_design``'s rows per pattern)."""
    missing = [c for c in [treatment, outcome, *covariates] if c not in df.columns]
    if missing:
        raise ValueError(f"columns not in the table: {', '.join(missing)}")
    if not covariates:
        raise ValueError("at least one covariate is needed to adjust for selection")
    incomplete = [c for c in [treatment, outcome, *covariates] if df[c].isna().any()]
    if incomplete:
        raise ValueError(f"missing values in: {', '.join(incomplete)}; impute or drop them first")
    treated = _as_indicator(df[treatment], treatment)
    if treated.all() or not treated.any():
        raise ValueError("the treatment column needs both treated (1) and untreated (0) rows")
    y = pd.to_numeric(df[outcome], errors="coerce")
    if y.isna().any():
        raise ValueError(f"outcome {outcome!r} must be numeric")
    row_pattern, first = pattern_index(df, covariates)
    raw = encode_covariates(df[list(covariates)].iloc[first]).reset_index(drop=True)
    values = raw.to_numpy(dtype=float)
    count = np.bincount(row_pattern, minlength=first.size).astype(float)
    mean = count @ values / count.sum()
    sd = np.sqrt(count @ (values - mean) ** 2 / count.sum())
    constant = [c for c, s in zip(raw.columns, sd, strict=True) if s == 0]
    if constant:
        raise ValueError(f"covariates without variation: {', '.join(constant)}")
    return PatternDesign(
        row_pattern=row_pattern,
        x=np.ascontiguousarray((values - mean) / sd),
        raw=raw,
        treated=treated,
        outcome=y.to_numpy(dtype=float),
        columns=list(raw.columns),
    )


def pattern_index(df: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(pattern of every row, first row of every pattern) for the values in ``columns``,
    from integer codes per column (a mixed-radix key while it fits in 63 bits)."""
    key = np.zeros(len(df), dtype=np.int64)
    radix = 1
    for name in columns:
        codes, levels = pd.factorize(df[name], sort=False)
        size = max(len(levels), 1)
        if radix * size >= 2**62:
            # Too many combinations for one integer: compress what we have first.
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
            radix = int(key.max()) + 1
        key = key * size + codes
        radix *= size
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.astype(np.intp), first
