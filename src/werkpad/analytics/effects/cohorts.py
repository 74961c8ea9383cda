"""Cohort benchmark: of the people on benefit on a reference date, how many still are later?

Definition (version 1). A cohort is everyone with a benefit spell running on a reference date
(1 January and 1 July by default): start <= date and (no end, or end > date). For horizon k
months the outcome is 1 if the spell is still running k months later, 0 if it ended before,
and missing when date + k lies after ``as_of`` (not yet observable). Raw shares differ between
teams, segments or periods partly because their people differ; the adjusted comparison is a
linear probability model with the compared groups, the covariates (age, sex, migration
background, benefit duration at the reference date ...) and reference-date fixed effects,
with standard errors clustered by person (someone can be in several cohorts). Adjusted shares
are g-computation: the mean prediction with everyone assigned to that group.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import statsmodels.api as sm

from werkpad.analytics.effects.design import encode_covariates

DAYS_PER_MONTH = 30.4375


def half_year_reference_dates(first: date, last: date) -> list[date]:
    """Every 1 January and 1 July from ``first`` to ``last`` inclusive."""
    out = []
    for year in range(first.year, last.year + 1):
        for month in (1, 7):
            day = date(year, month, 1)
            if first <= day <= last:
                out.append(day)
    return out


def benefit_cohorts(
    spells: pd.DataFrame,
    *,
    start: str,
    end: str,
    as_of: date,
    reference_dates: Sequence[date] | None = None,
    horizons: Sequence[int] = (6, 12, 18),
    birth_date: str | None = None,
) -> pd.DataFrame:
    """One row per spell running on each reference date, with the still-on-benefit outcomes.

    Other columns of ``spells`` (person, team, segment, sex ...) are carried along. Adds
    ``reference_date``, ``benefit_months`` (duration at that date), ``age`` when
    ``birth_date`` is given, and ``on_benefit_{k}m`` per horizon.
    """
    starts = pd.to_datetime(spells[start])
    ends = pd.to_datetime(spells[end])
    if reference_dates is None:
        reference_dates = half_year_reference_dates(starts.min().date(), as_of)
    limit = pd.Timestamp(as_of)
    frames = []
    for ref in reference_dates:
        ts = pd.Timestamp(ref)
        running = (starts <= ts) & (ends.isna() | (ends > ts))
        rows = spells.loc[running].copy()
        rows["reference_date"] = ts
        rows["benefit_months"] = (ts - starts[running]).dt.days / DAYS_PER_MONTH
        if birth_date is not None:
            born = pd.to_datetime(rows[birth_date])
            rows["age"] = (ts - born).dt.days / 365.25
        for k in horizons:
            later = ts + pd.DateOffset(months=k)
            still = (ends[running].isna() | (ends[running] > later)).astype(float)
            rows[f"on_benefit_{k}m"] = still if later <= limit else np.nan
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def adjusted_cohort_comparison(
    cohorts: pd.DataFrame,
    *,
    group: str,
    covariates: Sequence[str],
    person: str,
    horizon: int = 12,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Raw and adjusted share still on benefit after ``horizon`` months, per group.

    ``difference`` and its interval compare each group with the first (reference) group,
    after adjustment.
    """
    outcome = f"on_benefit_{horizon}m"
    data = cohorts.dropna(subset=[outcome]).reset_index(drop=True)
    if data.empty:
        raise ValueError(f"no cohort has {horizon} months of follow-up yet")
    levels = sorted(data[group].unique())
    groups = pd.get_dummies(pd.Categorical(data[group], categories=levels), prefix="g").iloc[:, 1:]
    dates = pd.get_dummies(data["reference_date"].astype(str), prefix="ref").iloc[:, 1:]
    x = pd.concat(
        [groups.astype(float), encode_covariates(data[list(covariates)]), dates.astype(float)],
        axis=1,
    )
    x = sm.add_constant(x, has_constant="add")
    y = data[outcome].astype(float)
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data[person])[0]})
    ci = fit.conf_int(alpha=1 - confidence)
    rows = []
    for i, level in enumerate(levels):
        counterfactual = x.copy()
        counterfactual[groups.columns] = 0.0
        if i > 0:
            counterfactual[groups.columns[i - 1]] = 1.0
        name = groups.columns[i - 1] if i > 0 else None
        rows.append(
            {
                group: level,
                "n": int((data[group] == level).sum()),
                "raw_share": float(y[data[group] == level].mean()),
                "adjusted_share": float(fit.predict(counterfactual).mean()),
                "difference": float(fit.params[name]) if name else 0.0,
                "ci_low": float(ci.loc[name, 0]) if name else 0.0,
                "ci_high": float(ci.loc[name, 1]) if name else 0.0,
            }
        )
    return pd.DataFrame(rows).set_index(group)
