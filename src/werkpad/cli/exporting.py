"""``werkpad export``: the pseudonymised analytics extract and its key.

Mount in ``werkpad.cli`` with ``app.add_typer(export_app, name="export")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from werkpad.cli.audit_trail import record_cli, where
from werkpad.cli.keyfiles import write_new_key
from werkpad.config import database_url
from werkpad.exporting.analytics import FORMATS, export_analytics
from werkpad.exporting.pseudonym import MissingKey, load_key
from werkpad.store.db import make_engine

export_app = typer.Typer(
    help="Gegevens exporteren (analyse, SRG, importmap).", no_args_is_help=True
)
console = Console()


@export_app.command("analytics")
def analytics_command(
    out: Annotated[Path, typer.Option("--out", help="Map voor de export")] = Path(
        "werkpad-analyse-export"
    ),
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Sleutelbestand (anders $WERKPAD_PSEUDONYM_KEY)"),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="parquet, csv of beide (parquet,csv)")
    ] = "parquet,csv",
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Schrijf de gepseudonimiseerde analyse-export (Parquet en CSV) zonder BSN of namen."""
    try:
        key = load_key(key_file)
    except MissingKey as missing:
        console.print(f"[red]Export geweigerd.[/red] {missing}")
        raise typer.Exit(code=2) from missing
    formats = [f.strip() for f in fmt.split(",") if f.strip()]
    if not formats or set(formats) - set(FORMATS):
        console.print(f"[red]Onbekend formaat[/red] {fmt!r}; kies uit {', '.join(FORMATS)}.")
        raise typer.Exit(code=2)
    engine = make_engine(database_url(db))
    try:
        result = export_analytics(engine, out, key, formats)
        total = sum(result.rows.values())
        record_cli(
            engine,
            "EXPORT",
            "analytics_export",
            f"analyse-export (gepseudonimiseerd, {', '.join(formats)}), {total} rijen in "
            f"{len(result.rows)} tabellen, naar {where(out)}",
        )
    finally:
        engine.dispose()
    console.print(
        f"[green]Export klaar[/green]: {len(result.rows)} tabellen, {total} rijen in {out} "
        f"(sleutelvingerafdruk {result.key_fingerprint})."
    )


