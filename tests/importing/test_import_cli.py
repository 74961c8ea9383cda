"""``werkpad import FOLDER`` prints the bad rows, writes the rejects CSV and exits non-zero."""

from __future__ import annotations

import csv

import typer
from typer.testing import CliRunner

from werkpad.cli.importing import import_app

app = typer.Typer()
app.add_typer(import_app, name="import")


@app.command()
def _other() -> None:  # a second command, so "import" is a real sub-command as in werkpad.cli
    pass


def test_import_command_writes_every_bad_row_to_the_rejects_csv(sqlite_url, folder, edit, tmp_path):
    edit(folder / "persons.csv", "123456009", "123456008")
    edit(folder / "provisions.csv", "V003,R002,", "V003,R999,")
    rejects = tmp_path / "afgekeurd.csv"
    result = CliRunner().invoke(
        app, ["import", str(folder), "--db", sqlite_url, "--rejects", str(rejects)]
    )
    assert result.exit_code == 1
    assert "niets geïmporteerd" in result.output
    with rejects.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["bestand"], r["rij"], r["kolom"], r["waarde"]) for r in rows] == [
        ("persons.csv", "2", "bsn", "123456008"),
        ("provisions.csv", "4", "route_id", "R999"),
    ]
    assert rows[0]["reden"] == "BSN voldoet niet aan de elfproef"


def test_import_command_imports_a_valid_folder_and_reports_counts(sqlite_url, folder, counts):
    result = CliRunner().invoke(app, ["import", str(folder), "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    assert "Import voltooid" in result.output
    assert counts(sqlite_url)["candidate"] == 12
