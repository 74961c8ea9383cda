"""Killing the import process halfway leaves the database as it was before the import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa

from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.importing.sample import write_sample_folder
from werkpad.store.db import make_engine

IMPORT_WITH_PROGRESS = """
import sys
from pathlib import Path
from werkpad.importing import import_folder

def progress(label, done, total):
    print(label, done, total, flush=True)

import_folder(sys.argv[1], Path(sys.argv[2]), progress=progress)
print("COMMITTED", flush=True)
"""


@pytest.mark.slow
def test_import_killed_mid_write_leaves_the_database_unchanged(database_url, tmp_path, counts):
    folder = tmp_path / "large"
    write_sample_folder(folder, persons=20_000)
    before = counts(database_url)
    process = subprocess.Popen(
        [sys.executable, "-c", IMPORT_WITH_PROGRESS, database_url, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    seen: list[str] = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith("persons.csv 10000"):  # persons half written, nothing committed
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, seen[-3:]
    assert not any(line.startswith("COMMITTED") for line in seen)

    assert counts(database_url) == before
    if database_url.startswith("sqlite"):
        engine = make_engine(database_url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
        engine.dispose()
    # and the database still takes a normal import afterwards
    assert import_folder(database_url, EXAMPLE_FOLDER).inserted > 0
