"""Time to a work exit: Kaplan-Meier curves per group and a Cox model with hazard ratios.

Duration is months from the start of the spell (benefit spell, route or provision) to a work
exit; ``event`` is 1 for a work exit and 0 otherwise. Other exits (moving, detention, benefit
ended for other reasons) and spells still running are censored at their end: the curves are
then cause-specific "still without a work exit" curves, which is the usual reading in the
evaluations but overstates the share still on benefit. Both use lifelines.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test, proportional_hazard_test

from werkpad.analytics.effects.design import build_design


def kaplan_meier_by_group(
    df: pd.DataFrame, duration: str, event: str, group: str, confidence: float = 0.95
) -> pd.DataFrame:
    """Share still without a work exit over time, per group, with pointwise intervals.

    Long format: group, month, survival, ci_low, ci_high, at_risk (people still followed).
    """
    frames = []
    for name, part in df.groupby(group, sort=True, observed=True):
        kmf = KaplanMeierFitter(alpha=1 - confidence)
        kmf.fit(part[duration], event_observed=part[event])
        ci = kmf.confidence_interval_survival_function_
        table = kmf.event_table
        frames.append(
            pd.DataFrame(
                {
                    "group": name,
                    "month": kmf.survival_function_.index.to_numpy(),
                    "survival": kmf.survival_function_.iloc[:, 0].to_numpy(),
                    "ci_low": ci.iloc[:, 0].to_numpy(),
                    "ci_high": ci.iloc[:, 1].to_numpy(),
                    "at_risk": table["at_risk"].reindex(kmf.survival_function_.index).to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def median_months_to_work(df: pd.DataFrame, duration: str, event: str, group: str) -> pd.Series:
    """Median months until half the group had a work exit (inf if never reached)."""
    result = {}
    for name, part in df.groupby(group, sort=True, observed=True):
        kmf = KaplanMeierFitter().fit(part[duration], event_observed=part[event])
        result[name] = float(kmf.median_survival_time_)
    return pd.Series(result, name="median_months")


def logrank_p_value(df: pd.DataFrame, duration: str, event: str, group: str) -> float:
    """p-value of the log-rank test that all groups share one curve."""
    test = multivariate_logrank_test(df[duration], df[group], df[event])
    return float(test.p_value)


def cox_hazard_ratios(
    df: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    strata: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Hazard ratios of a work exit from a Cox proportional-hazards model.

    A ratio above 1 means a faster route to work. Categorical covariates are one-hot encoded
    against their first level. ``ph_test_p`` is the Grambsch-Therneau test of proportional
    hazards per covariate (rank time transform): a small value means the ratio changes over
    time and the single number hides that.
    """
    design = build_design(df.assign(__event=df[event]), "__event", duration, covariates)
    frame = design.raw.copy()
    frame[duration] = df[duration].to_numpy()
    frame[event] = df[event].to_numpy()
    if strata:
        for column in strata:
            frame[column] = df[column].to_numpy()
    cph = CoxPHFitter(alpha=1 - confidence)
    cph.fit(frame, duration_col=duration, event_col=event, strata=list(strata) if strata else None)
    summary = cph.summary
    ph = proportional_hazard_test(cph, frame, time_transform="rank").summary["p"]
    return pd.DataFrame(
        {
            "hazard_ratio": summary["exp(coef)"],
            "ci_low": summary[f"exp(coef) lower {confidence:.0%}"],
            "ci_high": summary[f"exp(coef) upper {confidence:.0%}"],
            "p": summary["p"],
            "ph_test_p": ph.reindex(summary.index).to_numpy(),
        },
        index=pd.Index(summary.index, name="covariate"),
    ).assign(n=len(frame), events=int(np.sum(frame[event])))


def kaplan_meier_figure(curves: pd.DataFrame, title: str = "Tijd tot uitstroom naar werk"):
    """Plotly step plot of ``kaplan_meier_by_group`` output, one line and band per group."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for name, part in curves.groupby("group", sort=True):
        x = part["month"].tolist()
        figure.add_trace(
            go.Scatter(
                x=x + x[::-1],
                y=part["ci_high"].tolist() + part["ci_low"].tolist()[::-1],
                fill="toself",
                line={"width": 0},
                opacity=0.2,
                showlegend=False,
                hoverinfo="skip",
                line_shape="hv",
            )
        )
        figure.add_trace(go.Scatter(x=x, y=part["survival"], name=str(name), line_shape="hv"))
    figure.update_layout(
        title=title,
        xaxis_title="maanden",
        yaxis_title="aandeel nog zonder uitstroom naar werk",
        yaxis_range=[0, 1],
    )
    return figure
