"""``werkpad backup`` (with ``werkpad backup keygen``) and ``werkpad restore``.

Mount in ``werkpad.cli`` with::

    app.add_typer(backup_app, name="backup")
    app.add_typer(restore_app, name="restore")
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from werkpad.backup import (
    BackupExists,
    BackupInvalid,
    MissingKey,
    RestoreRefused,
    backup_database,
    load_backup_key,
    restore_database,
)
from werkpad.cli.audit_trail import record_cli, where
from werkpad.cli.keyfiles import write_new_key
from werkpad.config import database_url
from werkpad.store.db import make_engine

console = Console()
_SINGLE = {"allow_interspersed_args": True}

backup_app = typer.Typer(
    help="Een versleutelde, ondertekende back-up van de hele database maken.",
    invoke_without_command=True,
)
restore_app = typer.Typer(
    help="Een back-up terugzetten in een lege database (SQLite of PostgreSQL).",
    invoke_without_command=True,
    no_args_is_help=True,
    context_settings=_SINGLE,
)

KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", help="Back-upsleutel (anders $WERKPAD_BACKUP_KEY)"),
]


def _key(key_file: Path | None, refused: str) -> bytes:
    try:
        return load_backup_key(key_file)
    except MissingKey as missing:
        console.print(f"[red]{refused}[/red] {missing}")
        raise typer.Exit(code=2) from missing


@backup_app.callback()
def backup_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Back-upbestand")] = Path("werkpad-backup.zip"),
    key_file: KeyFileOption = None,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", "--force", help="Een bestaand back-upbestand vervangen"),
    ] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Lees alle tabellen in één transactie en schrijf ze versleuteld en ondertekend naar OUT."""
    if ctx.invoked_subcommand is not None:
        return
    key = _key(key_file, "Back-up geweigerd.")
    engine = make_engine(database_url(db))
    try:
        result = backup_database(engine, out, key=key, overwrite=overwrite)
        manifest = result.manifest
        record_cli(
            engine,
            "BACKUP",
            "database",
            f"back-up, {len(manifest.tables)} tabellen, {manifest.total_rows} rijen, naar "
            f"{where(result.path)}",
        )
    except (BackupInvalid, BackupExists) as refused:
        console.print(f"[red]Back-up geweigerd.[/red] {refused}")
        raise typer.Exit(code=1) from refused
    finally:
        engine.dispose()
    console.print(
        f"[green]Back-up klaar[/green]: {len(manifest.tables)} tabellen, {manifest.total_rows} "
        f"rijen, schemaversie {manifest.revision}, in {result.seconds:.1f} s, versleuteld en "
        f"ondertekend (alleen leesbaar voor de eigenaar).\n"
        f"{result.path} (SHA-256 {result.sha256}, ook in {result.path.name}.sha256)"
    )


@backup_app.command("keygen")
def keygen_command(
    out: Annotated[Path, typer.Option("--out", help="Nieuw sleutelbestand (niet bij de back-ups)")],
) -> None:
    """Maak een nieuwe back-upsleutel (alleen leesbaar voor de eigenaar)."""
    write_new_key(
        out,
        "Back-upsleutel geschreven naar {path}. Bewaar hem buiten de database en apart van de "
        "back-ups (bijvoorbeeld in de kluis van de beheerders): zonder deze sleutel is geen "
        "back-up meer terug te zetten.",
    )


@restore_app.callback()
def restore_command(
    file: Annotated[Path, typer.Argument(help="Back-upbestand van werkpad backup")],
    key_file: KeyFileOption = None,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL (lege database)")] = None,
) -> None:
    """Controleer de handtekening van FILE en zet hem in één transactie terug in een lege
    database."""
    key = _key(key_file, "Terugzetten geweigerd.")
    engine = make_engine(database_url(db))
    try:
        result = restore_database(engine, file, key=key)
        manifest = result.manifest
        record_cli(
            engine,
            "RESTORE",
            "database",
            f"teruggezet, {len(manifest.tables)} tabellen, {manifest.total_rows} rijen, uit "
            f"{where(file)} (back-up van {manifest.created_at})",
        )
    except (BackupInvalid, RestoreRefused) as refused:
        console.print(f"[red]Terugzetten geweigerd.[/red] {refused}")
        raise typer.Exit(code=1) from refused
    finally:
        engine.dispose()
    console.print(
        f"[green]Teruggezet[/green]: {len(manifest.tables)} tabellen, {manifest.total_rows} "
        f"rijen (schemaversie {manifest.revision}) in {result.seconds:.1f} s. Voer daarna "
        "'werkpad db upgrade' uit als deze werkpad nieuwer is dan de back-up."
    )
