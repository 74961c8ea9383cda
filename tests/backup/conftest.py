"""A small synthetic municipality on SQLite, its backup, and empty databases without tables."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from werkpad.backup import backup_database
from werkpad.store.db import make_engine, upgrade
from werkpad.store.models import Base
from werkpad.synth import run_synth

Dump = dict[str, list[tuple[Any, ...]]]
BACKUP_KEY = b"b" * 64
PG_ADMIN_URL = os.environ.get(
    "WERKPAD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _pg_url(dbname: str) -> str:
    return f"{PG_ADMIN_URL.rpartition('/')[0]}/{dbname}"


@pytest.fixture(scope="module")
def synth_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite database holding a small synthetic municipality (seed 5)."""
    path = tmp_path_factory.mktemp("synth") / "synth.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="small", seed=5, replace=False, console=None)
    _add_rows_synth_leaves_empty(engine)
    engine.dispose()
    return url


def _add_rows_synth_leaves_empty(engine: sa.Engine) -> None:
    """Settings, matching tables, floats and both kinds of JSON null, so every type is seen."""
    tables = Base.metadata.tables
    with engine.begin() as conn:
        conn.execute(
            sa.insert(tables["setting"]).values(key="clock", value={"today": "2024-12-31"})
        )
        conn.execute(
            sa.insert(tables["postcode_centroid"]),
            [
                {"postcode4": "9991", "lat": 53.07667123456789, "lon": 6.29861, "place": None},
                {"postcode4": "9992", "lat": 53.0705, "lon": 6.3007, "place": "Proefdorp"},
            ],
        )
        profiles = tables["work_profile"]
        conn.execute(sa.delete(profiles).where(profiles.c.candidate_id == 1))
        conn.execute(
            sa.insert(profiles).values(
                candidate_id=1,
                wished_occupations=["schoonmaker", "magazijn"],
                days=["MA", "DI"],
                hours_min=12,
                hours_max=32,
                radius_km=10,
                transport="FIETS",
                driving_licence=True,
                restrictions=[],
                note='Meerdere\nregels, "aanhalingstekens" en één accent',
            )
        )
        employer = tables["employer"]
        first, second = conn.execute(
            sa.select(employer.c.id).order_by(employer.c.id).limit(2)
        ).scalars()
        conn.execute(
            sa.update(employer).where(employer.c.id == first).values(agreements=sa.JSON.NULL)
        )
        conn.execute(
            sa.update(employer).where(employer.c.id == second).values(agreements=sa.null())
        )


@pytest.fixture(scope="module")
def synth_backup(synth_sqlite: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("backup") / "werkpad.zip"
    backup_database(synth_sqlite, out, key=BACKUP_KEY)
    return out


@pytest.fixture
def bare_postgres() -> Iterator[str]:
    """URL of a new PostgreSQL database without any tables."""
    name = f"werkpad_bare_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def bare_sqlite(tmp_path: Path) -> str:
    """URL of a SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'restored.db'}"


def dump_database(url: str) -> Dump:
    """Every table's rows ordered by primary key, each cell as (type name, value); JSON cells
    also say whether they are SQL NULL, so a JSON null document cannot pass for one."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            out: Dump = {}
            for table in Base.metadata.sorted_tables:
                json_nulls = [c.is_(None) for c in table.columns if isinstance(c.type, sa.JSON)]
                statement = sa.select(*table.columns, *json_nulls).order_by(
                    *table.primary_key.columns
                )
                out[table.name] = [
                    tuple((type(v).__name__, v) for v in row) for row in conn.execute(statement)
                ]
            return out
    finally:
        engine.dispose()


@pytest.fixture
def dump() -> Callable[[str], Dump]:
    return dump_database
