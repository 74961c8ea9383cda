"""Every kind of broken input gives a clear error (file, row, column, reason) and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from werkpad.importing import ImportRejected, RowError, import_folder

Counts = Callable[[str], dict[str, int]]


def rejected(url: str, folder: Path, **kwargs: object) -> list[RowError]:
    with pytest.raises(ImportRejected) as caught:
        import_folder(url, folder, **kwargs)  # type: ignore[arg-type]
    return caught.value.errors


def only_error(errors: list[RowError]) -> RowError:
    assert len(errors) == 1, errors
    return errors[0]


def assert_nothing_written(url: str, counts: Counts) -> None:
    assert set(counts(url).values()) == {0}


def test_import_rejects_invalid_bsn_and_writes_nothing(sqlite_url, folder, edit, counts):
    edit(folder / "persons.csv", "123456009", "123456008")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column) == ("persons.csv", 2, "bsn")
    assert "elfproef" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_unknown_code_and_names_the_code_list(sqlite_url, folder, edit, counts):
    edit(folder / "routes.csv", "R001,P001,WORK_12M", "R001,P001,WERK_12M")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column, error.value) == (
        "routes.csv",
        2,
        "route_type",
        "WERK_12M",
    )
    assert "onbekende code in codelijst route_type" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_end_before_start_and_writes_nothing(sqlite_url, folder, edit, counts):
    edit(folder / "routes.csv", "2019-03-01,2019-09-30,JOB", "2019-03-01,2019-02-28,JOB")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column) == ("routes.csv", 3, "end_date")
    assert "vóór start_date" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_reference_to_missing_row_and_writes_nothing(
    sqlite_url, folder, edit, counts
):
    edit(folder / "provisions.csv", "V003,R002,", "V003,R999,")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column, error.value) == (
        "provisions.csv",
        4,
        "route_id",
        "R999",
    )
    assert "onbekende rij" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_duplicate_ids_naming_the_first_row(sqlite_url, folder, edit, counts):
    edit(folder / "contacts.csv", "C002,P001", "C001,P001")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column) == ("contacts.csv", 3, "id")
    assert "dubbele sleutel" in error.reason and "rij 2" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_utf16_file_as_wrong_encoding(sqlite_url, folder, counts):
    path = folder / "contacts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row) == ("contacts.csv", 0)
    assert "tekenset" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_bytes_that_are_neither_utf8_nor_windows1252(sqlite_url, folder, counts):
    path = folder / "contacts.csv"
    path.write_bytes(path.read_bytes().replace(b"Huisbezoek", b"Huisbez\x81ek"))
    error = only_error(rejected(sqlite_url, folder))
    assert error.file == "contacts.csv" and error.row == 4
    assert "tekenset niet herkend" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_empty_file(sqlite_url, folder, counts):
    (folder / "contacts.csv").write_bytes(b"")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.reason) == ("contacts.csv", "bestand is leeg")
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_file_with_only_a_header(sqlite_url, folder, counts):
    (folder / "contacts.csv").write_text("id,candidate_id,contact_date,contact_type\n")
    error = only_error(rejected(sqlite_url, folder))
    assert error.file == "contacts.csv" and "geen gegevensrijen" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_empty_folder(sqlite_url, tmp_path, counts):
    error = only_error(rejected(sqlite_url, tmp_path))
    assert "geen CSV- of XLSX-bestanden" in error.reason
    assert_nothing_written(sqlite_url, counts)


@pytest.mark.slow
def test_import_refuses_a_50_mb_file_with_the_size_limit_and_writes_nothing(
    sqlite_url, folder, counts
):
    path = folder / "contacts.csv"
    line = "C{},P001,2019-02-01,PHONE," + "x" * 80 + ",\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,candidate_id,contact_date,contact_type,summary,user\n")
        for i in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line.format(i))
    assert path.stat().st_size >= 50 * 1024 * 1024
    error = only_error(rejected(sqlite_url, folder))
    assert error.file == "contacts.csv"
    assert "groter dan de grens van 40 MB" in error.reason and "--max-mb" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_missing_required_column(sqlite_url, folder, counts):
    path = folder / "exemptions.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n")
    errors = rejected(sqlite_url, folder)
    assert RowError("exemptions.csv", 1, "id", "verplichte kolom ontbreekt") in errors
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_misspelled_column_and_unknown_file(sqlite_url, folder, edit, counts):
    edit(folder / "contacts.csv", "contact_type", "contacttype")
    (folder / "trajecten.csv").write_text("id\n1\n")
    errors = rejected(sqlite_url, folder)
    reasons = {(e.file, e.column): e.reason for e in errors}
    assert "onbekende kolom" in reasons[("contacts.csv", "contacttype")]
    assert "onbekend bestand" in reasons[("trajecten.csv", "")]
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_placement_with_two_claimants(sqlite_url, folder, edit, counts):
    edit(folder / "placements.csv", "Team Werk Centrum,\n", "Team Werk Centrum,WSP Regio\n")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column) == ("placements.csv", 2, "claimed_by_team")
    assert "precies één" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_ended_route_without_end_reason(sqlite_url, folder, edit, counts):
    edit(folder / "routes.csv", "2019-09-30,JOB", "2019-09-30,")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column) == ("routes.csv", 3, "end_reason")
    assert_nothing_written(sqlite_url, counts)


def test_import_rejects_exit_before_route_start(sqlite_url, folder, edit, counts):
    edit(folder / "exits.csv", "R005,2019-12-15", "R005,2019-05-15")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row, error.column) == ("exits.csv", 3, "exit_date")
    assert "startdatum van de route" in error.reason
    assert_nothing_written(sqlite_url, counts)


def test_import_reports_every_bad_row_not_just_the_first(sqlite_url, folder, edit, counts):
    edit(folder / "persons.csv", "123456009", "123456008")
    edit(folder / "persons.csv", ";V;", ";Q;")
    edit(folder / "budgets.csv", "2019,LKS,95000", "2019,LKS,veel")
    errors = rejected(sqlite_url, folder)
    assert {(e.file, e.column) for e in errors} == {
        ("persons.csv", "bsn"),
        ("persons.csv", "sex"),
        ("budgets.csv", "amount"),
    }
    assert_nothing_written(sqlite_url, counts)


def test_failed_import_leaves_earlier_data_untouched(sqlite_url, folder, edit, counts):
    import_folder(sqlite_url, folder)
    before = counts(sqlite_url)
    edit(folder / "persons.csv", ";Jan;de Vries;", ";Johannes;de Vries;")
    edit(folder / "contacts.csv", "C004,P009,2020-03-02", "C004,P009,2020-02-30")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.column) == ("contacts.csv", "contact_date")
    assert counts(sqlite_url) == before

    import sqlalchemy as sa

    from werkpad.store.db import make_engine

    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        name = conn.execute(
            sa.text("SELECT first_name FROM candidate WHERE source_id = 'P002'")
        ).scalar_one()
    engine.dispose()
    assert name == "Jan"


def test_import_rejects_bsn_that_belongs_to_another_person_in_the_database(
    sqlite_url, folder, edit
):
    import_folder(sqlite_url, folder)
    edit(folder / "persons.csv", "P002;", "P777;")
    errors = rejected(sqlite_url, folder)
    assert any(
        e.file == "persons.csv" and e.column == "bsn" and "andere rij (sleutel P002)" in e.reason
        for e in errors
    )


def test_import_rejects_a_column_that_appears_twice(sqlite_url, folder, edit, counts):
    edit(folder / "budgets.csv", "year,cost_item,amount", "year,cost_item,year")
    errors = rejected(sqlite_url, folder)
    assert RowError("budgets.csv", 1, "year", "kolom komt twee keer voor") in errors
    assert_nothing_written(sqlite_url, counts)


def test_trailing_empty_columns_left_by_excel_are_ignored(sqlite_url, folder, counts):
    path = folder / "budgets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line + ",," for line in lines) + "\n", encoding="utf-8")
    import_folder(sqlite_url, folder)
    assert counts(sqlite_url)["budget"] == 6


def test_csv_row_with_too_many_fields_names_the_line(sqlite_url, folder, edit, counts):
    edit(folder / "budgets.csv", "2019,LKS,95000", "2019,LKS,95000,extra")
    error = only_error(rejected(sqlite_url, folder))
    assert (error.file, error.row) == ("budgets.csv", 4)
    assert "regel 4 heeft 4 velden, de kopregel 3" in error.reason
    assert_nothing_written(sqlite_url, counts)
