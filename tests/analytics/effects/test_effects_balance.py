"""Balance table and overlap summary against hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from werkpad.analytics.effects.balance import balance_table, overlap_summary


def test_smd_uses_pooled_sd_before_adjustment_on_both_sides() -> None:
    raw = pd.DataFrame({"age": [20.0, 30.0, 40.0, 60.0]})
    treated = np.array([True, True, False, False])
    # Treated mean 25, var 25; controls mean 50, var 100; pooled sd sqrt(62.5).
    weight = np.array([1.0, 1.0, 1.0, 0.0])  # after: only the control aged 40 is used
    table = balance_table(raw, treated, weight)
    row = table.loc["age"]
    assert row["smd_before"] == pytest.approx((25 - 50) / np.sqrt(62.5))
    assert row["smd_after"] == pytest.approx((25 - 40) / np.sqrt(62.5))
    assert row["mean_control_after"] == pytest.approx(40)


def test_overlap_reports_treated_outside_the_control_score_range() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.9, 0.05])
    treated = np.array([False, False, True, True, True])
    weight = np.array([1.0, 3.0, 1.0, 1.0, 1.0])
    overlap = overlap_summary(p, treated, weight, n_unmatched=1)
    assert overlap.share_treated_above_control_max == pytest.approx(2 / 3)
    assert overlap.share_treated_below_control_min == pytest.approx(1 / 3)
    assert overlap.effective_control_n == pytest.approx(16 / 10)
    assert overlap.largest_control_weight_share == pytest.approx(0.75)
