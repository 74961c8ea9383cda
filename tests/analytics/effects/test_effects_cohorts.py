"""Cohort benchmark: who is on benefit at a reference date, and adjusted comparisons."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from werkpad.analytics.effects.cohorts import (
    adjusted_cohort_comparison,
    benefit_cohorts,
    half_year_reference_dates,
)


def test_reference_dates_are_every_first_of_january_and_july() -> None:
    assert half_year_reference_dates(date(2020, 3, 1), date(2021, 7, 1)) == [
        date(2020, 7, 1),
        date(2021, 1, 1),
        date(2021, 7, 1),
    ]


def test_cohort_holds_running_spells_with_outcomes_only_where_observable() -> None:
    spells = pd.DataFrame(
        {
            "person_id": [1, 2, 3],
            "start": ["2019-01-01", "2020-01-01", "2020-06-01"],
            "end": ["2020-03-01", None, "2020-12-31"],
        }
    )
    cohorts = benefit_cohorts(
        spells,
        start="start",
        end="end",
        as_of=date(2021, 3, 1),
        reference_dates=[date(2020, 1, 1), date(2020, 7, 1)],
    )
    jan = cohorts[cohorts["reference_date"] == "2020-01-01"].set_index("person_id")
    # Person 2 starts on the date itself and counts; person 3 has not started yet.
    assert sorted(jan.index) == [1, 2]
    assert jan.loc[1, "on_benefit_6m"] == 0.0  # ended March 2020
    assert jan.loc[2, "on_benefit_12m"] == 1.0
    assert np.isnan(jan.loc[2, "on_benefit_18m"])  # July 2021 is after as_of
    jul = cohorts[cohorts["reference_date"] == "2020-07-01"].set_index("person_id")
    assert sorted(jul.index) == [2, 3]
    assert jul.loc[3, "on_benefit_6m"] == 0.0
    assert round(jul.loc[2, "benefit_months"]) == 6


def _cohorts(team_effect: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 6_000
    team = rng.choice(["Noord", "Zuid"], n)
    # Zuid has the long-term clients: the raw comparison blames the team.
    months = np.where(team == "Zuid", rng.uniform(24, 96, n), rng.uniform(0, 48, n))
    p_still = 0.4 + 0.004 * months + team_effect * (team == "Zuid")
    return pd.DataFrame(
        {
            "person_id": np.arange(n),
            "team": team,
            "benefit_months": months,
            "reference_date": pd.Timestamp("2022-01-01"),
            "on_benefit_12m": (rng.random(n) < p_still).astype(float),
        }
    )


def test_adjustment_removes_a_gap_that_comes_from_benefit_duration_only() -> None:
    table = adjusted_cohort_comparison(
        _cohorts(0.0, seed=1), group="team", covariates=["benefit_months"], person="person_id"
    )
    assert table.loc["Zuid", "raw_share"] - table.loc["Noord", "raw_share"] > 0.1
    assert table.loc["Zuid", "ci_low"] < 0 < table.loc["Zuid", "ci_high"]


def test_adjustment_recovers_a_planted_team_difference() -> None:
    table = adjusted_cohort_comparison(
        _cohorts(-0.08, seed=2), group="team", covariates=["benefit_months"], person="person_id"
    )
    assert table.loc["Zuid", "ci_low"] < -0.08 < table.loc["Zuid", "ci_high"]
    gap = table.loc["Zuid", "adjusted_share"] - table.loc["Noord", "adjusted_share"]
    assert abs(gap - table.loc["Zuid", "difference"]) < 1e-9
