"""Conversion and time to placement in the proposal pipeline, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from werkpad.analytics.pipeline import PIPELINE_COLUMNS, pipeline_by_year

T = pd.Timestamp


def _steps(*rows: tuple[int, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(p, state, T(at)) for p, state, at in rows], columns=["proposal_id", "to_state", "at"]
    )


def test_conversion_and_median_days_count_each_proposal_in_its_shortlist_year() -> None:
    steps = _steps(
        # 1: placed 40 days after the shortlist, 30 after the proposal.
        (1, "SHORTLISTED", "2020-01-01 09:00"),
        (1, "PROPOSED", "2020-01-11 09:00"),
        (1, "INTERVIEW", "2020-01-20 10:00"),
        (1, "PLACED", "2020-02-10 11:00"),
        # 2: shortlisted in December, placed in January: counts in 2020; 20 and 10 days.
        (2, "SHORTLISTED", "2020-12-20 09:00"),
        (2, "PROPOSED", "2020-12-30 09:00"),
        (2, "TRIAL", "2021-01-02 09:00"),
        (2, "PLACED", "2021-01-09 09:00"),
        # 3: proposed, then rejected.
        (3, "SHORTLISTED", "2020-03-01 09:00"),
        (3, "PROPOSED", "2020-03-05 09:00"),
        (3, "REJECTED", "2020-03-20 09:00"),
        # 4: still on the shortlist in 2021.
        (4, "SHORTLISTED", "2021-05-01 09:00"),
    )
    out = pipeline_by_year(steps).set_index("year")
    assert list(out.reset_index().columns) == PIPELINE_COLUMNS
    assert out.loc[2020, ["shortlisted", "proposed", "interview", "placed"]].tolist() == [
        3,
        3,
        1,
        2,
    ]
    assert out.loc[2020, "placed_pct"] == pytest.approx(200 / 3)
    assert out.loc[2020, "median_days_to_placement"] == 30  # median of 40 and 20
    assert out.loc[2020, "median_days_proposal_to_placement"] == 20  # median of 30 and 10
    assert out.loc[2021, ["shortlisted", "placed", "placed_pct"]].tolist() == [1, 0, 0.0]
    assert pd.isna(out.loc[2021, "median_days_to_placement"])


def test_a_step_logged_twice_counts_from_its_first_moment() -> None:
    steps = _steps(
        (1, "SHORTLISTED", "2022-01-01"),
        (1, "SHORTLISTED", "2022-01-05"),
        (1, "PROPOSED", "2022-01-06"),
        (1, "PLACED", "2022-01-31"),
    )
    assert pipeline_by_year(steps)["median_days_to_placement"].tolist() == [30]


def test_no_proposals_give_an_empty_table_with_the_columns() -> None:
    empty = pd.DataFrame(columns=["proposal_id", "to_state", "at"])
    assert list(pipeline_by_year(empty).columns) == PIPELINE_COLUMNS
    assert pipeline_by_year(empty).empty
