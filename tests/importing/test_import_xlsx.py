"""Spreadsheets from Excel: typed cells, formulas, sheets and size (issue 22, finding 10).

The workbooks are built with openpyxl from the example folder's CSV files; the few that openpyxl
cannot write (a wrong ``<dimension>``, millions of empty cells) get their sheet XML rewritten.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from werkpad.importing import ImportRejected, RowError, import_folder
from werkpad.store.db import make_engine

Counts = Callable[[str], dict[str, int]]
Change = Callable[[Worksheet, list[str]], None]


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


def to_xlsx(folder: Path, kind: str, change: Change | None = None, title: str = "Gegevens") -> Path:
    """Replace ``kind``.csv by an XLSX with the same rows (as text), then apply ``change``."""
    source = folder / f"{kind}.csv"
    text = source.read_text(encoding="utf-8")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    source.unlink()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if change is not None:
        change(sheet, rows[0])
    target = folder / f"{kind}.xlsx"
    book.save(target)
    return target


def cell(sheet: Worksheet, header: list[str], row: int, column: str):  # type: ignore[no-untyped-def]
    return sheet.cell(row=row, column=header.index(column) + 1)


def test_bsn_typed_as_a_number_gets_back_its_two_leading_zeros(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        bsn = cell(sheet, header, 2, "bsn")
        bsn.value = 7436671
        bsn.number_format = "000000000"
        cell(sheet, header, 3, "bsn").value = 123535190  # a number without a format too

    to_xlsx(folder, "persons", change)
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT bsn FROM candidate WHERE source_id='P001'") == "007436671"
    assert scalar(sqlite_url, "SELECT bsn FROM candidate WHERE source_id='P002'") == "123535190"


def test_formula_without_a_stored_result_is_reported_as_such(sqlite_url, folder, counts):
    def change(sheet: Worksheet, header: list[str]) -> None:
        cell(sheet, header, 2, "first_name").value = '=CONCAT("Fat","ima")'
        cell(sheet, header, 3, "city").value = '=UPPER("x")'

    to_xlsx(folder, "persons", change)
    errors = rejected(sqlite_url, folder)
    assert [(e.file, e.row, e.column) for e in errors] == [
        ("persons.xlsx, werkblad Gegevens", 2, "first_name"),
        ("persons.xlsx, werkblad Gegevens", 3, "city"),
    ]
    assert all("formule zonder opgeslagen uitkomst" in e.reason for e in errors)
    assert set(counts(sqlite_url).values()) == {0}


def test_cells_right_of_the_last_header_column_are_an_error(sqlite_url, folder, counts):
    def change(sheet: Worksheet, header: list[str]) -> None:
        sheet.cell(row=4, column=len(header) + 2).value = "vergeten notitie"

    to_xlsx(folder, "budgets", change)
    (error,) = rejected(sqlite_url, folder)
    assert (error.file, error.row, error.value) == (
        "budgets.xlsx, werkblad Gegevens",
        4,
        "vergeten notitie",
    )
    assert "rechts van de laatste kolom" in error.reason and "E4" in error.reason
    assert set(counts(sqlite_url).values()) == {0}


def test_explanation_and_hidden_sheets_are_skipped_and_the_data_sheet_is_read(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        book = sheet.parent
        notes = book.create_sheet("Toelichting", 0)
        notes.append(["Dit werkblad legt de kolommen uit."])
        hidden = book.create_sheet("Oud", 1)
        hidden.append(["year", "cost_item", "amount"])
        hidden.append(["1999", "ONBEKEND", "1"])
        hidden.sheet_state = "hidden"

    to_xlsx(folder, "budgets", change)
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT count(*) FROM budget") == 6


def test_two_data_sheets_are_refused_naming_both(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        sheet.parent.create_sheet("Kopie").append(header)

    to_xlsx(folder, "budgets", change)
    (error,) = rejected(sqlite_url, folder)
    assert error.file == "budgets.xlsx" and error.row == 0
    assert "Gegevens" in error.reason and "Kopie" in error.reason
    assert "budgets" in error.reason  # how to point at the right one


def test_sheet_named_after_the_file_kind_is_chosen(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        sheet.parent.create_sheet("Kopie", 0).append(["iets", "anders"])

    to_xlsx(folder, "budgets", change, title="budgets")
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT count(*) FROM budget") == 6


def test_errors_in_an_xlsx_file_name_the_sheet_that_was_read(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        cell(sheet, header, 2, "bsn").value = "123456008"

    to_xlsx(folder, "persons", change, title="Klanten 2024")
    (error,) = rejected(sqlite_url, folder)
    assert (error.file, error.row, error.column) == (
        "persons.xlsx, werkblad Klanten 2024",
        2,
        "bsn",
    )


def rewrite_sheet(path: Path, sheet_xml: bytes) -> None:
    """Replace the first worksheet's XML inside an XLSX file."""
    with zipfile.ZipFile(path) as source:
        items = [(item, source.read(item.filename)) for item in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item, data in items:
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def budget_rows(rows: int, first: int = 2) -> bytes:
    return b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>EXECUTION</t>'
        b'</is></c><c r="C%d"><v>1000</v></c></row>' % (r, r, 1990 + r, r, r)
        for r in range(first, first + rows)
    )


HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>year</t></is></c><c r="B1" t="inlineStr">'
    b'<is><t>cost_item</t></is></c><c r="C1" t="inlineStr"><is><t>amount</t></is></c></row>'
)


def test_a_too_small_dimension_in_the_file_loses_no_rows_or_columns(sqlite_url, folder):
    path = to_xlsx(folder, "budgets")
    rewrite_sheet(
        path,
        SHEET
        + b'<dimension ref="A1:B2"/><sheetData>'
        + HEADER_ROW
        + budget_rows(5)
        + b"</sheetData></worksheet>",
    )
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT count(*) FROM budget") == 5
    assert Decimal(str(scalar(sqlite_url, "SELECT sum(amount) FROM budget"))) == Decimal(5000)


def test_many_empty_cells_are_refused_by_the_cell_count_before_reading(sqlite_url, folder):
    path = to_xlsx(folder, "budgets")
    empty = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d" s="1"/>' % (bytes([c]), r) for c in b"ABCDEFGHIJ")
        + b"</row>"
        for r in range(8, 30_008)
    )
    rewrite_sheet(
        path,
        SHEET + b"<sheetData>" + HEADER_ROW + budget_rows(6) + empty + b"</sheetData></worksheet>",
    )
    assert path.stat().st_size < 1024 * 1024  # under the --max-mb 1 bound when packed
    (error,) = rejected(sqlite_url, folder, max_file_mb=1)
    assert (error.file, error.row) == ("budgets.xlsx", 0)
    assert "cellen" in error.reason and "--max-mb" in error.reason


def test_a_cell_far_away_is_refused_instead_of_filling_memory(sqlite_url, folder):
    path = to_xlsx(folder, "budgets")
    far = b'<row r="1000000"><c r="XFD1000000"><v>1</v></c></row>'
    rewrite_sheet(
        path,
        SHEET + b"<sheetData>" + HEADER_ROW + budget_rows(6) + far + b"</sheetData></worksheet>",
    )
    (error,) = rejected(sqlite_url, folder)
    assert (error.file, error.row) == ("budgets.xlsx", 0)
    assert "XFD1000000" in error.reason


def test_number_cells_are_read_as_numbers_small_and_large(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        cell(sheet, header, 2, "amount").value = 1e-05
        cell(sheet, header, 3, "amount").value = 1.234  # a number cell is never ambiguous
        cell(sheet, header, 4, "amount").value = 2450.5

    to_xlsx(folder, "cost_lines", change)
    import_folder(sqlite_url, folder)
    amount = "SELECT amount FROM cost_line WHERE source_id='{}'"
    assert Decimal(str(scalar(sqlite_url, amount.format("K001")))) == Decimal("0.00")
    assert Decimal(str(scalar(sqlite_url, amount.format("K002")))) == Decimal("1.23")
    assert Decimal(str(scalar(sqlite_url, amount.format("K003")))) == Decimal("2450.50")


def test_non_breaking_space_in_a_header_name_is_read_as_a_space(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        sheet.cell(row=1, column=header.index("cost_item") + 1).value = "cost\u00a0item"

    to_xlsx(folder, "budgets", change)
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT count(*) FROM budget") == 6


def test_invisible_character_in_an_unknown_header_is_shown(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        sheet.cell(row=1, column=header.index("amount") + 1).value = "amo\u200bunt"

    to_xlsx(folder, "budgets", change)
    errors = rejected(sqlite_url, folder)
    unknown = next(e for e in errors if "onbekende kolom" in e.reason)
    assert "U+200B" in unknown.reason


def test_phone_number_typed_as_a_number_is_refused_with_how_to_fix_it(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        cell(sheet, header, 2, "phone").value = 612345678

    to_xlsx(folder, "persons", change)
    (error,) = rejected(sqlite_url, folder)
    assert (error.row, error.column, error.value) == (2, "phone", "612345678")
    assert "0612345678" in error.reason and "getal" in error.reason


def test_excel_serial_date_gets_a_hint_that_it_is_one(sqlite_url, folder):
    def change(sheet: Worksheet, header: list[str]) -> None:
        cell(sheet, header, 2, "birth_date").value = 23752  # 1965-01-10 without a date format
        cell(sheet, header, 3, "birth_date").value = date(1968, 2, 11)

    to_xlsx(folder, "persons", change)
    (error,) = rejected(sqlite_url, folder)
    assert (error.row, error.column) == (2, "birth_date")
    assert "Excel-datumgetal" in error.reason and "1965-01-10" in error.reason
