"""The dashboard's headline figures: a panel's total row first, never an empty or zero row."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from werkpad.reports.tables import Cell
from werkpad.web.dashboard_panels import headlines


def _panel(key: str, headers: list[str], rows: list[list[Cell]]) -> Any:
    return SimpleNamespace(key=key, title=key.capitalize(), table=SimpleNamespace(
        headers=headers, rows=rows))  # fmt: skip


def test_headline_takes_the_total_row_and_skips_rows_without_a_figure() -> None:
    reach = _panel("bereik", ["Jaar", "Kandidaten"], [
        [Cell("2020"), Cell("120", numeric=True)],
        [Cell("2021"), Cell("0", numeric=True)],
    ])  # fmt: skip
    reasons = _panel("redenen", ["Reden", "Routes"], [
        [Cell("Werk"), Cell("40", numeric=True)],
        [Cell("Totaal"), Cell("95", numeric=True)],
        [Cell("Verhuisd"), Cell("<10", numeric=True)],
    ])  # fmt: skip
    hidden = _panel("leeg", ["Jaar", "Aantal"], [[Cell("2021"), Cell("x", numeric=True)]])
    found = headlines([reach, reasons, hidden])
    assert [(h.key, h.figure) for h in found] == [("bereik", "120"), ("redenen", "95")]
    assert found[0].what == "Bereik: kandidaten (2020)"
