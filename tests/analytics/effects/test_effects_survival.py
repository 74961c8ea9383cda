"""Kaplan-Meier curves and Cox hazard ratios against hand-computed and planted values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from werkpad.analytics.effects.survival import (
    cox_hazard_ratios,
    kaplan_meier_by_group,
    kaplan_meier_figure,
    logrank_p_value,
    median_months_to_work,
)


def test_kaplan_meier_matches_the_product_limit_by_hand() -> None:
    df = pd.DataFrame({"months": [1, 2, 2, 3, 5], "work": [1, 1, 0, 1, 0], "segment": ["A"] * 5})
    curve = kaplan_meier_by_group(df, "months", "work", "segment").set_index("month")
    # 5 at risk, 1 exit at 1: 4/5; 4 at risk, 1 exit at 2: 4/5*3/4; 2 at risk, 1 exit at 3.
    assert curve.loc[1, "survival"] == pytest.approx(0.8)
    assert curve.loc[2, "survival"] == pytest.approx(0.6)
    assert curve.loc[3, "survival"] == pytest.approx(0.3)
    assert curve.loc[3, "at_risk"] == 2


def _planted(n: int = 4_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ladder = rng.integers(1, 7, n)
    segment = rng.choice(["DH_A", "DH_B"], n)
    rate = 0.04 * np.exp(np.log(1.3) * (ladder - 3) + np.log(0.6) * (segment == "DH_B"))
    time = rng.exponential(1 / rate)
    censor = rng.uniform(0, 36, n)
    return pd.DataFrame(
        {
            "months": np.minimum(time, censor),
            "work": (time <= censor).astype(int),
            "ladder_step": ladder,
            "segment": segment,
        }
    )


def test_cox_recovers_planted_hazard_ratios_within_their_intervals() -> None:
    ratios = cox_hazard_ratios(_planted(), "months", "work", ["ladder_step", "segment"])
    assert ratios.loc["ladder_step", "ci_low"] < 1.3 < ratios.loc["ladder_step", "ci_high"]
    assert ratios.loc["segment=DH_B", "ci_low"] < 0.6 < ratios.loc["segment=DH_B", "ci_high"]
    assert (ratios["ph_test_p"] > 0.001).all()


def test_slower_segment_has_longer_median_and_logrank_detects_it() -> None:
    df = _planted(seed=1)
    medians = median_months_to_work(df, "months", "work", "segment")
    assert medians["DH_B"] > medians["DH_A"]
    assert logrank_p_value(df, "months", "work", "segment") < 0.001


def test_kaplan_meier_figure_draws_a_curve_and_band_per_group() -> None:
    curves = kaplan_meier_by_group(_planted(n=500), "months", "work", "segment")
    figure = kaplan_meier_figure(curves)
    names = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert names == ["DH_A", "DH_B"]
    assert len(figure.data) == 4
