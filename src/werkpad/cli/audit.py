"""``werkpad audit``: seal, verify and prune the audit log, its key and its settings.

Mount in ``werkpad.cli`` with ``app.add_typer(audit_app, name="audit")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import IntegrityError

from werkpad.cli.keyfiles import write_new_key
from werkpad.config import database_url
from werkpad.domain.errors import ValidationFailed
from werkpad.protected.keys import MissingKey
from werkpad.services.audit_chain import (
    AuditChainBroken,
    load_audit_key,
    prune_audit_log,
    seal_audit_log,
    verify_audit_log,
)
from werkpad.services.audit_settings import AuditSettings, audit_settings, save_audit_settings
from werkpad.store.db import make_engine, session_factory, transaction

audit_app = typer.Typer(
    help="De auditlog verzegelen, controleren en opschonen.", no_args_is_help=True
)
console = Console()

DbOption = Annotated[str | None, typer.Option("--db", help="Database-URL")]
KeyFileOption = Annotated[
    Path | None, typer.Option("--key-file", help="Auditsleutel (anders $WERKPAD_AUDIT_KEY)")
]


def _key(key_file: Path | None) -> bytes:
    try:
        return load_audit_key(key_file)
    except MissingKey as missing:
        console.print(f"[red]Geweigerd.[/red] {missing}")
        raise typer.Exit(code=2) from missing


@audit_app.command("keygen")
def keygen_command(
    out: Annotated[Path, typer.Option("--out", help="Nieuw sleutelbestand (buiten de database)")],
) -> None:
    """Maak een nieuwe auditsleutel (alleen leesbaar voor de eigenaar)."""
    write_new_key(
        out,
        "Auditsleutel geschreven naar {path}. Geef hem alleen aan de verzegeltaak en de "
        "controleur, niet aan wie de database beheert.",
    )


@audit_app.command("seal")
def seal_command(key_file: KeyFileOption = None, db: DbOption = None) -> None:
    """Verzegel de nieuwe auditregels in blokken (draai dit elke paar minuten via een timer)."""
    key = _key(key_file)
    engine = make_engine(database_url(db))
    try:
        with transaction(session_factory(engine)) as session:
            report = seal_audit_log(session, key)
    except MissingKey as other:
        console.print(f"[red]Verzegelen geweigerd.[/red] {other}")
        raise typer.Exit(code=1) from other
    except IntegrityError as raced:
        console.print("Een andere verzegeling liep tegelijk; de volgende ronde gaat verder.")
        raise typer.Exit(code=0) from raced
    finally:
        engine.dispose()
    head = report.head
    where = f"kop: blok {head.number}, regel {head.last_entry_id}, {head.mac}" if head else "leeg"
    console.print(f"{report.entries} regels verzegeld in {report.blocks} blok(ken); {where}.")


@audit_app.command("verify")
def verify_command(key_file: KeyFileOption = None, db: DbOption = None) -> None:
    """Reken de hele keten na; meldt gewijzigde, verwijderde en verwisselde regels."""
    key = _key(key_file)
    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            report = verify_audit_log(session, key)
    finally:
        engine.dispose()
    head = report.head
    console.print(
        f"{report.blocks} blokken, {report.entries} regels nagerekend"
        + (f" (blok 1-{report.pruned_through} opgeschoond)" if report.pruned_through else "")
        + (f"; kop: blok {head.number}, regel {head.last_entry_id}, {head.mac}" if head else "")
        + f"; {report.unsealed} regel(s) nog niet verzegeld"
        + (f" (oudste {report.oldest_unsealed:%Y-%m-%d %H:%M})" if report.oldest_unsealed else "")
        + "."
    )
    if not report.intact:
        for problem in report.problems:
            console.print(f"[red]{problem}[/red]")
        raise typer.Exit(code=1)
    console.print("[green]De auditlog is intact.[/green]")


@audit_app.command("prune")
def prune_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Alleen tonen wat weg zou gaan")
    ] = False,
    key_file: KeyFileOption = None,
    db: DbOption = None,
) -> None:
    """Verwijder verzegelde blokken ouder dan de bewaartermijn (alleen na een geslaagde
    controle); de keten blijft controleerbaar."""
    key = _key(key_file)
    engine = make_engine(database_url(db))
    try:
        with transaction(session_factory(engine)) as session:
            days = audit_settings(session).retention_days
            report = prune_audit_log(session, key, days, dry_run=dry_run)
    except AuditChainBroken as broken:
        console.print(f"[red]Opschonen geweigerd.[/red] {broken}")
        raise typer.Exit(code=1) from broken
    finally:
        engine.dispose()
    blocks = f"blok {report.blocks[0]}-{report.blocks[-1]}" if report.blocks else "geen blokken"
    verb = "zouden worden verwijderd" if dry_run else "verwijderd"
    console.print(
        f"Bewaartermijn {report.retention_days} dagen: {report.entries} regels ({blocks}) {verb}."
    )


@audit_app.command("settings")
def settings_command(
    retention_days: Annotated[
        int | None, typer.Option("--retention-days", help="Bewaartermijn van de auditlog")
    ] = None,
    read_alert_minimum: Annotated[
        int | None, typer.Option("--read-alert-minimum", help="N: minimum dossiers per dag")
    ] = None,
    read_alert_factor: Annotated[
        float | None, typer.Option("--read-alert-factor", help="k: keer de eigen mediaan")
    ] = None,
    db: DbOption = None,
) -> None:
    """Toon of wijzig de bewaartermijn en de signalering van opvallend veel inzage."""
    engine = make_engine(database_url(db))
    try:
        with transaction(session_factory(engine)) as session:
            current = audit_settings(session)
            changes = {
                "retention_days": retention_days,
                "read_alert_minimum": read_alert_minimum,
                "read_alert_factor": read_alert_factor,
            }
            wanted = {k: v for k, v in changes.items() if v is not None}
            if wanted:
                current = save_audit_settings(session, AuditSettings(**{**vars(current), **wanted}))
    except ValidationFailed as wrong:
        for error in wrong.errors:
            console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(code=2) from wrong
    finally:
        engine.dispose()
    console.print(
        f"Bewaartermijn {current.retention_days} dagen; signalering bij meer dan "
        f"max({current.read_alert_minimum}, {current.read_alert_factor:g} x eigen mediaan) "
        "dossiers per dag."
    )
