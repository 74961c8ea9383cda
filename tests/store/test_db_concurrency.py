"""Engine settings for several worker processes: SQLite waits for the write lock, syncs
NORMAL in WAL and has a pool larger than the request thread pool; PostgreSQL's pool follows the
environment; SQL parameters (BSNs, names) never appear in error messages."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from werkpad.store.db import SQLITE_BUSY_TIMEOUT_MS, make_engine

REQUEST_THREADS = 40  # anyio's default thread pool, where FastAPI runs sync handlers


def test_sqlite_waits_for_the_write_lock_and_syncs_normally_in_wal(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS >= 5000
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA synchronous")) == 1  # NORMAL
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
    engine.dispose()


def test_sqlite_pool_serves_every_request_thread_of_a_worker_at_once(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url, pool_timeout=1)
    with ExitStack() as stack:
        connections = [stack.enter_context(engine.connect()) for _ in range(REQUEST_THREADS + 5)]
        assert all(c.scalar(text("SELECT 1")) == 1 for c in connections)
    engine.dispose()


def test_postgres_pool_size_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WERKPAD_DB_POOL_SIZE", "3")
    monkeypatch.setenv("WERKPAD_DB_MAX_OVERFLOW", "7")
    engine = make_engine("postgresql://postgres@127.0.0.1:5432/unused")  # never connects
    assert engine.pool.size() == 3  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 7  # type: ignore[attr-defined]
    engine.dispose()


def test_sql_parameters_stay_out_of_error_messages(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(SQLAlchemyError) as failure, engine.connect() as conn:
        conn.execute(
            text("SELECT no_such_column FROM candidate WHERE bsn = :bsn"), {"bsn": "123456782"}
        )
    assert "123456782" not in str(failure.value)
    engine.dispose()


def test_in_memory_sqlite_keeps_its_single_connection_pool() -> None:
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT 1")) == 1
    engine.dispose()
