"""``werkpad outbox send``: send queued invitations, retry failed ones and send the reminders
that are due. Safe to run from a timer on every worker at once: each message is claimed by
one run only (``services.outbox.claim_messages``).

Mount in ``werkpad.cli`` with ``app.add_typer(outbox_app, name="outbox")``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console

from werkpad.config import database_url, smtp_settings
from werkpad.domain.messages import LOCAL_ZONE
from werkpad.services.clock import read_frozen_today
from werkpad.services.outbox import run_outbox
from werkpad.store.db import make_engine, session_factory

outbox_app = typer.Typer(help="Berichten aan kandidaten versturen.", no_args_is_help=True)
console = Console()

DbOption = Annotated[str | None, typer.Option("--db", help="Database-URL")]


@outbox_app.command("send")
def send(db: DbOption = None) -> None:
    """Send queued e-mails, retry failed ones and queue and send due reminders."""
    engine = make_engine(database_url(db))
    with session_factory(engine)() as session:
        now = datetime.now(LOCAL_ZONE).replace(tzinfo=None)
        frozen = read_frozen_today(session)
        if frozen is not None:  # a demo's "today", at the time of day of the clock
            now = datetime.combine(frozen, now.time())
        run = run_outbox(session, smtp_settings(), now)
    engine.dispose()
    console.print(
        f"Herinneringen klaargezet: {run.reminders_queued} · verstuurd: {run.sent} · "
        f"mislukt (later opnieuw): {run.failed}"
    )
    if run.failed:
        raise typer.Exit(1)
