"""Fixtures for import tests: a private copy of the shipped example folder and table counts."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from werkpad.importing import EXAMPLE_FOLDER
from werkpad.store.db import make_engine
from werkpad.store.models import Base

DATA_TABLES = [t for t in Base.metadata.sorted_tables if t.name != "code"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the example folder, to break one thing at a time."""
    target = tmp_path / "import"
    shutil.copytree(EXAMPLE_FOLDER, target)
    return target


def table_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in DATA_TABLES
            }
    finally:
        engine.dispose()


@pytest.fixture
def counts() -> Callable[[str], dict[str, int]]:
    return table_counts


def rewrite(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a text file, failing loudly when ``old`` is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def edit() -> Callable[..., None]:
    return rewrite
