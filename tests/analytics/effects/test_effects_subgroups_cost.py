"""What works for whom, and what it costs."""

from __future__ import annotations

import numpy as np
import pytest

from werkpad.analytics.effects import estimate_effect
from werkpad.analytics.effects.cost import benefit_savings, cost_per_additional_exit
from werkpad.analytics.effects.simulate import COVARIATES, simulate_flat
from werkpad.analytics.effects.subgroups import TOO_SMALL, effects_by_subgroup


def test_subgroup_intervals_cover_their_own_planted_effects() -> None:
    data = simulate_flat(30_000, seed=6, effect_by_sex={"M": 0.15, "V": 0.02})
    table = effects_by_subgroup(
        data.frame, "treated", "work_exit_12m", COVARIATES, by="sex", n_bootstrap=100
    )
    assert table.loc["M", "ci_low"] < 0.15 < table.loc["M", "ci_high"]
    assert table.loc["V", "ci_low"] < 0.02 < table.loc["V", "ci_high"]
    assert table.loc["M", "ci_low"] > table.loc["V", "ci_high"]


def test_small_subgroup_is_not_estimated_but_labelled_too_small() -> None:
    frame = simulate_flat(6_000, seed=2).frame
    frame["district"] = np.where(frame.index < 120, "Ypenburg", "Centrum")
    table = effects_by_subgroup(
        frame, "treated", "work_exit_12m", COVARIATES, by="district", n_bootstrap=30
    )
    assert TOO_SMALL in table.loc["Ypenburg", "verdict"]
    assert np.isnan(table.loc["Ypenburg", "effect"])
    assert not np.isnan(table.loc["Centrum", "effect"])


def test_cost_per_additional_exit_divides_cost_by_effect_and_swaps_the_bounds() -> None:
    data = simulate_flat(20_000, effect=0.1, seed=3)
    est = estimate_effect(data.frame, "treated", "work_exit_12m", COVARIATES, n_bootstrap=100)
    result = cost_per_additional_exit(est, cost_per_participant=2_000)
    assert result.cost_per_additional_exit == pytest.approx(2_000 / est.effect)
    assert result.ci_low == pytest.approx(2_000 / est.ci_high)
    assert result.ci_high == pytest.approx(2_000 / est.ci_low)


def test_cost_per_exit_has_no_finite_upper_bound_when_zero_effect_is_possible() -> None:
    data = simulate_flat(2_000, effect=0.0, seed=4)
    est = estimate_effect(data.frame, "treated", "work_exit_12m", COVARIATES, n_bootstrap=100)
    assert est.ci_low < 0
    assert cost_per_additional_exit(est, 2_000).ci_high == float("inf")


def test_benefit_savings_follow_the_planted_reduction_in_months_on_benefit() -> None:
    data = simulate_flat(30_000, effect=0.1, seed=5)
    est = estimate_effect(
        data.frame, "treated", "months_on_benefit_12", COVARIATES, n_bootstrap=100
    )
    assert est.interval_contains(-0.55)  # -5.5 months per exit times 0.1 extra exits
    savings = benefit_savings(est, monthly_benefit=1_400, cost_per_participant=500)
    assert savings.savings_per_participant == pytest.approx(-est.effect * 1_400)
    assert savings.ci_low == pytest.approx(-est.ci_high * 1_400)
    assert savings.net_per_participant == pytest.approx(savings.savings_per_participant - 500)
