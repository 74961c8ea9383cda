"""Runtime configuration from the environment, with embedded defaults that just work."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SQLITE_FILE = "werkpad.db"


def database_url(explicit: str | None = None) -> str:
    """The database URL: ``--db`` first, then ``WERKPAD_DATABASE_URL``, else a local SQLite file."""
    if explicit:
        return explicit
    env = os.environ.get("WERKPAD_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"
