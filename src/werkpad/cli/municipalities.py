"""``werkpad gemeente``: the municipalities of a regional service, which ones a team serves,
and a user's municipality scope (docs/municipalities.md).

Mount in ``werkpad.cli`` with ``app.add_typer(municipality_app, name="gemeente")``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from werkpad.cli.audit_trail import record_cli
from werkpad.config import database_url
from werkpad.domain.errors import ValidationFailed
from werkpad.services.municipalities import (
    add_municipality,
    find_municipality,
    municipalities,
    set_team_municipalities,
    set_user_scope,
)
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.store.models import Team, User

console = Console()
municipality_app = typer.Typer(
    help="Gemeenten van de dienst, teams per gemeente en de gemeente van een gebruiker.",
    no_args_is_help=True,
)
DbOption = Annotated[str | None, typer.Option("--db", help="Database-URL")]


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]{message}[/red]")
    return typer.Exit(code=2)


@municipality_app.command("lijst")
def list_command(db: DbOption = None) -> None:
    """Toon de gemeenten van de dienst."""
    engine = make_engine(database_url(db))
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        rows = municipalities(session)
    engine.dispose()
    table = Table(title="Gemeenten van de dienst")
    for column in ("Naam", "CBS-code", "Standaard"):
        table.add_column(column)
    for m in rows:
        table.add_row(m.name, m.cbs_code or "", "ja" if m.is_default else "")
    console.print(table)


@municipality_app.command("toevoegen")
def add_command(
    name: Annotated[str, typer.Argument(help="Naam van de gemeente")],
    code: Annotated[str | None, typer.Option("--code", help="CBS-gemeentecode (4 cijfers)")] = None,
    db: DbOption = None,
) -> None:
    """Voeg een gemeente toe aan de dienst (de eerste wordt de standaardgemeente)."""
    engine = make_engine(database_url(db))
    upgrade(engine)
    try:
        with transaction(session_factory(engine)) as session:
            add_municipality(session, name, code)
        record_cli(engine, "CONFIGURE", "municipality", f"Gemeente {name} toegevoegd")
    except ValidationFailed as failed:
        raise _fail(" ".join(e.message for e in failed.errors)) from failed
    finally:
        engine.dispose()
    console.print(f"[green]Gemeente {name} toegevoegd.[/green]")


@municipality_app.command("beperk")
def scope_command(
    username: Annotated[str, typer.Argument(help="Gebruikersnaam")],
    municipality: Annotated[
        str | None, typer.Argument(help="CBS-code of naam; leeg: de hele dienst")
    ] = None,
    db: DbOption = None,
) -> None:
    """Beperk een gebruiker tot de cijfers en lijsten van één gemeente (of hef dat op)."""
    engine = make_engine(database_url(db))
    upgrade(engine)
    try:
        with transaction(session_factory(engine)) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise _fail(f"Onbekende gebruiker '{username}'.")
            place = None
            if municipality:
                place = find_municipality(municipalities(session), municipality)
                if place is None:
                    raise _fail(f"Onbekende gemeente '{municipality}'.")
            set_user_scope(session, user.id, place.id if place else None)
        what = place.name if place else "de hele dienst"
        record_cli(engine, "CONFIGURE", "app_user", f"Gebruiker {username} beperkt tot {what}")
    finally:
        engine.dispose()
    console.print(f"[green]{username} ziet nu {what}.[/green]")


@municipality_app.command("team")
def team_command(
    team: Annotated[str, typer.Argument(help="Naam van het team")],
    places: Annotated[list[str], typer.Argument(help="CBS-codes of namen van de gemeenten")],
    db: DbOption = None,
) -> None:
    """Leg vast voor welke gemeenten een team werkt (vervangt de vorige keuze)."""
    engine = make_engine(database_url(db))
    upgrade(engine)
    try:
        with transaction(session_factory(engine)) as session:
            found = session.scalar(select(Team).where(Team.name == team))
            if found is None:
                raise _fail(f"Onbekend team '{team}'.")
            rows = municipalities(session)
            chosen = [find_municipality(rows, text) for text in places]
            unknown = [text for text, m in zip(places, chosen, strict=True) if m is None]
            if unknown:
                raise _fail(f"Onbekende gemeente: {', '.join(unknown)}.")
            set_team_municipalities(session, found.id, [m.id for m in chosen if m is not None])
        record_cli(engine, "CONFIGURE", "team", f"Team {team} werkt voor {', '.join(places)}")
    finally:
        engine.dispose()
    console.print(f"[green]Team {team} werkt voor {', '.join(places)}.[/green]")
