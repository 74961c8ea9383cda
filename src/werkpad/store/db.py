"""Engine, sessions, schema migrations and code-list sync."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from werkpad.domain.codelists import all_code_lists
from werkpad.store import figures_version as _figures_version  # noqa: F401  (installs the hook)
from werkpad.store.models import CodeEntry

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and WAL so readers don't block writers."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
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
