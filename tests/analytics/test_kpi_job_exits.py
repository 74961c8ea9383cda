"""Regular-job share and 12-month durability of work exits."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from werkpad.analytics.job_exits import (
    durable_exit_rate,
    durable_exits,
    overall_rate,
    regular_job_share_by_year,
    work_exits,
)

JOB_TYPES = pd.DataFrame(
    {"code": ["1", "2", "3", "4", "5", "6"], "is_regular": [True, True, False, True, False, True]}
)
# Berenschot (2022) Tabel 3, exits to a job by job type, 2018 and 2020 columns.
DEN_HAAG_TABLE_3 = {
    2018: {"1": 233, "2": 167, "3": 98, "4": 316, "5": 805, "6": 1642},
    2020: {"1": 157, "2": 28, "3": 20, "4": 126, "5": 239, "6": 1105},
}


def _placements(table: dict[int, dict[str, int]]) -> pd.DataFrame:
    years, types = [], []
    for year, counts in table.items():
        for job_type, count in counts.items():
            years += [year] * count
            types += [job_type] * count
    return pd.DataFrame(
        {
            "start_date": pd.to_datetime([f"{y}-06-01" for y in years]),
            "job_type": np.array(types),
        }
    )


def test_regular_job_share_reproduces_den_haag_table_3() -> None:
    result = regular_job_share_by_year(_placements(DEN_HAAG_TABLE_3), JOB_TYPES)
    assert result.loc[2018, "placements"] == 3261
    assert result.loc[2018, "regular"] == 233 + 167 + 316 + 1642
    assert round(result.loc[2018, "share_pct"], 1) == 72.3
    # The cells sum to 1675 (the report prints 1674): 1416 / 1675 = 84.5%.
    assert result.loc[2020, "placements"] == 1675
    assert round(result.loc[2020, "share_pct"], 1) == 84.5


def test_unknown_job_type_counts_as_not_regular() -> None:
    placements = pd.DataFrame(
        {"start_date": pd.to_datetime(["2021-01-01", "2021-02-01"]), "job_type": ["6", "99"]}
    )
    result = regular_job_share_by_year(placements, JOB_TYPES)
    assert result.loc[2021].tolist() == [2, 1, 50.0]


def test_work_exits_keep_only_ended_routes_with_a_work_reason() -> None:
    routes = pd.DataFrame(
        {
            "route_id": [1, 2, 3, 4],
            "person": [1, 2, 3, 4],
            "end_date": pd.to_datetime(["2020-01-01", "2020-01-01", None, "2020-02-01"]),
            "end_reason": ["JOB", "STOPPED", None, "SELF_EMPLOYED"],
        }
    )
    exits = work_exits(routes, ["JOB", "SELF_EMPLOYED"])
    assert exits["route_id"].tolist() == [1, 4]


@pytest.fixture
def exits_and_spells() -> tuple[pd.DataFrame, pd.DataFrame]:
    exits = pd.DataFrame(
        {
            "person": [1, 2, 3, 4, 5],
            "exit_date": pd.to_datetime(
                ["2020-01-01", "2020-01-01", "2020-03-01", "2021-01-15", "2021-06-01"]
            ),
        }
    )
    spells = pd.DataFrame(
        {
            "person": [1, 2, 3, 4, 5],
            # 1 returns after 5 months; 2 returns one day after the 12 months; 3 only had a spell
            # before the exit; 4 returns exactly on the last day of the window; 5 is too recent.
            "start_date": pd.to_datetime(
                ["2020-06-01", "2021-01-02", "2018-01-01", "2022-01-15", "2021-07-01"]
            ),
        }
    )
    return exits, spells


def test_durable_exit_counts_only_exits_at_least_12_months_before_the_reference_date(
    exits_and_spells: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    exits, spells = exits_and_spells
    judged = durable_exits(exits, spells, reference_date=date(2022, 3, 1))
    assert judged["person"].tolist() == [1, 2, 3, 4]
    assert judged["durable"].tolist() == [False, True, True, False]


def test_durable_exit_rate_per_exit_year_and_overall(
    exits_and_spells: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    exits, spells = exits_and_spells
    result = durable_exit_rate(exits, spells, reference_date=date(2022, 3, 1))
    assert result.loc[2020].tolist() == [3, 2, pytest.approx(200 / 3)]
    assert result.loc[2021].tolist() == [1, 0, 0.0]
    assert overall_rate(result, "durable", "exits") == 50.0


def test_durable_exit_rate_without_old_enough_exits_is_empty(
    exits_and_spells: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    exits, spells = exits_and_spells
    result = durable_exit_rate(exits, spells, reference_date=date(2020, 6, 1))
    assert result.empty
    assert overall_rate(result, "durable", "exits") is None
