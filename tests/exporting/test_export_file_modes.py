"""Finding 5 of issue 22: files with BSNs or personal data are readable by their owner only.

Files 0600, folders 0700, whatever the process umask: the import folder export, the rejects
file, the analytics extract and a SQLite database file werkpad creates. (Backups: tests/backup.)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from werkpad.exporting import export_analytics
from werkpad.exporting.folder import export_folder
from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.importing.errors import RowError, write_rejects
from werkpad.store.db import make_engine, upgrade


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual 022 umask, which made these files 0644 in 0755 folders."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_folder_export_is_a_0700_folder_of_0600_files(sqlite_url, tmp_path):
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    export_folder(sqlite_url, tmp_path / "map")
    assert mode(tmp_path / "map") == 0o700
    files = list((tmp_path / "map").iterdir())
    assert files and {mode(p) for p in files} == {0o600}


def test_rejects_file_is_owner_only(tmp_path):
    path = write_rejects(
        [RowError("persons.csv", 2, "bsn", "ongeldig BSN", "123")], tmp_path / "r.csv"
    )
    assert mode(path) == 0o600


def test_rejects_file_already_there_becomes_owner_only(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("oud\n")
    path.chmod(0o644)
    write_rejects([RowError("persons.csv", 2, "bsn", "ongeldig BSN", "123")], path)
    assert mode(path) == 0o600


def test_analytics_export_is_a_0700_folder_of_0600_files(sqlite_url, tmp_path):
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    export_analytics(make_engine(sqlite_url), tmp_path / "analyse", b"k" * 40)
    files = list((tmp_path / "analyse").iterdir())
    assert mode(tmp_path / "analyse") == 0o700
    assert len(files) > 20 and {mode(p) for p in files} == {0o600}


def test_new_sqlite_database_file_is_owner_only(tmp_path):
    path = tmp_path / "nieuw.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    assert mode(path) == 0o600
    assert all(mode(p) == 0o600 for p in tmp_path.glob("nieuw.db*"))


def test_in_memory_sqlite_still_works():
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
