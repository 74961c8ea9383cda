"""Engine, sessions, schema migrations and code-list sync."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from werkpad.domain.codelists import all_code_lists
from werkpad.store import choices_version as _choices_version  # noqa: F401  (installs the hook)
from werkpad.store import figures_version as _figures_version  # noqa: F401  (installs the hook)
from werkpad.store.models import CodeEntry

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# A writer waits this long for another worker's write lock before SQLite gives up with
# "database is locked"; a request that waits longer has a worse problem than the lock.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Connections per worker process. FastAPI runs sync handlers in a thread pool of 40, so an
# SQLite pool smaller than that fails under load ("QueuePool limit of size 5 overflow 10
# reached", issue 14); SQLite connections are file handles and cost the server nothing.
SQLITE_POOL = {"pool_size": 10, "max_overflow": 50}
# PostgreSQL counts every connection against max_connections (100 by default): four workers
# with 5 + 15 stay at 80. Tune with WERKPAD_DB_POOL_SIZE / WERKPAD_DB_MAX_OVERFLOW
# (docs/deployment.md).
POSTGRES_POOL = {"pool_size": 5, "max_overflow": 15}
POOL_TIMEOUT_S = 30


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (the driver we install)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL, NORMAL syncs at checkpoints only: a killed process loses nothing committed (the
    # WAL is in the OS cache); a power cut may lose the last commits (docs/deployment.md).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _create_private_sqlite_file(url: str) -> None:
    """Create a SQLite database file that does not exist yet as an empty owner-only (0600) file.

    SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so all three
    stay private. An existing file keeps its mode (a copied template, a file of another
    owner); in-memory databases and ``file:`` URIs are left to SQLite.
    """
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.exists() or not path.parent.is_dir():
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # created by another process meanwhile: SQLite opens that one
        return
    os.fchmod(descriptor, 0o600)
    os.close(descriptor)


def _pool_arguments(url: str, kwargs: dict[str, Any]) -> None:
    """Pool sizes for several worker processes, unless the caller chose a pool itself.

    An in-memory SQLite database keeps SQLAlchemy's single-connection pool."""
    in_memory = url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") == "sqlite:")
    if "poolclass" in kwargs or in_memory:
        return
    defaults = SQLITE_POOL if url.startswith("sqlite") else POSTGRES_POOL
    for name, env in (
        ("pool_size", "WERKPAD_DB_POOL_SIZE"),
        ("max_overflow", "WERKPAD_DB_MAX_OVERFLOW"),
    ):
        configured = os.environ.get(env, "").strip()
        kwargs.setdefault(name, int(configured) if configured.isdigit() else defaults[name])
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT_S)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL (readers don't block writers) and a
    busy timeout, both get pools sized for several workers. SQL parameters (BSNs, names) never
    appear in error messages or logs, and a new database file is created readable by its
    owner only."""
    url = normalise_url(url)
    kwargs.setdefault("hide_parameters", True)
    _pool_arguments(url, kwargs)
    if url.startswith("sqlite"):
        _create_private_sqlite_file(url)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def refresh_statistics(engine: Engine) -> None:
    """ANALYZE after a bulk load, so the query planner knows the new table sizes (SQLite keeps
    no statistics until asked; PostgreSQL's autovacuum would get there later)."""
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration and mirror the code lists into the database."""
    command.upgrade(alembic_config(engine), "head")
    sync_code_lists(engine)


def sync_code_lists(engine: Engine) -> int:
    """Write every code list row to the ``code`` table (insert new, update changed)."""
    factory = session_factory(engine)
    count = 0
    with transaction(factory) as session:
        existing = {
            (row.list_name, row.code): row for row in session.scalars(select(CodeEntry)).all()
        }
        for name, codes in all_code_lists().items():
            for code in codes:
                row = existing.get((name, code.code))
                if row is None:
                    row = CodeEntry(list_name=name, code=code.code)
                    session.add(row)
                row.label_nl = code.label_nl
                row.label_en = code.label_en
                row.sort_order = code.sort_order
                row.attributes = dict(code.attributes)
                row.active = True
                count += 1
    return count
