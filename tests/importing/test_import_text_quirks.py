"""CSV quirks that used to lose or garble data silently (issue 22, finding 7).

Mixed encodings, Dutch thousands separators and exits for routes already in the database.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from werkpad.importing import ImportRejected, RowError, cells, import_folder
from werkpad.store.db import make_engine

Counts = Callable[[str], dict[str, int]]


def rejected(url: str, folder: Path, **kwargs: object) -> list[RowError]:
    with pytest.raises(ImportRejected) as caught:
        import_folder(url, folder, **kwargs)  # type: ignore[arg-type]
    return caught.value.errors


def scalar(url: str, sql: str) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def test_utf8_file_with_one_windows1252_byte_is_refused_naming_row_and_position(
    sqlite_url, folder, counts
):
    path = folder / "persons.csv"
    text = path.read_text(encoding="utf-8").replace(";Fatima;El Amrani;", ";Fatima;Çelik;")
    raw = text.encode("utf-8").replace(b";Jan;de Vries;", b";Ren\xe9;de Vries;")
    path.write_bytes(raw)
    (error,) = rejected(sqlite_url, folder)
    assert (error.file, error.row) == ("persons.csv", 3)
    assert "UTF-8" in error.reason and "Windows-1252" in error.reason
    line = raw.split(b"\n")[2]
    position = line.index(b"\xe9") + 1
    assert f"positie {position}" in error.reason
    assert set(counts(sqlite_url).values()) == {0}


def test_whole_file_in_windows1252_is_still_read_with_its_accents(sqlite_url, folder):
    path = folder / "persons.csv"
    text = path.read_text(encoding="utf-8").replace(";Jan;de Vries;", ";René;de Vries;")
    path.write_bytes(text.encode("cp1252"))
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT first_name FROM candidate WHERE source_id='P002'") == "René"


def test_whole_euro_amounts_with_a_thousands_dot_keep_their_size_in_a_decimal_comma_file(
    sqlite_url, folder, edit
):
    edit(folder / "benefit_spells.csv", ";;;1.234,56", ";;;€ 2.450")
    edit(folder / "benefit_spells.csv", "WORK;1.650,00", "WORK;1.234")
    import_folder(sqlite_url, folder)
    amount = "SELECT monthly_amount FROM benefit_spell WHERE source_id='{}'"
    assert Decimal(str(scalar(sqlite_url, amount.format("B001")))) == Decimal("2450")
    assert Decimal(str(scalar(sqlite_url, amount.format("B002")))) == Decimal("1234")
    assert Decimal(str(scalar(sqlite_url, amount.format("B003")))) == Decimal("1080.25")


def test_a_dot_with_three_decimals_is_refused_when_the_file_gives_no_clue(sqlite_url, folder):
    (folder / "budgets.csv").write_text(
        "year,cost_item,amount\n2019,EXECUTION,2.450\n2019,PROVISIONS,180000\n", encoding="utf-8"
    )
    (error,) = rejected(sqlite_url, folder)
    assert (error.file, error.row, error.column, error.value) == (
        "budgets.csv",
        2,
        "amount",
        "2.450",
    )
    assert "dubbelzinnig" in error.reason and "2450" in error.reason


def test_decimal_point_file_reads_a_three_decimal_value_as_a_decimal():
    text = pd.Series(["12.5", "1.234", "1,234"], dtype=object)
    values, bad = cells.parse_decimal(text, None, None, decimal_mark=".")
    assert list(values) == [Decimal("12.50"), Decimal("1.23"), Decimal("1234.00")]
    assert set(bad) == {""}


def test_decimal_mark_of_a_file_is_taken_from_its_unambiguous_values():
    comma = pd.Series(["1.234,56", "2.450", "900"], dtype=object)
    point = pd.Series(["12.5", "2.450"], dtype=object)
    none = pd.Series(["2.450", "900", ""], dtype=object)
    assert cells.decimal_mark([comma]) == ","
    assert cells.decimal_mark([point]) == "."
    assert cells.decimal_mark([none]) is None
    assert cells.decimal_mark([comma, point]) is None


def exits_only_folder(folder: Path, tmp_path: Path, lines: str) -> Path:
    second = tmp_path / "second"
    second.mkdir()
    (second / "exits.csv").write_text("route_id,exit_date,end_reason\n" + lines, encoding="utf-8")
    return second


def test_exits_for_routes_in_the_database_are_checked_in_the_dry_run_and_the_import(
    database_url, folder, tmp_path, counts
):
    import_folder(database_url, folder)
    before = counts(database_url)
    # R001 starts 2019-02-01, R009 2019-10-01: both exits precede their route's start
    second = exits_only_folder(folder, tmp_path, "R001,2019-01-15,JOB\nR009,2019-09-30,STOPPED\n")
    for dry_run in (True, False):
        errors = rejected(database_url, second, dry_run=dry_run)
        assert [(e.file, e.row, e.column) for e in errors] == [
            ("exits.csv", 2, "exit_date"),
            ("exits.csv", 3, "exit_date"),
        ]
        assert all("startdatum van de route" in e.reason for e in errors)
    assert counts(database_url) == before


def test_valid_exit_for_a_route_in_the_database_closes_it(sqlite_url, folder, tmp_path):
    import_folder(sqlite_url, folder)
    second = exits_only_folder(folder, tmp_path, "R001,2020-01-31,JOB\n")
    import_folder(sqlite_url, second)
    assert str(scalar(sqlite_url, "SELECT end_date FROM route WHERE source_id='R001'")) == (
        "2020-01-31"
    )
    shutil.rmtree(second)
