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
    results = screens["results"]
    # Hand-checked against the scenario: a couple is one dossier, so inflow counts dossiers.
    benefit = [c for c in cases if c.benefit_type != "NUO"]
    for year in (2022, 2023):
        starting = [c for c in benefit if c.benefit_start.year == year]
        persons = len(starting) + sum(1 for c in starting if c.partner)
        inflow = value(
            results, "caseload_flows", "dossiers", period=year, group="instroom", subgroup="Totaal"
        )
        assert inflow == len(starting) < persons
    # The exit recorded on 8 January 2024 and corrected to 28 December 2023 counts in 2023.
    (corrected,) = [c for c in cases if c.exit_correction]
    assert corrected.exit and corrected.exit[0].year == 2024 and corrected.exit_date.year == 2023
    jobs = [c for c in cases if c.exit and c.exit[1] == "JOB"]
    for year in (2023, 2024):
        expected = sum(1 for c in jobs if c.exit_date and c.exit_date.year == year)
        assert value(results, "job_exits_by_type", "count", period=year, group="Totaal") == (
            expected
        )
    assert sum(1 for c in jobs if c.exit and c.exit[0].year == 2023) == 19  # before: 19, now 20
    assert value(results, "job_exits_by_type", "count", period=2023, group="Totaal") == 20
