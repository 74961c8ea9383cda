"""After a bulk load the planner gets fresh statistics (ANALYZE), on both databases."""

from __future__ import annotations

from sqlalchemy import Engine, text

from werkpad.store.db import refresh_statistics


def test_refresh_statistics_records_table_statistics(engine: Engine) -> None:
    # A fresh database holds only the code lists (SQLite keeps no statistics of empty tables).
    refresh_statistics(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            tables = set(conn.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
            assert "code" in tables
        else:
            analysed = conn.execute(
                text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'code'")
            ).scalar()
            assert analysed is not None
