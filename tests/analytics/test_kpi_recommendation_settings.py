"""The settings of the recommendation figures reach them through the KPI context, and the
inflow median is the Kaplan-Meier median lifelines gives."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from test_kpi_recommendations import ASSESSMENTS, CONTACTS, PROVISIONS, ROUTES, SPELLS

from werkpad.analytics import inflow
from werkpad.analytics.kpis import KpiContext, KpiSettings, compute_kpis
from werkpad.analytics.snapshot import Snapshot


def _snapshot(spells: pd.DataFrame) -> Snapshot:
    return Snapshot(
        date(2020, 12, 31),
        routes=ROUTES,
        provisions=PROVISIONS,
        placements=pd.DataFrame(columns=["placement_id", "person", "start_date", "end_date"]),
        benefit_spells=spells,
        assessments=ASSESSMENTS,
        contacts=CONTACTS,
    )


def _value(results: pd.DataFrame, kpi_id: str, measure: str, **where: str) -> float:
    rows = results[(results["kpi_id"] == kpi_id) & (results["measure"] == measure)]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_induction_weeks_setting_decides_within_how_many_weeks_it_counts() -> None:
    snap = _snapshot(SPELLS)
    ctx = KpiContext.for_snapshot(snap, years=[2020])
    # Person 1: benefit from 15 January, induction week (PS2) on 10 February: day 26.
    default = compute_kpis(snap, ctx, ["induction_week_uptake"])
    assert _value(default, "induction_week_uptake", "started", group="Totaal") == 1
    two_weeks = compute_kpis(
        snap, ctx.with_settings(KpiSettings(induction_weeks=2)), ["induction_week_uptake"]
    )
    assert _value(two_weeks, "induction_week_uptake", "started", group="Totaal") == 0
    # Person 3 (20 December) is too young for both; with 2 weeks still (11 days).
    assert _value(two_weeks, "induction_week_uptake", "judged", group="Totaal") == 2


def test_bridge_months_setting_decides_which_gaps_join_two_spells() -> None:
    spells = pd.DataFrame(
        {
            "person": [7, 7],
            "start_date": pd.to_datetime(["2015-01-01", "2017-09-01"]),
            "end_date": pd.to_datetime(["2017-06-30", None]),
            "application_date": pd.to_datetime(["2015-01-01", "2017-09-01"]),
        }
    )
    snap = _snapshot(spells)
    ctx = KpiContext.for_snapshot(snap, years=[2020])
    default = compute_kpis(snap, ctx, ["long_stay_caseload"])
    assert _value(default, "long_stay_caseload", "over_5y", period="2020") == 0  # from 2017
    bridged = compute_kpis(
        snap, ctx.with_settings(KpiSettings(bridge_months=3)), ["long_stay_caseload"]
    )
    assert _value(bridged, "long_stay_caseload", "over_5y", period="2020") == 1  # from 2015


@pytest.mark.parametrize("seed", range(5))
def test_inflow_median_is_the_kaplan_meier_median_with_censoring(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # 25 people: 20 with a contact on distinct days, 5 censored at their follow-up; distinct
    # days keep the estimate off exactly one half, where lifelines' answer depends on rounding.
    event_days = rng.choice(np.arange(1, 200), size=20, replace=False).astype(float)
    days = pd.Series(np.concatenate([event_days, np.full(5, np.nan)]))
    follow_up = pd.Series(rng.integers(56, 300, size=25))
    observed = days.notna().to_numpy()
    durations = np.where(observed, days.fillna(0), follow_up)
    fitter = KaplanMeierFitter().fit(durations, event_observed=observed)
    expected = float(fitter.median_survival_time_)
    assert inflow._km_median(days, follow_up) == pytest.approx(expected)
