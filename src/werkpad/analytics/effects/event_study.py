"""Event study (difference-in-differences) of benefit dependence around a provision start.

Data: a balanced monthly panel, one row per person per calendar month, with the outcome of
that month (on benefit 0/1, or the benefit amount) and each person's provision start month
(missing if never). A two-way fixed-effects regression over all cohorts at once is biased when
starts are staggered and effects change over time (Goodman-Bacon 2021; Sun and Abraham 2021),
so this uses a stacked design (Cengiz et al. 2019): per start month, the people who start then
and clean controls who never start or start only after the window, with person and month
fixed effects within each stack. The coefficient for event time k is the difference-in-
differences against the month before the start (k = -1). Pre-start coefficients are the
pre-trend check: they should be near zero, and an Ashenfelter dip shows up there.
Standard errors are clustered by person (a control appears in several stacks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm


@dataclass(frozen=True)
class EventStudy:
    """Coefficients per event time and the summary tests."""

    coefficients: pd.DataFrame  # index event_time; estimate, ci_low, ci_high, se
    pretrend_p: float  # joint test that all pre-start coefficients (k < -1) are zero
    average_post: float
    average_post_ci: tuple[float, float]
    n_treated: int
    n_control_person_stacks: int


def stacked_panel(
    panel: pd.DataFrame, *, person: str, month: str, start_month: str, pre: int, post: int
) -> pd.DataFrame:
    """One stack per start month: its starters and clean controls over the event window."""
    first, last = panel[month].min(), panel[month].max()
    window = pre + post + 1
    starts = panel.groupby(person)[start_month].first()
    stacks = []
    for cohort in sorted(starts.dropna().unique()):
        if cohort - pre < first or cohort + post > last:
            continue
        treated = starts.index[starts == cohort]
        clean = starts.index[starts.isna() | (starts > cohort + post)]
        rows = panel[
            panel[person].isin(treated.union(clean))
            & panel[month].between(cohort - pre, cohort + post)
        ]
        complete = rows.groupby(person)[month].transform("size") == window
        rows = rows.loc[complete, [person, month]].assign(
            stack=int(cohort),
            event_time=(rows.loc[complete, month] - cohort).astype(int),
            treated=rows.loc[complete, person].isin(treated).to_numpy(),
        )
        stacks.append(rows.join(panel.loc[rows.index].drop(columns=[person, month])))
    if not stacks:
        raise ValueError("no start month has a complete event window in the panel")
    return pd.concat(stacks, ignore_index=True)


def event_study(
    panel: pd.DataFrame,
    *,
    person: str,
    month: str,
    start_month: str,
    outcome: str,
    pre: int = 6,
    post: int = 12,
    confidence: float = 0.95,
) -> EventStudy:
    """Stacked event-study coefficients for ``outcome`` from ``pre`` months before to ``post``."""
    data = stacked_panel(
        panel, person=person, month=month, start_month=start_month, pre=pre, post=post
    )
    times = [k for k in range(-pre, post + 1) if k != -1]
    regressors = pd.DataFrame(
        {k: (data["treated"] & (data["event_time"] == k)).astype(float) for k in times}
    )
    columns = [*times, "__y"]
    regressors["__y"] = data[outcome].astype(float).to_numpy()
    # Balanced stacks: two-way demeaning within a stack is exactly the fixed-effects fit.
    unit = data["stack"].astype(str) + "|" + data[person].astype(str)
    period = data["stack"].astype(str) + "|" + data["event_time"].astype(str)
    demeaned = (
        regressors[columns]
        - regressors.groupby(unit)[columns].transform("mean")
        - regressors.groupby(period)[columns].transform("mean")
        + regressors.groupby(data["stack"])[columns].transform("mean")
    )
    groups = pd.factorize(data[person])[0]
    fit = sm.OLS(demeaned["__y"], demeaned[times]).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    ci = fit.conf_int(alpha=1 - confidence)
    coefficients = pd.DataFrame(
        {"estimate": fit.params, "ci_low": ci[0], "ci_high": ci[1], "se": fit.bse}
    )
    coefficients.loc[-1] = [0.0, 0.0, 0.0, 0.0]
    coefficients = coefficients.sort_index().rename_axis("event_time")

    pre_times = [k for k in times if k < -1]
    pretrend_p = float("nan")
    if pre_times:
        restriction = np.zeros((len(pre_times), len(times)))
        for row, k in enumerate(pre_times):
            restriction[row, times.index(k)] = 1.0
        pretrend_p = float(fit.f_test(restriction).pvalue)
    post_weights = np.array([1.0 if k >= 0 else 0.0 for k in times])
    post_weights /= post_weights.sum()
    average = fit.t_test(post_weights)
    low, high = np.asarray(average.conf_int(alpha=1 - confidence)).ravel()
    return EventStudy(
        coefficients=coefficients,
        pretrend_p=pretrend_p,
        average_post=float(np.asarray(average.effect).ravel()[0]),
        average_post_ci=(float(low), float(high)),
        n_treated=int(data.loc[data["treated"], [person, "stack"]].drop_duplicates().shape[0]),
        n_control_person_stacks=int(
            data.loc[~data["treated"], [person, "stack"]].drop_duplicates().shape[0]
        ),
    )


def event_study_figure(study: EventStudy, title: str = "Uitkeringsafhankelijkheid rond start"):
    """Plotly figure of the coefficients with intervals; the pre-start part is the pre-trend."""
    import plotly.graph_objects as go

    c = study.coefficients
    figure = go.Figure(
        go.Scatter(
            x=c.index,
            y=c["estimate"],
            mode="markers+lines",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": c["ci_high"] - c["estimate"],
                "arrayminus": c["estimate"] - c["ci_low"],
            },
            name="verschil t.o.v. maand -1",
        )
    )
    figure.add_hline(y=0, line_dash="dot")
    figure.add_vline(x=-0.5, line_dash="dash")
    figure.update_layout(
        title=f"{title} (pre-trend p = {study.pretrend_p:.2f})",
        xaxis_title="maanden t.o.v. start voorziening",
        yaxis_title="verschil (difference-in-differences)",
    )
    return figure
