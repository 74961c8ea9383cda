"""What works for whom: the net effect per subgroup, with a refusal where groups are small.

Each subgroup gets its own propensity model and bootstrap (selection may differ by group).
Below ``min_people`` treated or untreated people a group is not estimated at all: an interval
from 20 people is noise dressed as a finding. Differences between subgroups are only shown as
a contrast with its own interval when both groups are large enough.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from werkpad.analytics.effects.estimate import Method, estimate_effect

MIN_PEOPLE = 50
TOO_SMALL = "te klein om iets te zeggen"


def effects_by_subgroup(
    df: pd.DataFrame,
    treatment: str,
    outcome: str,
    covariates: Sequence[str],
    by: str,
    *,
    method: Method = "psm",
    n_bootstrap: int = 200,
    seed: int = 0,
    min_people: int = MIN_PEOPLE,
    exact: str | None = None,
    cluster: str | None = None,
    exact_in_score: bool = True,
) -> pd.DataFrame:
    """One row per level of ``by``: sizes, effect, interval, naive gap and a Dutch verdict.

    ``exact`` and ``cluster`` are passed to ``estimate_effect`` (risk-set tables: the month and
    the person). With ``cluster``, controls are counted as distinct people, not rows. Covariates
    without variation inside a group are left out of that group's model; a group that still
    cannot be estimated gets the reason as its verdict.
    """
    rows = []
    for level, part in df.groupby(by, sort=True, observed=True):
        n_treated = int((part[treatment] == 1).sum())
        controls = part[part[treatment] == 0]
        n_control = int(controls[cluster].nunique() if cluster else len(controls))
        row: dict[str, object] = {
            by: level,
            "n_treated": n_treated,
            "n_control": n_control,
            "effect": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "naive_difference": np.nan,
        }
        if min(n_treated, n_control) < min_people:
            row["verdict"] = f"{TOO_SMALL} (minder dan {min_people} deelnemers of controles)"
            rows.append(row)
            continue
        adjust = [c for c in covariates if c != by and part[c].nunique(dropna=False) > 1]
        try:
            est = estimate_effect(
                part,
                treatment,
                outcome,
                adjust,
                method=method,
                n_bootstrap=n_bootstrap,
                seed=seed,
                exact=exact,
                cluster=cluster,
                exact_in_score=exact_in_score,
            )
        except ValueError as error:
            row["verdict"] = f"niet te schatten: {error}"
            rows.append(row)
            continue
        row.update(
            effect=est.effect,
            ci_low=est.ci_low,
            ci_high=est.ci_high,
            naive_difference=est.naive_difference,
            verdict=(
                "effect aangetoond"
                if est.ci_low > 0 or est.ci_high < 0
                else "geen effect aangetoond (nul valt binnen het interval)"
            ),
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index(by)
