"""The proof that matters most (issue 13): one municipality of about 60 candidates, entered
once through the HTTP interface and once by importing CSV files into an empty database, gives
the same KPIs and the same rows, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scenario_csv import write_scenario
from scenario_data import PEILDATUM, build_cases
from scenario_dump import differences, dump
from scenario_http import HttpEntry
from typer.testing import CliRunner

from werkpad.cli import app
from werkpad.importing import import_folder

pytestmark = pytest.mark.slow


def kpis(url: str) -> dict[str, Any]:
    """``werkpad kpi --json`` on the scenario's reference date (the KPI output has no
    small-cell suppression: that is the publication layer's)."""
    result = CliRunner().invoke(
        app, ["kpi", "--json", "--db", url, "--peildatum", PEILDATUM.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def value(results: list[dict[str, Any]], kpi: str, measure: str, **where: Any) -> Any:
    found = [
        r["value"]
        for r in results
        if r["kpi_id"] == kpi
        and r["measure"] == measure
        and all(str(r.get(k)) == str(v) for k, v in where.items())
    ]
    assert len(found) == 1, (kpi, measure, where, found)
    return found[0]


@pytest.fixture
def second_database_url(request: pytest.FixtureRequest, tmp_path: Path, database_url: str):
    """A second empty database on the same backend as ``database_url``."""
    from conftest import _fresh_database_url

    backend = "postgres" if database_url.startswith("postgresql") else "sqlite"
    other = tmp_path / "second"
    other.mkdir()
    yield from _fresh_database_url(backend, request, other)


def test_screens_and_import_give_the_same_figures_and_rows(
    database_url: str, second_database_url: str, tmp_path: Path
) -> None:
    cases = build_cases()
    HttpEntry(database_url, tmp_path / "catalogue").run(cases)
    folder = tmp_path / "import"
    folder.mkdir()
    write_scenario(folder, cases)
    import_folder(second_database_url, folder)

    via_http, via_import = dump(database_url), dump(second_database_url)
    found = differences(via_http, via_import)
    assert not found, "\n".join(found)
    assert len(via_http["candidate"]) == 60 + sum(1 for c in cases if c.partner)

    screens, imported = kpis(database_url), kpis(second_database_url)
    assert screens["results"] == imported["results"]
