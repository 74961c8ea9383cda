"""``werkpad export folder``: synth -> export folder -> import into an empty database -> the same
KPIs; the folder is exactly the documented import format."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from werkpad.cli.exporting import export_app
from werkpad.exporting.folder import export_folder
from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.importing.spec import SPEC_BY_KIND
from werkpad.reports.compute import kpi_results
from werkpad.store.db import make_engine, upgrade
from werkpad.synth import run_synth
from werkpad.synth.calibration import REFERENCE_DATE


@pytest.fixture(scope="module")
def synth_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('synth') / 'synth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="small", seed=11, replace=False, console=None)
    engine.dispose()
    return url


def kpis(url: str, success: str | None = None) -> pd.DataFrame:
    engine = make_engine(url)
    try:
        return kpi_results(engine, reference_date=REFERENCE_DATE, years=None, success=success)[2]
    finally:
        engine.dispose()


def header(path: Path) -> list[str]:
    """The header of a CSV file with semicolons or commas (the example folder has both)."""
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return first.split(";" if ";" in first else ",")


def test_synth_exported_and_imported_into_an_empty_database_gives_identical_kpis(
    synth_url, database_url, tmp_path
):
    export = export_folder(synth_url, tmp_path / "map")
    assert export.rows["persons"] == 1000 and export.rows["users"] > 0
    import_folder(database_url, tmp_path / "map")
    before, after = kpis(synth_url), kpis(database_url)
    assert len(before) > 500 and before["value"].notna().sum() > 500
    pd.testing.assert_frame_equal(after, before)


def test_exported_files_have_exactly_the_import_columns_and_the_source_ids(sqlite_url, tmp_path):
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    export = export_folder(sqlite_url, tmp_path / "map")
    for path in sorted((tmp_path / "map").glob("*.csv")):
        assert header(path) == list(SPEC_BY_KIND[path.stem].column_names), path.name
        assert header(path) == header(EXAMPLE_FOLDER / path.name), path.name
    assert "exits" not in export.rows and not (tmp_path / "map" / "exits.csv").exists()
    with (tmp_path / "map" / "routes.csv").open(encoding="utf-8") as handle:
        routes = {row["id"]: row for row in csv.DictReader(handle, delimiter=";")}
    assert routes["R003"]["candidate_id"].startswith("P")
    assert (routes["R003"]["end_date"], routes["R003"]["end_reason"]) == ("2020-10-31", "JOB")


def test_reimporting_an_export_into_its_own_database_changes_nothing(sqlite_url, tmp_path):
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    export_folder(sqlite_url, tmp_path / "map")
    report = import_folder(sqlite_url, tmp_path / "map")
    assert report.inserted == 0 and report.updated > 0


def test_export_folder_refuses_a_folder_that_already_holds_import_files(sqlite_url, tmp_path):
    (tmp_path / "map").mkdir()
    (tmp_path / "map" / "persons.csv").write_text("id\n", encoding="utf-8")
    result = CliRunner().invoke(
        export_app, ["folder", str(tmp_path / "map"), "--onversleuteld", "--db", sqlite_url]
    )
    assert result.exit_code == 1
    assert "bevat al importbestanden" in " ".join(result.output.split())
    assert (tmp_path / "map" / "persons.csv").read_text(encoding="utf-8") == "id\n"
