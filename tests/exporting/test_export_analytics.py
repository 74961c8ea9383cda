"""The analytics export holds no BSN, no name, no full birth date, and links people by pseudonym."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from werkpad.cli.exporting import export_app
from werkpad.domain.bsn import is_valid_bsn
from werkpad.exporting import MissingKey, export_analytics, load_key, person_pseudonym
from werkpad.exporting.pseudonym import KEY_ENV, write_key_file
from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.store.db import make_engine

KEY = b"k" * 40
OTHER_KEY = b"o" * 40


@pytest.fixture
def engine(database_url: str):
    """The example municipality, with names planted in every free-text field."""
    import_folder(database_url, EXAMPLE_FOLDER)
    eng = make_engine(database_url)
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE contact SET summary = 'Gesprek met Fatima El Amrani, geboren 1965-01-10'"
            )
        )
        conn.execute(sa.text("UPDATE assessment SET reason = 'Jan de Vries wil in de zorg'"))
        conn.execute(sa.text("UPDATE cost_line SET description = 'Factuur Pieter Visser'"))
    yield eng
    eng.dispose()


def exported_texts(folder: Path) -> dict[str, str]:
    """Every exported table as text: CSV files as written, Parquet files as read back."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.csv")}
    for path in folder.glob("*.parquet"):
        texts[path.name] = pd.read_parquet(path).to_csv(index=False)
    texts["manifest.json"] = (folder / "manifest.json").read_text(encoding="utf-8")
    return texts


def people(engine: sa.Engine) -> list[tuple[str, str, str, str]]:
    with engine.connect() as conn:
        return [
            (r.bsn, r.first_name, r.last_name, str(r.birth_date))
            for r in conn.execute(
                sa.text("SELECT bsn, first_name, last_name, birth_date FROM candidate")
            )
        ]


def test_export_contains_no_bsn_name_or_full_birth_date(engine, tmp_path):
    out = tmp_path / "export"
    export_analytics(engine, out, KEY)
    texts = exported_texts(out)
    assert (
        len([n for n in texts if n.endswith(".parquet")])
        == len([n for n in texts if n.endswith(".csv")])
        > 10
    )
    everyone = people(engine)
    with engine.connect() as conn:
        contacts = [r[0] for r in conn.execute(sa.text("SELECT contact_person FROM employer"))]
    names = {n for _, first, last, _ in everyone for n in (first, last)} | {
        c for c in contacts if c
    }
    for name, text in texts.items():
        nine_digit_runs = re.findall(r"(?<!\d)\d{8,9}(?!\d)", text)
        assert not [r for r in nine_digit_runs if is_valid_bsn(r)], name
        for person_name in names:
            assert not re.search(rf"\b{re.escape(person_name)}\b", text, re.I), (name, person_name)
        for _, _, _, birth in everyone:
            year, month, day = birth.split("-")
            assert birth not in text and f"{day}-{month}-{year}" not in text, (name, birth)
        assert not re.search(r"\b\d{4} ?[A-Z]{2}\b", text), name  # no full postcode


def test_export_keeps_birth_year_and_four_digit_postcode(engine, tmp_path):
    export_analytics(engine, tmp_path, KEY, formats=["csv"])
    persons = pd.read_csv(tmp_path / "persons.csv", dtype={"postcode4": str})
    bsn, *_ = people(engine)[0]
    row = persons[persons["person"] == person_pseudonym(KEY, bsn)].iloc[0]
    with engine.connect() as conn:
        birth, postcode = conn.execute(
            sa.text("SELECT birth_date, postcode FROM candidate WHERE bsn = :b"), {"b": bsn}
        ).one()
    assert row["birth_year"] == int(str(birth)[:4])
    assert row["postcode4"] == postcode[:4]
    assert "bsn" not in persons.columns and "birth_date" not in persons.columns


def test_same_key_gives_same_pseudonyms_across_exports_and_links_tables(engine, tmp_path):
    export_analytics(engine, tmp_path / "a", KEY, formats=["parquet"])
    export_analytics(engine, tmp_path / "b", KEY, formats=["parquet"])
    export_analytics(engine, tmp_path / "c", OTHER_KEY, formats=["parquet"])
    first = pd.read_parquet(tmp_path / "a" / "persons.parquet")["person"]
    again = pd.read_parquet(tmp_path / "b" / "persons.parquet")["person"]
    other = pd.read_parquet(tmp_path / "c" / "persons.parquet")["person"]
    assert sorted(first) == sorted(again)
    assert not set(first) & set(other)
    routes = pd.read_parquet(tmp_path / "a" / "routes.parquet")
    assert set(routes["person"]) <= set(first) and len(routes) == 9


def test_export_is_refused_without_a_key_and_says_how_to_make_one(monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(MissingKey, match="werkpad export keygen"):
        load_key()
    with pytest.raises(MissingKey, match="bestaat niet"):
        load_key(tmp_path / "missing.key")
    monkeypatch.setenv(KEY_ENV, "kort")
    with pytest.raises(MissingKey, match="te kort"):
        load_key()


def test_keygen_writes_an_owner_only_key_and_never_overwrites(tmp_path):
    path = write_key_file(tmp_path / "werkpad.key")
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(load_key(path)) == 64
    with pytest.raises(FileExistsError):
        write_key_file(path)


def test_export_command_refuses_without_key_and_exports_with_key_file(
    sqlite_url, tmp_path, monkeypatch
):
    monkeypatch.delenv(KEY_ENV, raising=False)
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    runner = CliRunner()
    out = tmp_path / "export"
    refused = runner.invoke(export_app, ["analytics", "--db", sqlite_url, "--out", str(out)])
    assert refused.exit_code == 2 and "keygen" in refused.output
    assert not out.exists()
    key_file = tmp_path / "sleutel.key"
    assert runner.invoke(export_app, ["keygen", "--out", str(key_file)]).exit_code == 0
    done = runner.invoke(
        export_app,
        ["analytics", "--db", sqlite_url, "--out", str(out), "--key-file", str(key_file)],
    )
    assert done.exit_code == 0, done.output
    assert (out / "persons.parquet").exists() and (out / "persons.csv").exists()
    assert len(pd.read_csv(out / "persons.csv")) == 12
