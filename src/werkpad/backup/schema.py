"""Schema revisions: what this code's migrations reach and where a database stands."""

from __future__ import annotations

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from werkpad.store.db import MIGRATIONS_DIR


def _scripts() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg)


def code_head() -> str:
    """The newest migration this version of werkpad knows."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in _scripts().walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """The database's alembic revision; None for a database without werkpad tables."""
    return MigrationContext.configure(conn).get_current_revision()


def is_ancestor(older: str | None, newer: str) -> bool:
    """True when ``newer`` can be reached by upgrading from ``older`` (None: an empty schema)."""
    if older is None or older == newer:
        return True
    return any(s.revision == older for s in _scripts().walk_revisions(base="base", head=newer))
