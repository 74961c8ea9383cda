"""Person-month panel from benefit spells, provision starts and work exits."""

from __future__ import annotations

from datetime import date

import pandas as pd

from werkpad.analytics.effects.panel import person_month_panel
from werkpad.analytics.effects.staggered import risk_set_table


def _panel() -> pd.DataFrame:
    spells = pd.DataFrame(
        {
            "person": [1, 2],
            "start_date": pd.to_datetime(["2020-01-01", "2020-02-15"]),
            "end_date": pd.to_datetime(["2020-06-10", None]),
        }
    )
    starts = pd.DataFrame(
        {"person": [2, 2], "start_date": pd.to_datetime(["2020-05-03", "2020-09-01"])}
    )
    exits = pd.DataFrame(
        {"person": [1], "exit_date": pd.to_datetime(["2020-06-10"]), "durable": [False]}
    )
    persons = pd.DataFrame({"person": [1, 2], "sex": ["M", "V"]})
    return person_month_panel(
        spells, starts, exits, as_of=date(2020, 12, 31), horizons=(3,), persons=persons
    )


def month(year: int, m: int) -> int:
    return year * 12 + m - 1


def test_panel_has_a_row_for_each_month_the_spell_runs_on_the_first() -> None:
    panel = _panel()
    one = panel[panel["person"] == 1]
    assert one["month"].tolist() == [month(2020, m) for m in range(1, 7)]
    two = panel[panel["person"] == 2]
    # Starts 15 February: first full month is March; 3-month outcomes known up to October.
    assert two["month"].min() == month(2020, 3)
    assert two["month"].max() == month(2020, 10)
    assert set(two["start_month"]) == {month(2020, 5)}
    assert set(panel["sex"]) == {"M", "V"}


def test_outcomes_look_forward_from_the_first_of_the_month() -> None:
    one = _panel().set_index("month").query("person == 1")
    assert one.loc[month(2020, 3), "work_exit_3m"] == 0
    assert one.loc[month(2020, 4), "work_exit_3m"] == 1  # June exit within April..June
    assert one.loc[month(2020, 4), "durable_exit_3m"] == 0
    assert one.loc[month(2020, 4), "months_on_benefit_3"] == 3
    assert one.loc[month(2020, 6), "months_on_benefit_3"] == 1


def test_risk_set_from_the_panel_stops_a_participant_at_their_start_month() -> None:
    table = risk_set_table(_panel(), month="month", start_month="start_month")
    two = table[table["person"] == 2]
    assert two["month"].max() == month(2020, 5)
    assert two.loc[two["month"] == month(2020, 5), "start"].item() == 1
