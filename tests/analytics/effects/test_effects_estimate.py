"""estimate_effect on planted-effect data: recovery, bias of the naive gap, coverage, inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom
from sklearn.linear_model import LogisticRegression

from werkpad.analytics.effects import estimate_effect
from werkpad.analytics.effects.propensity import PropensityModel
from werkpad.analytics.effects.simulate import simulate_flat


def _estimate(data, **kwargs):
    return estimate_effect(
        data.frame, data.treatment, data.outcome, list(data.covariates), **kwargs
    )


@pytest.mark.parametrize("method", ["psm", "ipw"])
def test_planted_effect_lies_in_the_interval_while_naive_gap_is_biased(method: str) -> None:
    data = simulate_flat(20_000, effect=0.08, seed=11)
    est = _estimate(data, method=method, n_bootstrap=100, seed=1)
    assert est.interval_contains(0.08)
    assert est.ci_high - est.ci_low < 0.06
    # Selection on employability inflates the raw comparison far beyond the interval.
    assert est.naive_difference > est.ci_high + 0.02
    assert est.max_abs_smd_after < 0.1
    assert est.balance["smd_before"].abs().max() > 0.3


@pytest.mark.parametrize("method", ["psm", "ipw"])
def test_interval_covers_zero_at_nominal_rate_without_planted_effect(method: str) -> None:
    seeds = 40
    covered = 0
    for seed in range(seeds):
        data = simulate_flat(1_500, effect=0.0, seed=500 + seed)
        est = _estimate(data, method=method, n_bootstrap=100, seed=seed, n_jobs=1)
        covered += est.interval_contains(0.0)
    # Accept anything a true 95% interval produces with probability >= 0.999.
    assert covered >= binom.ppf(0.001, seeds, 0.95)


def test_estimate_is_reproducible_and_independent_of_thread_count() -> None:
    data = simulate_flat(3_000, seed=4)
    one = _estimate(data, n_bootstrap=50, seed=9, n_jobs=1)
    two = _estimate(data, n_bootstrap=50, seed=9, n_jobs=2)
    assert np.array_equal(one.replicates, two.replicates)
    assert (one.ci_low, one.ci_high) == (two.ci_low, two.ci_high)


def test_k_step_bootstrap_refit_agrees_with_a_full_scikit_learn_refit() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5_000, 4))
    treated = rng.random(5_000) < 1 / (1 + np.exp(-(x @ [0.8, -0.5, 0.3, 0.0])))
    model = PropensityModel("logit")
    model.fit(x, treated, np.ones(5_000))
    weight = rng.poisson(1.0, 5_000).astype(float)
    full = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-10)
    full.fit(x, treated, sample_weight=weight)
    expected = np.concatenate([full.intercept_, full.coef_[0]])
    assert model.k_step(x, treated, weight) == pytest.approx(expected, abs=1e-6)


def test_matching_estimates_the_effect_on_the_treated_only() -> None:
    data = simulate_flat(500, seed=1)
    with pytest.raises(ValueError, match="ATT"):
        _estimate(data, method="psm", estimand="ATE", n_bootstrap=0)


def test_ipw_ate_recovers_a_constant_planted_effect() -> None:
    # The ATE needs overlap on both sides (treated with tiny scores get weights 1/p), so the
    # selection is milder here than in the ATT tests.
    data = simulate_flat(20_000, effect=0.1, selection=0.5, seed=21)
    est = _estimate(data, method="ipw", estimand="ATE", n_bootstrap=100, seed=2)
    assert est.interval_contains(0.1)


@pytest.mark.slow
def test_boosting_score_model_also_recovers_the_planted_effect() -> None:
    # Boosting refits from scratch per replicate, so few replicates keep the test quick.
    data = simulate_flat(6_000, effect=0.1, seed=5)
    est = _estimate(data, method="ipw", score_model="boosting", n_bootstrap=20, seed=3)
    assert est.interval_contains(0.1)
    assert est.naive_difference > est.ci_high


def test_missing_covariate_values_are_refused_with_the_column_named() -> None:
    frame = simulate_flat(200, seed=1).frame
    frame.loc[3, "age"] = np.nan
    with pytest.raises(ValueError, match="age"):
        estimate_effect(frame, "treated", "work_exit_12m", ["age", "sex"], n_bootstrap=0)


def test_treatment_without_untreated_rows_is_refused() -> None:
    frame = pd.DataFrame({"t": [1, 1, 1], "y": [0, 1, 0], "age": [20, 30, 40]})
    with pytest.raises(ValueError, match="both treated"):
        estimate_effect(frame, "t", "y", ["age"], n_bootstrap=0)


def test_reading_warns_when_too_few_participants_to_say_anything() -> None:
    data = simulate_flat(150, seed=8)
    est = _estimate(data, n_bootstrap=20)
    assert est.n_treated < 50
    assert any("Te weinig deelnemers" in w for w in est.warnings)
    assert "Let op" in est.reading


def test_reading_states_the_effect_in_percentage_points_in_dutch() -> None:
    data = simulate_flat(5_000, effect=0.1, seed=2)
    est = _estimate(data, n_bootstrap=50)
    points = f"{est.effect * 100:.1f}".replace(".", ",")
    assert f"{points} procentpunt hoger" in est.reading
    assert "betrouwbaarheidsinterval" in est.reading


def test_exact_matching_never_pairs_people_from_different_months() -> None:
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame(
        {
            "month": np.repeat([1, 2], n // 2),
            "age": rng.integers(20, 60, n),
            "treated": np.tile([1, 0, 0, 0], n // 4),
        }
    )
    # The outcome is the month itself: any cross-month pair would show up as an effect.
    frame["y"] = frame["month"].astype(float)
    est = estimate_effect(frame, "treated", "y", ["age"], exact="month", n_bootstrap=0)
    assert est.effect == 0.0


def test_cluster_bootstrap_widens_the_interval_when_rows_repeat_per_person() -> None:
    data = simulate_flat(1_000, effect=0.1, seed=12)
    repeated = pd.concat([data.frame] * 5, ignore_index=True)
    covariates = list(data.covariates)
    naive = estimate_effect(
        repeated, "treated", "work_exit_12m", covariates, method="ipw", n_bootstrap=100
    )
    clustered = estimate_effect(
        repeated,
        "treated",
        "work_exit_12m",
        covariates,
        "ipw",
        n_bootstrap=100,
        cluster="person_id",
    )
    # Five copies of one person carry one person's information, not five.
    ratio = (clustered.ci_high - clustered.ci_low) / (naive.ci_high - naive.ci_low)
    assert ratio > 1.7
