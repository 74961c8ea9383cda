"""``werkpad privacy``: the data-subject's right of access (inzageverzoek).

Mount in ``werkpad.cli`` with ``app.add_typer(privacy_app, name="privacy")``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from werkpad.cli.audit_trail import record_cli, where
from werkpad.config import database_url
from werkpad.protected.modes import open_private
from werkpad.services.inzage import person_export
from werkpad.services.retention import PERIODS
from werkpad.store.db import make_engine, session_factory

privacy_app = typer.Typer(help="Privacy: inzageverzoeken.", no_args_is_help=True)
console = Console()


@privacy_app.command("inzage")
def inzage(
    candidate_id: Annotated[int, typer.Argument(help="Kandidaatnummer (id in werkpad)")],
    json_out: Annotated[Path | None, typer.Option("--json", help="JSON-bestand")] = None,
    pdf_out: Annotated[Path | None, typer.Option("--pdf", help="Leesbare PDF")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Alles wat werkpad over één persoon bewaart, als JSON en/of leesbare PDF (AVG art. 15).
    De bestanden zijn alleen voor de eigenaar leesbaar; een bestaand bestand wordt niet
    overschreven. Het maken staat in de auditlog."""
    if json_out is None and pdf_out is None:
        console.print("[red]Geef --json PAD en/of --pdf PAD.[/red]")
        raise typer.Exit(2)
    for path in (json_out, pdf_out):
        if path is not None and path.exists():
            console.print(f"[red]{path} bestaat al; kies een ander bestand.[/red]")
            raise typer.Exit(1)
    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            try:
                export = person_export(session, candidate_id)
            except KeyError:
                console.print(f"[red]Geen kandidaat met nummer {candidate_id}.[/red]")
                raise typer.Exit(1) from None
        rows = sum(len(r) for r in export["secties"].values())
        if json_out is not None:
            with open_private(json_out, "w", exclusive=True) as handle:
                json.dump(export, handle, ensure_ascii=False, indent=2)
        if pdf_out is not None:
            from werkpad.reports.inzage import write_inzage_pdf

            write_inzage_pdf(export, pdf_out, made_on=datetime.now(UTC).date())
        target = ", ".join(where(p) for p in (json_out, pdf_out) if p is not None)
        record_cli(
            engine,
            "EXPORT",
            "inzage",
            f"inzage kandidaat {candidate_id}, {rows} rijen, naar {target}",
        )
    finally:
        engine.dispose()
    console.print(f"Inzage van kandidaat {candidate_id}: {rows} rijen geschreven.")


def _periods(items: list[str]) -> dict[str, int]:
    periods: dict[str, int] = {}
    for item in items:
        name, _, days = item.partition("=")
        if name not in PERIODS or not days.isdigit() or int(days) < 1:
            raise typer.BadParameter(
                f"'{item}': gebruik SOORT=DAGEN met SOORT uit {', '.join(PERIODS)}"
            )
        periods[name] = int(days)
    return periods


def retention_command(
    apply: Annotated[
        bool, typer.Option("--apply/--dry-run", help="Uitvoeren, of alleen tonen (standaard)")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Rekenen alsof het deze dag is (JJJJ-MM-DD)")
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option("--period", help="Bewaartermijn per soort, bijv. kandidaat=1825 (dagen)"),
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Pseudonimiseer of verwijder gegevens voorbij hun bewaartermijn (docs/security.md)."""
    from werkpad.config import document_settings
    from werkpad.services.clock import Clock
    from werkpad.services.retention import (
        apply_retention,
        plan_retention,
        remove_document_files,
    )
    from werkpad.store.db import transaction

    periods = _periods(period or [])
    engine = make_engine(database_url(db))
    try:
        day = date.fromisoformat(today) if today else Clock(engine).today()
    except ValueError as error:
        raise typer.BadParameter(f"'{today}' is geen datum (JJJJ-MM-DD)") from error
    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        with transaction(session_factory(engine)) as session:
            if apply:
                plan = apply_retention(session, day, now, periods)
            else:
                plan = plan_retention(session, day, now, periods)
    finally:
        engine.dispose()
    # The rows are committed: only now delete their files (a failed run keeps every file).
    if apply and plan.document_files:
        remove_document_files(document_settings().directory, plan.document_files)
    verb = "Uitgevoerd" if apply else "Proefdraai (er is niets gewijzigd)"
    console.print(f"{verb}, peildatum {day.isoformat()}: {plan.summary()}.")


@privacy_app.command("register")
def register(
    out: Annotated[
        Path | None, typer.Option("--out", help="Markdown-bestand (anders scherm)")
    ] = None,
    controller: Annotated[
        str, typer.Option("--verantwoordelijke", help="Naam van de verwerkingsverantwoordelijke")
    ] = "",
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Verwerkingsregister (art. 30 AVG) en DPIA-opzet, gemaakt uit deze installatie."""
    from werkpad.services.privacy_register import register_markdown

    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            text = register_markdown(session, today=datetime.now(UTC).date(), controller=controller)
    finally:
        engine.dispose()
    if out is None:
        typer.echo(text)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"Verwerkingsregister geschreven naar {out}.")
