"""Matching and weighting on hand-built scores, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from werkpad.analytics.effects.weighting import (
    inverse_probability_weights,
    nearest_neighbour_weights,
    weighted_difference,
)


def test_matching_pairs_each_treated_with_its_nearest_control() -> None:
    score = np.array([0.0, 1.0, 0.1, 0.9, 5.0])
    treated = np.array([False, False, True, True, False])
    units = nearest_neighbour_weights(score, treated, np.ones(5), caliper_width=None)
    # Treated at 0.1 -> control at 0.0; treated at 0.9 -> control at 1.0; control at 5 unused.
    assert units.weight.tolist() == [1.0, 1.0, 1.0, 1.0, 0.0]
    outcome = np.array([0.0, 1.0, 1.0, 1.0, 9.0])
    assert weighted_difference(outcome, treated, units.weight) == pytest.approx(1 - 0.5)


def test_matching_reuses_a_control_for_several_treated() -> None:
    score = np.array([0.0, 0.05, 0.1, 3.0])
    treated = np.array([False, True, True, False])
    units = nearest_neighbour_weights(score, treated, np.ones(4), caliper_width=None)
    assert units.weight.tolist() == [2.0, 1.0, 1.0, 0.0]


def test_matching_averages_controls_with_the_same_score() -> None:
    score = np.array([0.5, 0.5, 0.6])
    treated = np.array([False, False, True])
    outcome = np.array([0.0, 1.0, 1.0])
    units = nearest_neighbour_weights(score, treated, np.ones(3), caliper_width=None)
    assert units.weight.tolist() == [0.5, 0.5, 1.0]
    assert weighted_difference(outcome, treated, units.weight) == pytest.approx(0.5)


def test_caliper_leaves_treated_without_close_control_unmatched() -> None:
    score = np.array([0.0, 0.05, 2.0])
    treated = np.array([False, True, True])
    units = nearest_neighbour_weights(score, treated, np.ones(3), caliper_width=0.1)
    assert units.n_matched_treated == 1
    assert units.n_unmatched_treated == 1
    assert units.weight.tolist() == [1.0, 1.0, 0.0]


def test_matching_ignores_rows_not_drawn_in_a_bootstrap_replicate() -> None:
    score = np.array([0.0, 0.45, 0.5, 1.0])
    treated = np.array([False, False, True, True])
    frequency = np.array([1.0, 0.0, 2.0, 1.0])  # nearest control (0.45) was not drawn
    units = nearest_neighbour_weights(score, treated, frequency, caliper_width=None)
    assert units.weight.tolist() == [3.0, 0.0, 2.0, 1.0]
    assert units.n_matched_treated == 3


def test_ipw_att_weights_controls_by_their_odds_of_treatment() -> None:
    p = np.array([0.5, 0.2, 0.8, 0.5])
    treated = np.array([True, False, False, True])
    units = inverse_probability_weights(p, treated, np.ones(4), "ATT")
    assert units.weight == pytest.approx([1.0, 0.25, 4.0, 1.0])
    outcome = np.array([1.0, 1.0, 0.0, 0.0])
    # Treated mean 0.5; controls (0.25 * 1 + 4 * 0) / 4.25.
    assert weighted_difference(outcome, treated, units.weight) == pytest.approx(0.5 - 0.25 / 4.25)


def test_ipw_ate_weights_by_inverse_probability_of_the_received_treatment() -> None:
    p = np.array([0.25, 0.25])
    treated = np.array([True, False])
    units = inverse_probability_weights(p, treated, np.ones(2), "ATE")
    assert units.weight == pytest.approx([4.0, 4 / 3])
