"""Backup and restore move every row, typed, between SQLite and PostgreSQL, and refuse damage.

The damage tests here change the zip *inside* the seal and seal it again with the right key
(as a bug in werkpad could): the inner checksums still catch it. Tampering by someone without
the key is tests/backup/test_backup_sealing.py."""

from __future__ import annotations

import hashlib
import json
import shutil
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
from werkpad.backup.archive import opened_archive
from werkpad.backup.sealing import SealingWriter
from werkpad.cli.backup import backup_app, restore_app
from werkpad.store.db import alembic_config, make_engine
from werkpad.store.models import Base

BACKUP_KEY = b"b" * 64  # the key conftest.synth_backup is sealed with

pytestmark = pytest.mark.postgres


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Replace one member of the zip inside the sealed backup ``path`` by ``change(old)`` and
    seal it again with the right key."""
    with opened_archive(path, BACKUP_KEY) as plain, zipfile.ZipFile(plain) as source:
        contents = {info.filename: source.read(info) for info in source.infolist()}
    contents[member] = change(contents[member])
    with path.open("wb") as raw:
        sealer = SealingWriter(raw, BACKUP_KEY)
        with zipfile.ZipFile(sealer, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for name, data in contents.items():
                target.writestr(name, data)
        sealer.seal()


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
    restore_database(bare_postgres, synth_backup, key=BACKUP_KEY)
    source, restored = dump(synth_sqlite), dump(bare_postgres)
    assert restored.keys() == source.keys()
    for table in source:
        assert restored[table] == source[table], table
    assert len(source["candidate"]) > 500 and len(source["work_profile"]) > 100


def test_postgresql_backup_restores_into_sqlite_with_every_row_identical(
    synth_sqlite, synth_backup, bare_postgres, bare_sqlite, dump, tmp_path
):
    restore_database(bare_postgres, synth_backup, key=BACKUP_KEY)
    result = backup_database(bare_postgres, tmp_path / "from-pg.zip", key=BACKUP_KEY)
    assert result.manifest.source_dialect == "postgresql"
    restore_database(bare_sqlite, result.path, key=BACKUP_KEY)
    source, restored = dump(synth_sqlite), dump(bare_sqlite)
    for table in source:
        assert restored[table] == source[table], table


def _head_revision() -> str:
    """The newest migration, read from the migration scripts (not from the code under test)."""
    head = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://"))).get_current_head()
    assert head is not None
    return head


def test_backup_covers_every_table_of_the_schema_with_counts_and_revision(synth_backup):
    manifest = verify_archive(synth_backup, BACKUP_KEY)
    assert [t.name for t in manifest.tables] == [t.name for t in Base.metadata.sorted_tables]
    assert manifest.revision == _head_revision()
    assert all(len(t.sha256) == 64 for t in manifest.tables)
    sidecar = synth_backup.with_name(synth_backup.name + ".sha256").read_text().split()[0]
    assert sidecar == hashlib.sha256(synth_backup.read_bytes()).hexdigest()


def test_restored_postgresql_gives_new_rows_ids_after_the_restored_ones(
    synth_sqlite, synth_backup, bare_postgres, dump
):
    restore_database(bare_postgres, synth_backup, key=BACKUP_KEY)
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
        restore_database(bare_postgres, tampered, key=BACKUP_KEY)
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
        restore_database(bare_sqlite, tampered, key=BACKUP_KEY)
    assert table_names(bare_sqlite) == set()


def test_restore_refuses_a_file_whose_sidecar_checksum_differs(synth_backup, sqlite_url, tmp_path):
    copied = copy_of(synth_backup, tmp_path)
    copied.with_name(copied.name + ".sha256").write_text("0" * 64 + "  copy.zip\n")
    with pytest.raises(BackupInvalid, match=r"copy\.zip\.sha256"):
        restore_database(sqlite_url, copied, key=BACKUP_KEY)


def test_restore_refuses_a_target_with_data_and_leaves_it_as_it_was(
    synth_backup, database_url, dump
):
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(Base.metadata.tables["team"]).values(name="Bestaand team"))
    engine.dispose()
    before = dump(database_url)
    with pytest.raises(RestoreRefused, match=r"niet leeg.*team"):
        restore_database(database_url, synth_backup, key=BACKUP_KEY)
    assert dump(database_url) == before


def test_backup_refuses_a_database_behind_the_newest_migration(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003_chain'")
    engine.dispose()
    with pytest.raises(BackupInvalid, match="werkpad db upgrade"):
        backup_database(sqlite_url, tmp_path / "b.zip", key=BACKUP_KEY)
    assert not (tmp_path / "b.zip").exists()


def test_cli_backs_up_and_restores_and_refuses_a_second_restore(
    synth_sqlite, bare_sqlite, tmp_path, dump
):
    source = tmp_path / "bron.db"
    shutil.copy(make_engine(synth_sqlite).url.database or "", source)
    source_url = f"sqlite:///{source}"
    out = tmp_path / "cli.zip"
    (tmp_path / "backup.key").write_text(BACKUP_KEY.decode())
    keyed = ["--key-file", str(tmp_path / "backup.key")]
    done = CliRunner().invoke(backup_app, ["--out", str(out), "--db", source_url, *keyed])
    assert done.exit_code == 0, done.output
    assert "Back-up klaar" in done.output
    restored = CliRunner().invoke(restore_app, [str(out), "--db", bare_sqlite, *keyed])
    assert restored.exit_code == 0, restored.output
    before, after = dump(source_url), dump(bare_sqlite)
    assert {t: after[t] for t in after if t != "audit_log"} == {
        t: before[t] for t in before if t != "audit_log"
    }
    assert after["audit_log"][: len(before["audit_log"]) - 1] == before["audit_log"][:-1]
    again = CliRunner().invoke(restore_app, [str(out), "--db", bare_sqlite, *keyed])
    assert again.exit_code == 1
    assert "niet leeg" in again.output


def test_cli_backup_and_restore_each_leave_an_audit_entry(synth_sqlite, bare_sqlite, tmp_path):
    source = tmp_path / "bron.db"
    shutil.copy(make_engine(synth_sqlite).url.database or "", source)
    source_url = f"sqlite:///{source}"
    out = tmp_path / "cli.zip"
    (tmp_path / "backup.key").write_text(BACKUP_KEY.decode())
    keyed = ["--key-file", str(tmp_path / "backup.key")]
    assert (
        CliRunner().invoke(backup_app, ["--out", str(out), "--db", source_url, *keyed]).exit_code
        == 0
    )
    assert CliRunner().invoke(restore_app, [str(out), "--db", bare_sqlite, *keyed]).exit_code == 0
    for url, action, where in ((source_url, "BACKUP", "naar"), (bare_sqlite, "RESTORE", "uit")):
        engine = make_engine(url)
        with engine.connect() as conn:
            action_found, purpose = conn.execute(
                sa.text("SELECT action, purpose FROM audit_log ORDER BY id DESC LIMIT 1")
            ).one()
        engine.dispose()
        assert action_found == action
        assert (
            purpose.startswith("Opdrachtregel (") and f"{where} " in purpose and out.name in purpose
        )
        assert " rijen" in purpose
