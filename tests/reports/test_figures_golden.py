"""Every number of ``werkpad kpi --json`` and of the council report stays what it was before the
publication layer (issue 10): compared to a golden file made from the code before the change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from figures_golden import figures

GOLDEN = Path(__file__).with_name("figures_golden.json")


@pytest.fixture(scope="module")
def now(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return figures(tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="module")
def golden() -> dict[str, object]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.slow
def test_kpi_json_values_are_identical_to_the_golden_file(
    now: dict[str, object], golden: dict[str, object]
) -> None:
    # KPIs added after the golden file was made (issue 18) are not part of the comparison.
    expected = golden["kpi"]
    assert isinstance(expected, list) and isinstance(now["kpi"], list)
    known = {row[0] for row in expected}
    assert [row for row in now["kpi"] if row[0] in known] == expected


@pytest.mark.slow
def test_report_numbers_are_identical_to_the_golden_file(
    now: dict[str, object], golden: dict[str, object]
) -> None:
    report, expected = now["report"], golden["report"]
    assert isinstance(report, dict) and isinstance(expected, dict)
    assert report["text"] == expected["text"]
    assert report["charts"] == expected["charts"]
    assert len(report["tables"]) == len(expected["tables"])
    for index, (table, want) in enumerate(zip(report["tables"], expected["tables"], strict=True)):
        assert table == want, f"table {index}"
