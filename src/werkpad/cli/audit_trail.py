"""The audit entry every command-line import, export, backup and restore leaves behind.

Written in its own short transaction after the work succeeded (or was refused), so a long
import never holds an audit id open while the seal (``werkpad audit seal``) passes by.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from werkpad.services.audit import record_cli_event
from werkpad.store.db import session_factory, transaction

console = Console(stderr=True)


def record_cli(engine: Engine, action: str, object_type: str, what: str) -> None:
    """Log the command in ``engine``'s audit log; a database that cannot take it is reported."""
    try:
        with transaction(session_factory(engine)) as session:
            record_cli_event(session, action, object_type, what)
    except SQLAlchemyError as failed:
        reason = type(failed).__name__
        console.print(
            f"[yellow]Let op:[/yellow] de auditregel kon niet worden geschreven ({reason})."
        )


def where(path: Path, limit: int = 55) -> str:
    """``path`` made absolute, cut at the front when long: the audit purpose holds 200 chars
    and the end of a path (folder and file name) says the most."""
    text = str(path.resolve())
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]
