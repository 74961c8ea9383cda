"""Backup and restore move every row, typed, between SQLite and PostgreSQL, and refuse damage."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from werkpad.backup import (
    BackupInvalid,
    RestoreRefused,
    backup_database,
    restore_database,
    verify_archive,
)
from werkpad.cli.backup import backup_app, restore_app
from werkpad.store.db import alembic_config, make_engine
from werkpad.store.models import Base

pytestmark = pytest.mark.postgres


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Replace one member of the zip at ``path`` by ``change(old content)``."""
    with zipfile.ZipFile(path) as source:
        contents = {info.filename: source.read(info) for info in source.infolist()}
    contents[member] = change(contents[member])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in contents.items():
            target.writestr(name, data)


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def copy_of(backup: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.zip"
    target.write_bytes(backup.read_bytes())
    return target


def test_sqlite_backup_restores_into_bare_postgresql_with_every_row_identical(
    synth_sqlite, synth_backup, bare_postgres, dump
):
    restore_database(bare_postgres, synth_backup)
    source, restored = dump(synth_sqlite), dump(bare_postgres)
    assert restored.keys() == source.keys()
    for table in source:
        assert restored[table] == source[table], table
    assert len(source["candidate"]) > 500 and len(source["work_profile"]) > 100


def test_postgresql_backup_restores_into_sqlite_with_every_row_identical(
    synth_sqlite, synth_backup, bare_postgres, bare_sqlite, dump, tmp_path
):
    restore_database(bare_postgres, synth_backup)
    result = backup_database(bare_postgres, tmp_path / "from-pg.zip")
    assert result.manifest.source_dialect == "postgresql"
    restore_database(bare_sqlite, result.path)
    source, restored = dump(synth_sqlite), dump(bare_sqlite)
    for table in source:
        assert restored[table] == source[table], table


def _head_revision() -> str:
    """The newest migration, read from the migration scripts (not from the code under test)."""
    head = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://"))).get_current_head()
    assert head is not None
    return head


def test_backup_covers_every_table_of_the_schema_with_counts_and_revision(synth_backup):
    manifest = verify_archive(synth_backup)
    assert [t.name for t in manifest.tables] == [t.name for t in Base.metadata.sorted_tables]
    assert manifest.revision == _head_revision()
    assert all(len(t.sha256) == 64 for t in manifest.tables)
    sidecar = synth_backup.with_name(synth_backup.name + ".sha256").read_text().split()[0]
    assert sidecar == hashlib.sha256(synth_backup.read_bytes()).hexdigest()


def test_restored_postgresql_gives_new_rows_ids_after_the_restored_ones(
    synth_sqlite, synth_backup, bare_postgres, dump
):
    restore_database(bare_postgres, synth_backup)
    highest = max(row[0][1] for row in dump(synth_sqlite)["team"])
    engine = make_engine(bare_postgres)
    team = Base.metadata.tables["team"]
    with engine.begin() as conn:
        new_id = conn.execute(
            sa.insert(team).values(name="Nieuw team").returning(team.c.id)
        ).scalar_one()
    engine.dispose()
    assert new_id == highest + 1


def test_restore_refuses_a_tampered_row_and_creates_nothing(synth_backup, bare_postgres, tmp_path):
    tampered = copy_of(synth_backup, tmp_path)
    rewrite_member(tampered, "tables/team.jsonl", lambda data: data.replace(b"1", b"2", 1))
    tampered.with_name(tampered.name + ".sha256").unlink(missing_ok=True)
    with pytest.raises(BackupInvalid, match="controlesom van tabel team klopt niet"):
        restore_database(bare_postgres, tampered)
    assert table_names(bare_postgres) == set()


def test_restore_refuses_a_manifest_edited_to_match_a_tampered_table(
    synth_backup, bare_sqlite, tmp_path
):
    tampered = copy_of(synth_backup, tmp_path)

    def forge(raw: bytes) -> bytes:
        manifest = json.loads(raw)
        manifest["tables"][0]["rows"] += 1
        return json.dumps(manifest).encode()

    rewrite_member(tampered, "manifest.json", forge)
    with pytest.raises(BackupInvalid, match="inhoudsopgave klopt niet"):
        restore_database(bare_sqlite, tampered)
    assert table_names(bare_sqlite) == set()


def test_restore_refuses_a_file_whose_sidecar_checksum_differs(synth_backup, sqlite_url, tmp_path):
    copied = copy_of(synth_backup, tmp_path)
    copied.with_name(copied.name + ".sha256").write_text("0" * 64 + "  copy.zip\n")
    with pytest.raises(BackupInvalid, match=r"copy\.zip\.sha256"):
        restore_database(sqlite_url, copied)


def test_restore_refuses_a_target_with_data_and_leaves_it_as_it_was(
    synth_backup, database_url, dump
):
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(Base.metadata.tables["team"]).values(name="Bestaand team"))
    engine.dispose()
    before = dump(database_url)
    with pytest.raises(RestoreRefused, match=r"niet leeg.*team"):
        restore_database(database_url, synth_backup)
    assert dump(database_url) == before


def test_backup_refuses_a_database_behind_the_newest_migration(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003_chain'")
    engine.dispose()
    with pytest.raises(BackupInvalid, match="werkpad db upgrade"):
        backup_database(sqlite_url, tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


def test_cli_backs_up_and_restores_and_refuses_a_second_restore(
    synth_sqlite, bare_sqlite, tmp_path, dump
):
    out = tmp_path / "cli.zip"
    done = CliRunner().invoke(backup_app, ["--out", str(out), "--db", synth_sqlite])
    assert done.exit_code == 0, done.output
    assert "Back-up klaar" in done.output
    restored = CliRunner().invoke(restore_app, [str(out), "--db", bare_sqlite])
    assert restored.exit_code == 0, restored.output
    assert dump(bare_sqlite) == dump(synth_sqlite)
    again = CliRunner().invoke(restore_app, [str(out), "--db", bare_sqlite])
    assert again.exit_code == 1
    assert "niet leeg" in again.output
