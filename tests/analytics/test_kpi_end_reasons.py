"""Route end reasons: counts and shares, checked against the Den Haag evaluation (Tabel 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkpad.analytics.end_reasons import route_end_reasons
from werkpad.domain.codelists import code_list

# Berenschot (2022), Tabel 2: ended routes by end reason (shared/reference/
# denhaag_route_end_reasons.csv); printed shares 47/32/11/5/2/1/1.
DEN_HAAG_TABLE_2 = {
    "JOB": 8715,
    "STOPPED": 5987,
    "MOVED_DETENTION_OTHER": 2115,
    "DAY_EDUCATION": 979,
    "SELF_EMPLOYED": 443,
    "BENEFIT_REJECTED": 269,
    "WIJKBANEN_NUO": 144,
}


def _ended_routes(counts: dict[str, int]) -> pd.DataFrame:
    reasons = np.repeat(list(counts), list(counts.values()))
    return pd.DataFrame(
        {
            "route_id": np.arange(len(reasons)),
            "end_date": pd.Timestamp("2020-06-30"),
            "end_reason": reasons,
        }
    )


def test_route_end_reasons_reproduces_den_haag_table_2_shares() -> None:
    labels = {c.code: c.label_nl for c in code_list("route_end_reason")}
    result = route_end_reasons(_ended_routes(DEN_HAAG_TABLE_2), labels)
    assert result["count"].sum() == 18652
    assert list(result["end_reason"]) == list(DEN_HAAG_TABLE_2)
    assert [round(s) for s in result["share_pct"]] == [47, 32, 11, 5, 2, 1, 1]
    assert result.loc[0, "label"] == "Uitstroom naar (parttime) baan"


def test_route_end_reasons_leaves_open_routes_out_of_the_denominator() -> None:
    routes = pd.DataFrame(
        {
            "route_id": [1, 2, 3, 4],
            "end_date": pd.to_datetime(["2020-01-01", "2020-02-01", None, "2020-03-01"]),
            "end_reason": ["JOB", "STOPPED", None, "JOB"],
        }
    )
    result = route_end_reasons(routes)
    assert dict(zip(result["end_reason"], result["count"], strict=True)) == {
        "JOB": 2,
        "STOPPED": 1,
    }
    assert result["share_pct"].tolist() == [200 / 3, 100 / 3]
    assert result["label"].tolist() == ["JOB", "STOPPED"]  # no labels given: the code


def test_route_end_reasons_of_no_ended_routes_is_empty() -> None:
    routes = pd.DataFrame({"route_id": [1], "end_date": [pd.NaT], "end_reason": [None]})
    assert route_end_reasons(routes).empty
