"""Risk-set matching on person-month data with staggered provision starts."""

from __future__ import annotations

import pandas as pd
import pytest

from werkpad.analytics.effects.simulate import simulate_panel
from werkpad.analytics.effects.staggered import estimate_staggered_effect, risk_set_table


def _estimate(data, method: str = "psm"):
    return estimate_staggered_effect(
        data.panel,
        person="person_id",
        month="month",
        start_month="start_month",
        covariates=list(data.covariates),
        outcome=data.outcome,
        method=method,
        n_bootstrap=60,
        seed=1,
    )


def test_risk_set_keeps_not_yet_treated_months_and_drops_months_after_the_start() -> None:
    panel = pd.DataFrame(
        {
            "person_id": [1, 1, 1, 2, 2],
            "month": [0, 1, 2, 0, 1],
            "start_month": [1, 1, 1, None, None],
        }
    )
    table = risk_set_table(panel, month="month", start_month="start_month")
    assert table[["person_id", "month", "start"]].values.tolist() == [
        [1, 0, 0],
        [1, 1, 1],
        [2, 0, 0],
        [2, 1, 0],
    ]


@pytest.mark.parametrize("method", ["psm", "ipw"])
def test_staggered_estimate_covers_the_replayed_true_effect(method: str) -> None:
    data = simulate_panel(2_500, hazard_effect=0.02, seed=2)
    est = _estimate(data, method)
    assert est.interval_contains(data.true_att)
    assert est.ci_low > 0


def test_without_effect_the_interval_covers_zero_while_ever_vs_never_shows_immortal_time_bias() -> (
    None
):
    data = simulate_panel(2_500, hazard_effect=0.0, seed=3)
    est = _estimate(data)
    assert est.interval_contains(0.0)
    # Participants had to stay on benefit until they started, so they look far worse.
    assert data.naive_ever_vs_never < -0.1
