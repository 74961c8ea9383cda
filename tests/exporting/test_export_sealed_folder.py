"""Issue 15: the folder export is encrypted and signed like a backup, under a key that is not in
the file; a changed file or another key is refused on reading, and the plain folder comes only
with ``--onversleuteld``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from werkpad.cli import app
from werkpad.exporting.sealed_folder import (
    SealBroken,
    export_sealed_folder,
    opened_sealed_folder,
    verify_sealed_folder,
)
from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.reports.compute import kpi_results
from werkpad.store.db import make_engine, upgrade
from werkpad.synth.calibration import REFERENCE_DATE

KEY = b"m" * 64
OTHER_KEY = b"o" * 64
runner = CliRunner()


def kpis(url: str) -> pd.DataFrame:
    engine = make_engine(url)
    try:
        return kpi_results(engine, reference_date=REFERENCE_DATE, years=None, success=None)[2]
    finally:
        engine.dispose()


def persons(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM candidate")).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def source_url(tmp_path: Path) -> str:
    """A SQLite database holding the example folder, apart from ``database_url``'s file."""
    url = f"sqlite:///{tmp_path / 'bron.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    import_folder(url, EXAMPLE_FOLDER)
    return url


def test_sealed_folder_round_trip_through_import_gives_identical_kpis(
    source_url, database_url, tmp_path
):
    sealed = export_sealed_folder(source_url, tmp_path / "overstap.werkpadmap", KEY)
    assert sealed.rows["persons"] > 0
    assert verify_sealed_folder(sealed.path, KEY) == {k: n for k, n in sealed.rows.items() if n}
    with opened_sealed_folder(sealed.path, KEY) as plain:
        import_folder(database_url, plain)
    pd.testing.assert_frame_equal(kpis(database_url), kpis(source_url))


def test_sealed_folder_holds_no_plain_bsn_or_name_and_no_key(source_url, tmp_path):
    sealed = export_sealed_folder(source_url, tmp_path / "map.werkpadmap", KEY)
    raw = sealed.path.read_bytes()
    persons = (EXAMPLE_FOLDER / "persons.csv").read_text(encoding="utf-8-sig").splitlines()
    bsn_column = persons[0].replace(",", ";").split(";").index("bsn")
    first_bsn = persons[1].replace(",", ";").split(";")[bsn_column]
    assert first_bsn.encode() not in raw and b"bsn" not in raw and KEY not in raw
    assert oct(sealed.path.stat().st_mode & 0o777) == "0o600"


def test_a_changed_sealed_folder_is_refused(source_url, tmp_path):
    sealed = export_sealed_folder(source_url, tmp_path / "map.werkpadmap", KEY)
    data = bytearray(sealed.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    sealed.path.write_bytes(bytes(data))
    with pytest.raises(SealBroken, match=r"handtekening .* klopt niet"):
        verify_sealed_folder(sealed.path, KEY)
    with pytest.raises(SealBroken), opened_sealed_folder(sealed.path, KEY):
        pass


def test_a_sealed_folder_opened_with_another_key_is_refused(source_url, tmp_path):
    sealed = export_sealed_folder(source_url, tmp_path / "map.werkpadmap", KEY)
    with pytest.raises(SealBroken, match="andere back-upsleutel"):
        verify_sealed_folder(sealed.path, OTHER_KEY)


def test_cli_import_of_a_tampered_or_wrongly_keyed_sealed_folder_imports_nothing(
    source_url, database_url, tmp_path
):
    key, other = tmp_path / "k.key", tmp_path / "o.key"
    key.write_text(KEY.decode())
    other.write_text(OTHER_KEY.decode())
    target = tmp_path / "map.werkpadmap"
    done = runner.invoke(
        app, ["export", "folder", str(target), "--key-file", str(key), "--db", source_url]
    )
    assert done.exit_code == 0, done.output
    assert "versleuteld en ondertekend" in " ".join(done.output.split())
    wrong = runner.invoke(
        app, ["import", str(target), "--key-file", str(other), "--db", database_url]
    )
    assert wrong.exit_code == 1 and "andere back-upsleutel" in " ".join(wrong.output.split())
    data = bytearray(target.read_bytes())
    data[-40] ^= 0x01
    tampered = tmp_path / "gewijzigd.werkpadmap"
    tampered.write_bytes(bytes(data))
    changed = runner.invoke(
        app, ["import", str(tampered), "--key-file", str(key), "--db", database_url]
    )
    assert changed.exit_code == 1 and "klopt niet" in " ".join(changed.output.split())
    assert persons(database_url) == 0
    checked = runner.invoke(app, ["export", "folder-check", str(tampered), "--key-file", str(key)])
    assert checked.exit_code == 1
    imported = runner.invoke(
        app, ["import", str(target), "--key-file", str(key), "--db", database_url]
    )
    assert imported.exit_code == 0, imported.output
    pd.testing.assert_frame_equal(kpis(database_url), kpis(source_url))


def test_cli_folder_export_without_a_key_is_refused_and_plain_needs_the_flag(
    source_url, tmp_path, monkeypatch
):
    monkeypatch.delenv("WERKPAD_BACKUP_KEY", raising=False)
    refused = runner.invoke(app, ["export", "folder", str(tmp_path / "x"), "--db", source_url])
    assert refused.exit_code == 2 and not (tmp_path / "x").exists()
    plain = runner.invoke(
        app, ["export", "folder", str(tmp_path / "map"), "--onversleuteld", "--db", source_url]
    )
    assert plain.exit_code == 0, plain.output
    assert (tmp_path / "map" / "persons.csv").is_file()
    assert "NIET versleuteld" in " ".join(plain.output.split())


def test_cli_folder_export_refuses_to_overwrite_an_existing_file(source_url, tmp_path):
    key = tmp_path / "k.key"
    key.write_text(KEY.decode())
    target = tmp_path / "map.werkpadmap"
    target.write_bytes(b"oud")
    command = ["export", "folder", str(target), "--key-file", str(key), "--db", source_url]
    refused = runner.invoke(app, command)
    assert refused.exit_code == 1 and target.read_bytes() == b"oud"
    assert runner.invoke(app, [*command, "--overwrite"]).exit_code == 0
    assert verify_sealed_folder(target, KEY)["persons"] > 0
