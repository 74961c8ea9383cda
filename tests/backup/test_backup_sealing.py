"""Finding 6 of issue 22: a backup is encrypted and signed, so an edited one never restores.

Before the fix, someone with the file could make the analist a beheerder, recompute the
checksums, and the restore went through silently. Now the backup is sealed with a key that is
not in the file (sealing.py): without the key nobody can read it, forge it or vouch for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from werkpad.backup import BackupExists, BackupInvalid, backup_database, restore_database
from werkpad.backup.archive import MANIFEST, MANIFEST_SUM, opened_archive
from werkpad.backup.sealing import HEADER_BYTES, SealingWriter
from werkpad.cli import app
from werkpad.store.db import make_engine

BACKUP_KEY = b"b" * 64  # the key conftest.synth_backup is sealed with

pytestmark = pytest.mark.postgres
OTHER_KEY = b"x" * 64


def plain_contents(backup: Path) -> dict[str, bytes]:
    with opened_archive(backup, BACKUP_KEY) as plain, zipfile.ZipFile(plain) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def promote_analist(contents: dict[str, bytes]) -> dict[str, bytes]:
    """Make every analist a beheerder and recompute every checksum the archive holds."""
    manifest = json.loads(contents[MANIFEST])
    users = next(t for t in manifest["tables"] if t["name"] == "app_user")
    role = users["columns"].index("role")
    lines = []
    for line in contents[users["member"]].splitlines(keepends=True):
        row = json.loads(line)
        row[role] = "BEHEERDER" if row[role] == "ANALIST" else row[role]
        lines.append((json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode())
    forged = dict(contents)
    forged[users["member"]] = b"".join(lines)
    assert forged[users["member"]] != contents[users["member"]]
    users["sha256"] = hashlib.sha256(forged[users["member"]]).hexdigest()
    digest = hashlib.sha256()
    for entry in manifest["tables"]:
        digest.update(f"{entry['member']}:{entry['sha256']}\n".encode())
    manifest["content_sha256"] = digest.hexdigest()
    forged[MANIFEST] = json.dumps(manifest).encode()
    forged[MANIFEST_SUM] = (hashlib.sha256(forged[MANIFEST]).hexdigest() + "\n").encode()
    return forged


def write_zip(path: Path, contents: dict[str, bytes], seal_key: bytes | None) -> Path:
    with path.open("wb") as raw:
        sink = SealingWriter(raw, seal_key) if seal_key else raw
        with zipfile.ZipFile(sink, "w") as archive:
            for name, data in contents.items():
                archive.writestr(name, data)
        if isinstance(sink, SealingWriter):
            sink.seal()
    sidecar = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_name(path.name + ".sha256").write_text(f"{sidecar}  {path.name}\n")
    return path


def tables_of(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_restore_refuses_a_plain_backup_with_a_promoted_analist_and_recomputed_checksums(
    synth_backup, bare_postgres, tmp_path
):
    forged = write_zip(tmp_path / "forged.zip", promote_analist(plain_contents(synth_backup)), None)
    with pytest.raises(BackupInvalid, match="geen versleutelde en ondertekende"):
        restore_database(bare_postgres, forged, key=BACKUP_KEY)
    assert tables_of(bare_postgres) == set()


def test_restore_refuses_a_promoted_analist_sealed_with_another_key(
    synth_backup, bare_sqlite, tmp_path
):
    forged = promote_analist(plain_contents(synth_backup))
    path = write_zip(tmp_path / "forged.zip", forged, OTHER_KEY)
    with pytest.raises(BackupInvalid, match="andere back-upsleutel"):
        restore_database(bare_sqlite, path, key=BACKUP_KEY)
    assert tables_of(bare_sqlite) == set()


def test_restore_refuses_a_forgery_that_copies_the_real_header(synth_backup, bare_sqlite, tmp_path):
    """The key fingerprint is public: copying it does not make the signature right."""
    path = write_zip(
        tmp_path / "forged.zip", promote_analist(plain_contents(synth_backup)), OTHER_KEY
    )
    data = bytearray(path.read_bytes())
    data[:HEADER_BYTES] = synth_backup.read_bytes()[:HEADER_BYTES]
    path.write_bytes(bytes(data))
    path.with_name(path.name + ".sha256").unlink()
    with pytest.raises(BackupInvalid, match="handtekening van de back-up klopt niet"):
        restore_database(bare_sqlite, path, key=BACKUP_KEY)
    assert tables_of(bare_sqlite) == set()


def test_restore_refuses_one_changed_byte_and_restores_nothing(synth_backup, bare_sqlite, tmp_path):
    path = tmp_path / "changed.zip"
    data = bytearray(synth_backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BackupInvalid, match="handtekening van de back-up klopt niet"):
        restore_database(bare_sqlite, path, key=BACKUP_KEY)
    assert tables_of(bare_sqlite) == set()


def test_restore_with_the_wrong_key_is_refused_in_dutch_and_restores_nothing(
    synth_backup, bare_postgres
):
    with pytest.raises(BackupInvalid, match="andere back-upsleutel"):
        restore_database(bare_postgres, synth_backup, key=OTHER_KEY)
    assert tables_of(bare_postgres) == set()


def test_backup_file_holds_no_readable_bsn_or_password_hash_and_is_owner_only(
    synth_sqlite, synth_backup
):
    engine = make_engine(synth_sqlite)
    with engine.connect() as conn:
        bsn = conn.execute(sa.text("SELECT bsn FROM candidate LIMIT 1")).scalar_one()
    engine.dispose()
    raw = synth_backup.read_bytes()
    assert bsn.encode() not in raw and b"argon2" not in raw and b"app_user" not in raw
    assert b"app_user" in plain_contents(synth_backup)[MANIFEST]
    for path in (synth_backup, synth_backup.with_name(synth_backup.name + ".sha256")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_backup_refuses_to_overwrite_an_existing_file(synth_sqlite, tmp_path):
    out = tmp_path / "bestaand.zip"
    out.write_bytes(b"gisteren")
    with pytest.raises(BackupExists, match="--overwrite"):
        backup_database(synth_sqlite, out, key=BACKUP_KEY)
    assert out.read_bytes() == b"gisteren"


def test_cli_backup_needs_a_key_refuses_overwrite_and_overwrites_when_asked(
    synth_sqlite, tmp_path, monkeypatch
):
    monkeypatch.delenv("WERKPAD_BACKUP_KEY", raising=False)
    source = tmp_path / "bron.db"
    shutil.copy(make_engine(synth_sqlite).url.database or "", source)
    db = f"sqlite:///{source}"
    runner = CliRunner()
    out = tmp_path / "b.zip"
    keyless = runner.invoke(app, ["backup", "--out", str(out), "--db", db])
    assert keyless.exit_code == 2 and "werkpad backup keygen" in " ".join(keyless.output.split())
    assert not out.exists()
    key = tmp_path / "sleutels" / "backup.key"
    made = runner.invoke(app, ["backup", "keygen", "--out", str(key)])
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    args = ["backup", "--out", str(out), "--db", db, "--key-file", str(key)]
    assert runner.invoke(app, args).exit_code == 0
    first = out.read_bytes()
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "bestaat al" in again.output
    assert out.read_bytes() == first
    forced = runner.invoke(app, [*args, "--overwrite"])
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes() != first
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0  # the same, by its other name
    assert not os.path.exists(str(out) + ".onvolledig")
