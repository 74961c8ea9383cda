"""Interval coverage: over many small planted data sets a 95% interval covers the truth
about 95% of the time (accepted 0.90-0.99; the full study is in bench/)."""

from __future__ import annotations

import pytest

from werkpad.analytics.effects import estimate_effect
from werkpad.analytics.effects.simulate import simulate_flat

REPETITIONS = 200


@pytest.mark.slow
@pytest.mark.parametrize("interval", ["normal", "percentile"])
def test_weighting_interval_covers_the_planted_effect_about_95_percent_of_the_time(
    interval: str,
) -> None:
    hits = 0
    for seed in range(REPETITIONS):
        planted = simulate_flat(800, effect=0.08, seed=seed)
        est = estimate_effect(
            planted.frame,
            planted.treatment,
            planted.outcome,
            list(planted.covariates),
            method="ipw",
            n_bootstrap=50 if interval == "normal" else 100,
            seed=seed,
            interval=interval,  # type: ignore[arg-type]
            n_jobs=1,
        )
        hits += est.interval_contains(planted.true_effect)
    assert 0.90 <= hits / REPETITIONS <= 0.99
