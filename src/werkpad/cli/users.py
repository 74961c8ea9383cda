"""``werkpad user``: the first beheerder of a new installation.

Mount in ``werkpad.cli`` with ``app.add_typer(user_app, name="user")``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from werkpad.config import database_url
from werkpad.domain.errors import ValidationFailed
from werkpad.services.administration import create_user
from werkpad.services.audit import record_cli_event
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.store.models import User

user_app = typer.Typer(help="Gebruikers op de opdrachtregel.", no_args_is_help=True)
console = Console()

DbOption = Annotated[str | None, typer.Option("--db", help="Database-URL")]


@user_app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="Gebruikersnaam (kleine letters)")],
    full_name: Annotated[str, typer.Option("--full-name", help="Naam")],
    password: Annotated[
        str,
        typer.Option(
            prompt="Wachtwoord",
            hide_input=True,
            confirmation_prompt="Wachtwoord nogmaals",
            envvar="WERKPAD_ADMIN_PASSWORD",
            help="Gevraagd als je het niet meegeeft (of $WERKPAD_ADMIN_PASSWORD)",
        ),
    ],
    db: DbOption = None,
) -> None:
    """Maak de eerste beheerder van een nieuwe installatie. Bij de eerste keer inloggen stelt
    die tweestapsverificatie in (de QR-code verschijnt dan in de browser). Weigert als er al
    een actieve beheerder is: verdere beheerders maakt een beheerder op *Gebruikers*."""
    engine = make_engine(database_url(db))
    upgrade(engine)
    try:
        with transaction(session_factory(engine)) as session:
            if session.scalar(
                select(User.id).where(User.role == "BEHEERDER", User.active.is_(True)).limit(1)
            ):
                console.print(
                    "[red]Er is al een beheerder.[/red] Maak verdere beheerders aan op "
                    "Beheer → Gebruikers (een tweede beheerder keurt goed)."
                )
                raise typer.Exit(1)
            user = create_user(
                session,
                {
                    "username": username,
                    "full_name": full_name,
                    "role": "BEHEERDER",
                    "password": password,
                },
            )
            record_cli_event(session, "CREATE", "app_user", f"eerste beheerder {user.username}")
    except ValidationFailed as exc:
        for error in exc.errors:
            console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    console.print(
        f"Beheerder [bold]{username}[/bold] aangemaakt. Log in op /login; daarna stel je "
        "de tweede stap in met een authenticator-app."
    )
