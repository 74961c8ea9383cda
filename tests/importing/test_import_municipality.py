"""The import takes a municipality per dossier and cost line (CBS code or name), refuses an
unknown one in Dutch and writes nothing; without the column every row goes to the default
municipality, as in a single-municipality installation."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from werkpad.importing import import_folder
from werkpad.importing.errors import ImportRejected
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Municipality


def _add_places(url: str) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        session.add_all(
            [
                Municipality(name="Hillegom", cbs_code="0534", is_default=True),
                Municipality(name="Lisse", cbs_code="0553"),
            ]
        )
    engine.dispose()


def _add_column(folder: Path, values: dict[str, str]) -> None:
    """Fill the (empty) municipality cells of dossiers.csv for the given dossier numbers."""
    path = folder / "dossiers.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",municipality")
    out = [lines[0]]
    for line in lines[1:]:
        number = line.split(",", 1)[0]
        out.append(f"{line}{values.get(number, '')}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _owners(url: str) -> dict[str, str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT d.dossier_number, m.name FROM benefit_dossier d "
                "JOIN municipality m ON m.id = d.municipality_id"
            )
        ).all()
    engine.dispose()
    return dict((r[0], r[1]) for r in rows)


def test_import_puts_each_dossier_in_the_municipality_named_by_code_or_name(
    database_url: str, folder: Path
) -> None:
    _add_places(database_url)
    _add_column(folder, {"D-1001": "GM0553", "D-1002": "Lisse", "D-1003": "0534"})
    import_folder(database_url, folder)
    owners = _owners(database_url)
    assert owners["D-1001"] == "Lisse" and owners["D-1002"] == "Lisse"
    assert owners["D-1003"] == "Hillegom"
    assert owners["D-1005"] == "Hillegom"  # empty cell: the default municipality


def test_import_refuses_an_unknown_municipality_in_dutch_and_writes_nothing(
    database_url: str, folder: Path, counts
) -> None:
    _add_places(database_url)
    before = counts(database_url)
    _add_column(folder, {"D-1002": "Katwijk"})
    with pytest.raises(ImportRejected) as rejected:
        import_folder(database_url, folder)
    [error] = [e for e in rejected.value.errors if e.column == "municipality"]
    assert error.file.startswith("dossiers") and error.value == "Katwijk"
    assert error.reason.startswith("onbekende gemeente; gebruik de CBS-code")
    assert counts(database_url) == before


def test_import_without_the_column_creates_one_default_municipality(
    sqlite_url: str, folder: Path
) -> None:
    import_folder(sqlite_url, folder)
    assert set(_owners(sqlite_url).values()) == {"Gemeente"}
