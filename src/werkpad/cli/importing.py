"""``werkpad import``: validate and import a folder of CSV/XLSX files, with a progress bar.

Mount in ``werkpad.cli`` with ``app.add_typer(import_app, name="import")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from werkpad.backup import MissingKey, load_backup_key
from werkpad.cli.audit_trail import record_cli, where
from werkpad.config import database_url
from werkpad.exporting.sealed_folder import SealBroken, is_sealed_folder, opened_sealed_folder
from werkpad.importing.errors import ImportRejected, RowError, write_rejects
from werkpad.importing.reading import DEFAULT_MAX_FILE_MB
from werkpad.importing.service import ImportReport, import_folder
from werkpad.importing.spec import SPECS
from werkpad.store.db import make_engine, upgrade

import_app = typer.Typer(
    help="Gegevens uit een ander systeem importeren (alles of niets).",
    invoke_without_command=True,
    no_args_is_help=True,
    # A group parses its own options only before arguments; this app has no subcommands, so
    # allow "werkpad import FOLDER --db ..." as well as options first.
    context_settings={"allow_interspersed_args": True},
)
console = Console()
SHOWN_ERRORS = 50


@import_app.callback()
def import_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Map met CSV- of XLSX-bestanden, of een versleutelde importmap van "
            "werkpad export folder"
        ),
    ],
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Back-upsleutel voor een versleutelde importmap (anders $WERKPAD_BACKUP_KEY)",
        ),
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
    rejects: Annotated[
        Path, typer.Option(help="Waar de afgekeurde rijen (CSV) komen bij fouten")
    ] = Path("werkpad-import-afgekeurd.csv"),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Alleen controleren, niets schrijven")
    ] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Grens per bestand in MB")] = float(
        DEFAULT_MAX_FILE_MB
    ),
) -> None:
    """Controleer alle bestanden in FOLDER en importeer ze in één transactie.

    Bij één fout wordt niets geïmporteerd; elke foute rij staat in de tabel en in het
    afkeurbestand. Opnieuw importeren van dezelfde map verandert niets (bijwerken op bron-id).
    """
    if is_sealed_folder(folder):
        try:
            key = load_backup_key(key_file)
        except MissingKey as missing:
            console.print(f"[red]Import geweigerd.[/red] {missing}")
            raise typer.Exit(code=2) from missing
        try:
            with opened_sealed_folder(folder, key) as plain:
                _import(plain, folder, db, rejects, dry_run, max_mb)
        except SealBroken as broken:
            console.print(f"[red]Import geweigerd.[/red] {broken}")
            raise typer.Exit(code=1) from broken
        return
    _import(folder, folder, db, rejects, dry_run, max_mb)


def _import(
    folder: Path, shown: Path, db: str | None, rejects: Path, dry_run: bool, max_mb: float
) -> None:
    """Import the plain ``folder``; ``shown`` is what the audit entry names (the sealed file)."""
    url = database_url(db)
    engine = make_engine(url)
    upgrade(engine)
    try:
        with _progress() as bar:
            tasks: dict[str, TaskID] = {}

            def on_progress(label: str, done: int, total: int) -> None:
                if label not in tasks:
                    title = label if label == "lezen en controleren" else f"schrijven {label}"
                    tasks[label] = bar.add_task(title, total=total)
                bar.update(tasks[label], completed=done)

            report = import_folder(
                engine, folder, dry_run=dry_run, max_file_mb=max_mb, progress=on_progress
            )
    except ImportRejected as rejected:
        _print_errors(rejected.errors)
        path = write_rejects(rejected.errors, rejects)
        record_cli(
            engine,
            "IMPORT",
            "import",
            f"import van {where(shown)} geweigerd, {len(rejected.errors)} fouten, "
            f"afkeurbestand {where(path)}",
        )
        console.print(
            f"[red]{len(rejected.errors)} fout(en); er is niets geïmporteerd.[/red] "
            f"Alle fouten staan in {path}."
        )
        raise typer.Exit(code=1) from rejected
    else:
        if not report.dry_run:
            record_cli(
                engine,
                "IMPORT",
                "import",
                f"import, {report.rows} rijen ({report.inserted} nieuw, {report.updated} "
                f"bijgewerkt), uit {where(shown)}",
            )
    finally:
        engine.dispose()
    _print_report(report)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _print_errors(errors: list[RowError]) -> None:
    table = Table(title="Fouten in de importbestanden")
    for header in ("Bestand", "Rij", "Kolom", "Waarde", "Reden"):
        table.add_column(header)
    for error in errors[:SHOWN_ERRORS]:
        table.add_row(error.file, str(error.row or ""), error.column, error.value, error.reason)
    console.print(table)
    if len(errors) > SHOWN_ERRORS:
        console.print(f"... en nog {len(errors) - SHOWN_ERRORS} fout(en).")


def _print_report(report: ImportReport) -> None:
    if report.dry_run:
        console.print(
            f"[green]Geen fouten gevonden[/green] in {report.rows} rijen; niets geschreven."
        )
        return
    table = Table(title="Import voltooid")
    table.add_column("Bestand")
    table.add_column("Nieuw", justify="right")
    table.add_column("Bijgewerkt", justify="right")
    for spec in SPECS:
        count = report.counts.get(spec.kind)
        if count is not None:
            table.add_row(spec.kind, str(count.inserted), str(count.updated))
    console.print(table)
    timing = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in report.seconds.items())
    console.print(f"[green]{report.rows} rijen geïmporteerd[/green] ({timing}).")
    if report.differences:
        console.print(
            f"[yellow]{len(report.differences)} verschil(len) met wat op het scherm was "
            "ingevoerd[/yellow] (de import is overgenomen; controleer het dossier):"
        )
        for difference in report.differences:
            console.print(f"  {difference}", markup=False)
