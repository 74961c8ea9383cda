"""Provisions that start at different moments: risk-set matching on person-month data.

Comparing people who ever got a provision with people who never did is biased: participants
had to stay on benefit until their start (immortal time), and leavers never got the chance.
The risk-set design (Li, Propert and Rosenbaum 2001; Sianesi 2004) compares each participant
in their start month with people who are on benefit in that same month and have not (yet)
started; those controls may start later, so the estimand is "starting now versus not now".
Matching is exact on the month and nearest on a propensity score that includes the month;
the bootstrap resamples people, because one person is a control in many months.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from werkpad.analytics.effects.estimate import EffectEstimate, Interval, Method, estimate_effect


def risk_set_table(
    panel: pd.DataFrame, *, month: str, start_month: str, treatment: str = "start"
) -> pd.DataFrame:
    """Person-months at risk of starting: on benefit (a row in ``panel``), not started before.

    ``panel`` has one row per person per month on benefit with time-varying covariates and
    the forward-looking outcome of that month; ``start_month`` is the person's start month
    (missing when they never started). Adds the 0/1 column ``treatment``: starts this month.
    """
    starts = panel[start_month]
    at_risk = starts.isna() | (starts >= panel[month])
    table = panel.loc[at_risk].copy()
    table[treatment] = (table[start_month] == table[month]).astype(int)
    return table


def estimate_staggered_effect(
    panel: pd.DataFrame,
    *,
    person: str,
    month: str,
    start_month: str,
    covariates: Sequence[str],
    outcome: str,
    method: Method = "psm",
    treatment: str = "start",
    caliper: float | None = 0.2,
    n_bootstrap: int = 200,
    seed: int = 0,
    month_in_score: bool = True,
    interval: Interval = "percentile",
) -> EffectEstimate:
    """Effect on participants of starting in their start month, against the not-yet-treated.

    ``month_in_score=False``: match exactly on the month but leave the month dummies out of the
    propensity model (sparse real data; add a coarser period covariate instead).
    """
    table = risk_set_table(panel, month=month, start_month=start_month, treatment=treatment)
    return estimate_effect(
        table,
        treatment,
        outcome,
        covariates,
        method=method,
        caliper=caliper,
        n_bootstrap=n_bootstrap,
        seed=seed,
        exact=month,
        cluster=person,
        exact_in_score=month_in_score,
        interval=interval,
    )
