"""``werkpad backup`` and ``werkpad restore``.

Mount in ``werkpad.cli`` with::

    app.add_typer(backup_app, name="backup")
    app.add_typer(restore_app, name="restore")
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from werkpad.backup.archive import BackupInvalid
from werkpad.backup.dump import backup_database
from werkpad.backup.restore import RestoreRefused, restore_database
from werkpad.config import database_url
from werkpad.store.db import make_engine

console = Console()
_SINGLE = {"allow_interspersed_args": True}

backup_app = typer.Typer(
    help="Een consistente back-up van de hele database maken (één bestand met controlesom).",
    invoke_without_command=True,
    context_settings=_SINGLE,
)
restore_app = typer.Typer(
    help="Een back-up terugzetten in een lege database (SQLite of PostgreSQL).",
    invoke_without_command=True,
    no_args_is_help=True,
    context_settings=_SINGLE,
)


@backup_app.callback()
def backup_command(
    out: Annotated[Path, typer.Option("--out", help="Back-upbestand (zip)")] = Path(
        "werkpad-backup.zip"
    ),
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Lees alle tabellen in één transactie en schrijf ze met controlesommen naar OUT."""
    engine = make_engine(database_url(db))
    try:
        result = backup_database(engine, out)
    except BackupInvalid as refused:
        console.print(f"[red]Back-up geweigerd.[/red] {refused}")
        raise typer.Exit(code=1) from refused
    finally:
        engine.dispose()
    manifest = result.manifest
    console.print(
        f"[green]Back-up klaar[/green]: {len(manifest.tables)} tabellen, {manifest.total_rows} "
        f"rijen, schemaversie {manifest.revision}, in {result.seconds:.1f} s.\n"
        f"{result.path} (SHA-256 {result.sha256}, ook in {result.path.name}.sha256)"
    )


@restore_app.callback()
def restore_command(
    file: Annotated[Path, typer.Argument(help="Back-upbestand van werkpad backup")],
    db: Annotated[str | None, typer.Option("--db", help="Database-URL (lege database)")] = None,
) -> None:
    """Controleer FILE en zet hem in één transactie terug in een lege database."""
    engine = make_engine(database_url(db))
    try:
        result = restore_database(engine, file)
    except (BackupInvalid, RestoreRefused) as refused:
        console.print(f"[red]Terugzetten geweigerd.[/red] {refused}")
        raise typer.Exit(code=1) from refused
    finally:
        engine.dispose()
    manifest = result.manifest
    console.print(
        f"[green]Teruggezet[/green]: {len(manifest.tables)} tabellen, {manifest.total_rows} "
        f"rijen (schemaversie {manifest.revision}) in {result.seconds:.1f} s. Voer daarna "
        "'werkpad db upgrade' uit als deze werkpad nieuwer is dan de back-up."
    )
