"""The shipped example folder imports completely, the same on SQLite and PostgreSQL, and twice."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from werkpad.importing import EXAMPLE_FOLDER, ImportRejected, import_folder
from werkpad.services.accounts import hash_password
from werkpad.store.db import make_engine


def file_rows(kind: str) -> int:
    with (EXAMPLE_FOLDER / f"{kind}.csv").open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def scalar(url: str, sql: str) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def dump(url: str, tables: list[str]) -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(
                    tuple(r)[:-1] if t == "candidate" else tuple(r)  # drop created_at
                    for r in conn.execute(sa.text(f"SELECT * FROM {t}"))
                )
                for t in tables
            }
    finally:
        engine.dispose()


TABLE_OF = {
    "persons": "candidate",
    "dossiers": "benefit_dossier",
    "benefit_spells": "benefit_spell",
    "assessments": "assessment",
    "exemptions": "exemption",
    "routes": "route",
    "provisions": "provision",
    "employers": "employer",
    "vacancies": "vacancy",
    "placements": "placement",
    "contacts": "contact",
    "budgets": "budget",
    "cost_lines": "cost_line",
    "providers": "provider",
    "provision_types": "provision_type",
    "teams": "team",
    "placement_instruments": "placement_instrument",
}


def test_example_folder_imports_every_row_on_both_databases(database_url, counts):
    report = import_folder(database_url, EXAMPLE_FOLDER)
    found = counts(database_url)
    for kind, table in TABLE_OF.items():
        assert found[table] == file_rows(kind), kind
    assert found["dossier_member"] == 11  # nine applicants, two partners
    assert report.counts["exits"].updated == file_rows("exits")
    assert report.inserted == sum(file_rows(k) for k in TABLE_OF)


def test_example_values_arrive_typed_on_both_databases(database_url):
    import_folder(database_url, EXAMPLE_FOLDER)
    amount = scalar(database_url, "SELECT monthly_amount FROM benefit_spell WHERE source_id='B001'")
    assert Decimal(str(amount)) == Decimal("1234.56")  # semicolon file with "1.234,56"
    assert scalar(database_url, "SELECT end_date FROM route WHERE source_id='R003'") in (
        date(2020, 10, 31),
        "2020-10-31",
    )
    assert scalar(database_url, "SELECT end_reason FROM route WHERE source_id='R003'") == "JOB"
    assert (
        scalar(database_url, "SELECT postcode FROM candidate WHERE source_id='P001'") == "2511 AB"
    )
    assert (
        scalar(
            database_url,
            "SELECT count(*) FROM provision p JOIN provision_type t ON t.id = p.provision_type_id "
            "WHERE t.code = 'WERKFIT01'",
        )
        == 3
    )
    # the assessment without a scheme got the scheme its segment belongs to
    assert scalar(database_url, "SELECT scheme FROM assessment WHERE source_id='A001'") == "DENHAAG"


def test_reimporting_the_same_folder_changes_nothing(sqlite_url):
    tables = ["candidate", "route", "provision", "placement", "dossier_member", "budget"]
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    first = dump(sqlite_url, tables)
    report = import_folder(sqlite_url, EXAMPLE_FOLDER)
    assert report.inserted == 0
    assert dump(sqlite_url, tables) == first


def test_reimport_updates_changed_rows_in_place(sqlite_url, folder, edit):
    import_folder(sqlite_url, folder)
    route_id = scalar(sqlite_url, "SELECT id FROM route WHERE source_id='R001'")
    edit(folder / "routes.csv", "R001,P001,WORK_12M", "R001,P001,SUPPORTED_WORK")
    report = import_folder(sqlite_url, folder)
    assert report.inserted == 0
    assert scalar(sqlite_url, "SELECT route_type FROM route WHERE source_id='R001'") == (
        "SUPPORTED_WORK"
    )
    assert scalar(sqlite_url, "SELECT id FROM route WHERE source_id='R001'") == route_id


def test_windows_1252_file_is_read_with_its_accents(sqlite_url, folder):
    path = folder / "persons.csv"
    text = path.read_text(encoding="utf-8").replace(";Fatima;El Amrani;", ";Fatima;Çelik-Ünal;")
    path.write_bytes(text.encode("cp1252"))
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT last_name FROM candidate WHERE source_id='P001'") == (
        "Çelik-Ünal"
    )


def test_xlsx_file_with_date_cells_and_numeric_bsn_imports_like_csv(sqlite_url, folder):
    source = folder / "persons.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    source.unlink()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    header = rows[0]
    sheet.append(header)
    for row in rows[1:]:
        cells: list[object] = list(row)
        cells[header.index("bsn")] = int(row[header.index("bsn")])
        cells[header.index("birth_date")] = date.fromisoformat(row[header.index("birth_date")])
        sheet.append(cells)
    book.save(Path(folder / "persons.xlsx"))
    import_folder(sqlite_url, folder)
    assert scalar(sqlite_url, "SELECT bsn FROM candidate WHERE source_id='P001'") == "123456009"
    assert str(scalar(sqlite_url, "SELECT birth_date FROM candidate WHERE source_id='P001'")) == (
        "1965-01-10"
    )


def test_dry_run_validates_against_the_database_and_writes_nothing(sqlite_url, counts):
    report = import_folder(sqlite_url, EXAMPLE_FOLDER, dry_run=True)
    assert report.rows == sum(file_rows(k) for k in TABLE_OF) + file_rows("exits")
    assert set(counts(sqlite_url).values()) == {0}


def test_klantmanager_is_matched_on_username_case_insensitively(sqlite_url, folder, edit):
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO app_user (username, full_name, password_hash, role, fte, active) "
                "VALUES ('kjansen', 'K. Jansen', :h, 'KLANTMANAGER', 1, 1)"
            ),
            {"h": hash_password("x" * 16)},
        )
    engine.dispose()
    edit(
        folder / "persons.csv",
        ";Team Werk Centrum;;2019-01-01",
        ";Team Werk Centrum;KJansen;2019-01-01",
    )
    import_folder(sqlite_url, folder)
    assert (
        scalar(
            sqlite_url,
            "SELECT u.username FROM candidate c JOIN app_user u ON u.id = c.klantmanager_id "
            "WHERE c.source_id = 'P001'",
        )
        == "kjansen"
    )


def test_unknown_klantmanager_username_is_an_error(sqlite_url, folder, edit):
    edit(
        folder / "persons.csv",
        ";Team Werk Centrum;;2019-01-01",
        ";Team Werk Centrum;nobody;2019-01-01",
    )
    with pytest.raises(ImportRejected) as caught:
        import_folder(sqlite_url, folder)
    (error,) = caught.value.errors
    assert (error.file, error.row, error.column, error.value) == (
        "persons.csv",
        2,
        "klantmanager",
        "nobody",
    )
    assert "gebruikers" in error.reason
