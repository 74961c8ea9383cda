"""Stacked event study on balanced monthly dependence panels."""

from __future__ import annotations

import pandas as pd

from werkpad.analytics.effects.event_study import event_study, event_study_figure, stacked_panel
from werkpad.analytics.effects.simulate import simulate_dependence_panel

KEYS = {"person": "person_id", "month": "month", "start_month": "start_month"}


def test_stack_keeps_only_starters_of_that_month_and_clean_controls() -> None:
    panel = pd.DataFrame(
        {
            "person_id": [1] * 5 + [2] * 5 + [3] * 5,
            "month": list(range(5)) * 3,
            "start_month": [2] * 5 + [None] * 5 + [3] * 5,
            "y": 0.0,
        }
    )
    stacks = stacked_panel(panel, **KEYS, pre=1, post=1)
    # Cohort 2 (window 1..3): person 1 treated, person 2 clean; person 3 starts inside it.
    cohort = stacks[stacks["stack"] == 2]
    assert set(cohort["person_id"]) == {1, 2}
    assert cohort.groupby("person_id")["event_time"].apply(list).to_dict() == {
        1: [-1, 0, 1],
        2: [-1, 0, 1],
    }
    assert cohort.loc[cohort["person_id"] == 1, "treated"].all()


def test_event_study_recovers_planted_drop_and_passes_the_pretrend_check() -> None:
    panel = simulate_dependence_panel(1_200, effect=-0.1, seed=2)
    study = event_study(panel, **KEYS, outcome="dependence", pre=4, post=6)
    low, high = study.average_post_ci
    assert low < -0.1 < high
    assert study.pretrend_p > 0.01
    starters = panel[panel["start_month"].notna()]
    after = starters["month"] >= starters["start_month"]
    naive = starters.loc[after, "dependence"].mean() - starters.loc[~after, "dependence"].mean()
    assert naive < low - 0.02  # the common downward trend is credited to the provision


def test_event_study_flags_an_ashenfelter_dip_as_a_failed_pretrend() -> None:
    panel = simulate_dependence_panel(1_200, dip=0.05, seed=3)
    study = event_study(panel, **KEYS, outcome="dependence", pre=6, post=3)
    assert study.pretrend_p < 0.001
    assert study.coefficients.loc[-5, "estimate"] < -0.03
    figure = event_study_figure(study)
    assert len(figure.data[0].x) == 10
