"""Doubly robust estimation (augmented IPW) and the E-value sensitivity reading."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from werkpad.analytics.effects import estimate_effect
from werkpad.analytics.effects.sensitivity import e_value, effect_e_values, sensitivity_reading
from werkpad.analytics.effects.simulate import simulate_flat


def test_aipw_interval_covers_the_planted_effect_and_beats_the_naive_gap() -> None:
    planted = simulate_flat(6_000, effect=0.08, seed=3)
    est = estimate_effect(
        planted.frame,
        planted.treatment,
        planted.outcome,
        list(planted.covariates),
        method="aipw",
        n_bootstrap=60,
        seed=3,
    )
    assert est.interval_contains(planted.true_effect)
    assert est.naive_difference > est.ci_high
    assert est.mean_outcome_treated - est.mean_outcome_counterfactual == pytest.approx(est.effect)


def test_aipw_agrees_with_weighting_and_the_truth_when_both_models_are_right() -> None:
    planted = simulate_flat(20_000, effect=0.08, seed=5)
    covariates = list(planted.covariates)
    ipw = estimate_effect(
        planted.frame, planted.treatment, planted.outcome, covariates, method="ipw", n_bootstrap=0
    )
    aipw = estimate_effect(
        planted.frame, planted.treatment, planted.outcome, covariates, method="aipw", n_bootstrap=0
    )
    assert abs(aipw.effect - ipw.effect) < 0.02
    assert abs(aipw.effect - planted.true_effect) < 0.03


def test_matching_and_aipw_refuse_the_effect_on_everyone() -> None:
    planted = simulate_flat(500, seed=1)
    with pytest.raises(ValueError, match="ATT"):
        estimate_effect(
            planted.frame,
            planted.treatment,
            planted.outcome,
            list(planted.covariates),
            method="aipw",
            estimand="ATE",
        )


def test_e_value_matches_the_published_formula() -> None:
    # VanderWeele and Ding 2017: RR 3.9 gives an E-value of 7.26.
    assert e_value(3.9) == pytest.approx(3.9 + math.sqrt(3.9 * 2.9))
    assert round(e_value(3.9), 2) == 7.26
    assert e_value(1 / 3.9) == pytest.approx(e_value(3.9))
    assert e_value(1.0) == 1.0


def test_sensitivity_reading_says_in_plain_dutch_how_strong_a_hidden_factor_must_be() -> None:
    planted = simulate_flat(4_000, effect=0.10, seed=2)
    est = estimate_effect(
        planted.frame,
        planted.treatment,
        planted.outcome,
        list(planted.covariates),
        method="ipw",
        n_bootstrap=60,
        seed=2,
    )
    values = effect_e_values(est)
    assert values is not None and values[0] > values[1] > 1
    text = sensitivity_reading(est)
    assert "Een verborgen factor" in text and "om dit effect helemaal te verklaren" in text
    assert text in est.reading
    null = replace(est, ci_low=-0.01, ci_high=0.2)
    assert "het interval bevat nul al" in sensitivity_reading(null)
