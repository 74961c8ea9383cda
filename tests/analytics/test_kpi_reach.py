"""Reach per year: people, routes, provisions and provision types, by start year."""

from __future__ import annotations

import pandas as pd

from werkpad.analytics.reach import reach, reach_total


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    routes = pd.DataFrame(
        {
            "route_id": [1, 2, 3, 4],
            "person": [10, 10, 11, 12],
            "start_date": pd.to_datetime(["2018-03-01", "2019-02-01", "2019-05-01", "2019-07-01"]),
        }
    )
    provisions = pd.DataFrame(
        {
            "provision_id": [100, 101, 102, 103, 104],
            "route_id": [1, 1, 2, 3, 4],
            "provision_type": ["A", "B", "A", "A", "C"],
            "start_date": pd.to_datetime(
                ["2018-03-01", "2019-01-10", "2019-02-01", "2019-05-01", "2020-01-05"]
            ),
        }
    )
    return routes, provisions


def test_reach_counts_each_figure_in_its_own_start_year() -> None:
    routes, provisions = _frames()
    result = reach(routes, provisions)
    assert result.loc[2018].tolist() == [1, 1, 1, 1]
    # 2019: persons 10, 11, 12; routes 2, 3, 4; provisions 101, 102, 103 of types B and A.
    assert result.loc[2019].tolist() == [3, 3, 3, 2]
    # 2020 has a provision but no route start: zero people and routes, not a missing row.
    assert result.loc[2020].tolist() == [0, 0, 1, 1]


def test_reach_total_counts_a_person_with_routes_in_two_years_once() -> None:
    routes, provisions = _frames()
    assert reach_total(routes, provisions) == {
        "candidates": 3,
        "routes": 4,
        "provisions": 5,
        "provision_types": 3,
    }
    assert reach(routes, provisions)["candidates"].sum() == 4
