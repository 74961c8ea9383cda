"""``werkpad import FOLDER`` prints the bad rows, writes the rejects CSV and exits non-zero."""

from __future__ import annotations

import csv

import sqlalchemy as sa
import typer
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from werkpad.cli.importing import import_app
from werkpad.store.db import make_engine
from werkpad.store.models import ProvisionType

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


def test_the_catalogue_import_sets_a_provision_types_capacity_and_refuses_a_negative_one(
    sqlite_url, folder
):
    path = folder / "provision_types.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    at = header.index("capacity")
    rows = [line.split(",") for line in lines[1:]]
    for number, row in enumerate(rows):
        row[at] = "-1" if number == 0 else ("8" if number == 1 else "")
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["import", str(folder), "--db", sqlite_url])
    assert refused.exit_code == 1 and "capacity" in refused.output
    rows[0][at] = ""
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(folder), "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        capacities = dict(s.execute(sa.select(ProvisionType.code, ProvisionType.capacity)).all())
    engine.dispose()
    assert capacities[rows[1][0]] == 8 and capacities[rows[0][0]] is None
