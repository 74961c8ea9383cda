"""The migrations build exactly the schema the models describe, on both databases, so a model
change without a migration (or the other way round) fails here rather than in production."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from werkpad.store.models import Base


def test_migrated_database_has_no_difference_from_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_caseload_lookup_columns_are_indexed(engine: Engine) -> None:
    inspector = inspect(engine)
    for table, column in (
        ("dossier_member", "candidate_id"),
        ("route", "plan_id"),
        ("placement", "vacancy_id"),
    ):
        leading = {ix["column_names"][0] for ix in inspector.get_indexes(table)}
        assert column in leading, (table, column)