@export_app.command("srg")
def srg_command(
    year: Annotated[int, typer.Option("--year", help="Verslagjaar")],
    month: Annotated[int, typer.Option("--month", help="Verslagmaand (1-12)")],
    gemeentecode: Annotated[
        str, typer.Option("--gemeentecode", help="CBS-gemeentecode (4 cijfers)")
    ],
    berichtgevercode: Annotated[
        str, typer.Option("--berichtgevercode", help="Berichtgevercode (4 cijfers)")
    ],
    layout: Annotated[str, typer.Option("--layout", help="Indeling: 2015 of 2016")] = "2016",
    out: Annotated[Path | None, typer.Option("--out", help="Uitvoerbestand (CSV)")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Maak de SRG-levering aan het CBS voor één maand (bevat BSN; alleen voor het CBS)."""
    from werkpad.exporting.srg import SrgDelivery, export_srg

    try:
        delivery = SrgDelivery(year, month, gemeentecode, berichtgevercode, layout=layout)
        target = out or Path(f"srg-{gemeentecode}-{year:04d}{month:02d}.csv")
        engine = make_engine(database_url(db))
        try:
            records = export_srg(engine, delivery, target)
            record_cli(
                engine,
                "EXPORT",
                "srg_export",
                f"SRG-levering {year:04d}-{month:02d} (met BSN), {len(records)} rijen, naar "
                f"{where(target)}",
            )
        finally:
            engine.dispose()
    except ValueError as wrong:
        console.print(f"[red]{wrong}[/red]")
        raise typer.Exit(code=2) from wrong
    console.print(
        f"[green]SRG-levering {year:04d}-{month:02d}[/green]: {len(records)} voorzieningen in "
        f"{target} (indeling {layout}; bevat BSN, alleen leesbaar voor de eigenaar)."
    )


@export_app.command("srg-gemeenten")
def srg_per_municipality_command(
    year: Annotated[int, typer.Option("--year", help="Verslagjaar")],
    month: Annotated[int, typer.Option("--month", help="Verslagmaand (1-12)")],
    berichtgevercode: Annotated[
        str, typer.Option("--berichtgevercode", help="Berichtgevercode (4 cijfers)")
    ],
    out: Annotated[Path, typer.Option("--out", help="Uitvoermap")] = Path("."),
    layout: Annotated[str, typer.Option("--layout", help="Indeling: 2015 of 2016")] = "2016",
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Maak de SRG-levering per gemeente van de dienst: één bestand per CBS-gemeentecode."""
    from werkpad.exporting.srg import SrgDelivery
    from werkpad.exporting.srg_municipalities import export_srg_per_municipality

    try:
        # The code is replaced per municipality; 0000 only passes the format check.
        delivery = SrgDelivery(year, month, "0000", berichtgevercode, layout=layout)
        engine = make_engine(database_url(db))
        try:
            deliveries = export_srg_per_municipality(engine, delivery, out)
            for item in deliveries:
                record_cli(
                    engine,
                    "EXPORT",
                    "srg_export",
                    f"SRG-levering {year:04d}-{month:02d} gemeente {item.gemeentecode} (met BSN), "
                    f"{item.records} rijen, naar {where(item.path)}",
                )
        finally:
            engine.dispose()
    except ValueError as wrong:
        console.print(f"[red]{wrong}[/red]")
        raise typer.Exit(code=2) from wrong
    for item in deliveries:
        console.print(
            f"[green]{item.name} ({item.gemeentecode})[/green]: {item.records} voorzieningen in "
            f"{item.path}"
        )


@export_app.command("folder")
def folder_command(
    out: Annotated[
        Path,
        typer.Argument(
            help="Nieuw bestand voor de versleutelde importmap (met --onversleuteld: een "
            "nieuwe of lege map)"
        ),
    ],
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Back-upsleutel (anders $WERKPAD_BACKUP_KEY)"),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--onversleuteld",
            help="Een gewone map met CSV-bestanden, niet versleuteld (voor het importprogramma "
            "van een ander systeem)",
        ),
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Een bestaand bestand vervangen")
    ] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Schrijf de gemeente als importmap (CSV per bestandssoort, zie docs/import.md).

    Bedoeld om over te stappen: 'werkpad import' van deze map in een lege database geeft
    dezelfde KPI's. Bevat BSN, namen en adressen, en is daarom standaard één bestand,
    versleuteld en ondertekend met de back-upsleutel; alleen met --onversleuteld een gewone map.
    """
    from werkpad.backup import load_backup_key
    from werkpad.exporting.folder import export_folder
    from werkpad.exporting.sealed_folder import export_sealed_folder

    key = None
    if not plain:
        try:
            key = load_backup_key(key_file)
        except MissingKey as missing:
            console.print(f"[red]Export geweigerd.[/red] {missing}")
            raise typer.Exit(code=2) from missing
    engine = make_engine(database_url(db))
    try:
        if key is None:
            rows = export_folder(engine, out).rows
        else:
            rows = export_sealed_folder(engine, out, key, overwrite=overwrite).rows
        written = {k: n for k, n in rows.items() if n}
        how = "onversleuteld" if key is None else "versleuteld en ondertekend"
        record_cli(
            engine,
            "EXPORT",
            "folder_export",
            f"importmap (met BSN, {how}), {sum(written.values())} rijen in {len(written)} "
            f"bestanden, naar {where(out)}",
        )
    except FileExistsError as exists:
        console.print(f"[red]{exists}[/red]")
        raise typer.Exit(code=1) from exists
    finally:
        engine.dispose()
    if key is None:
        console.print(
            f"[green]Importmap klaar[/green]: {len(written)} bestanden, "
            f"{sum(written.values())} rijen in {out}, NIET versleuteld (bevat BSN: map en "
            "bestanden alleen voor de eigenaar; verwijder de map na gebruik)."
        )
    else:
        console.print(
            f"[green]Importmap klaar[/green]: {len(written)} bestanden, "
            f"{sum(written.values())} rijen in {out}, versleuteld en ondertekend met de "
            "back-upsleutel. Inlezen: werkpad import "
            f"{out} --key-file SLEUTEL; controleren: werkpad export folder-check {out}."
        )


@export_app.command("folder-check")
def folder_check_command(
    file: Annotated[Path, typer.Argument(help="Versleutelde importmap van werkpad export folder")],
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Back-upsleutel (anders $WERKPAD_BACKUP_KEY)"),
    ] = None,
) -> None:
    """Controleer handtekening en inhoud van een versleutelde importmap zonder hem te openen."""
    from werkpad.backup import load_backup_key
    from werkpad.exporting.sealed_folder import SealBroken, verify_sealed_folder

    try:
        counts = verify_sealed_folder(file, load_backup_key(key_file))
    except MissingKey as missing:
        console.print(f"[red]Controle geweigerd.[/red] {missing}")
        raise typer.Exit(code=2) from missing
    except SealBroken as broken:
        console.print(f"[red]Geweigerd.[/red] {broken}")
        raise typer.Exit(code=1) from broken
    console.print(
        f"[green]Handtekening klopt[/green]: {len(counts)} bestanden, {sum(counts.values())} "
        f"rijen in {file}."
    )


@export_app.command("keygen")
def keygen_command(
    out: Annotated[Path, typer.Option("--out", help="Nieuw sleutelbestand (buiten de repo)")],
) -> None:
    """Maak een nieuwe pseudonimiseringssleutel (alleen leesbaar voor de eigenaar)."""
    write_new_key(
        out,
        "Sleutel geschreven naar {path}. Bewaar hem veilig en buiten de database: wie de "
        "sleutel kwijtraakt, kan nieuwe exports niet meer aan oude koppelen.",
    )
