"""``werkpad kpi`` (every KPI, as a table or JSON with stable ids) and ``werkpad report`` (the
council report as HTML and PDF).

Mount in ``werkpad.cli`` with ``app.add_typer(kpi_app, name="kpi")`` and
``app.add_typer(report_app, name="report")``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from werkpad.analytics.definitions import DEFAULT_SUCCESS, kpi_definitions
from werkpad.analytics.targets import load_targets
from werkpad.analytics.units import code_label, format_value, measure_unit
from werkpad.config import database_url
from werkpad.reports.compute import (
    kpi_results,
    select_year,
    service_comparison,
    to_records,
    years_up_to,
)
from werkpad.services.configuration import small_cell_threshold
from werkpad.services.municipalities import resolve_municipality
from werkpad.services.team_intensity import team_names
from werkpad.store.db import make_engine, upgrade

console = Console()

kpi_app = typer.Typer(
    help="Alle indicatoren (KPI's) berekenen, als tabel of als JSON.",
    invoke_without_command=True,
)
report_app = typer.Typer(
    help="Raadsrapportage maken (HTML en PDF).",
    invoke_without_command=True,
    no_args_is_help=True,
)

DbOption = Annotated[str | None, typer.Option("--db", help="Database-URL")]
PeildatumOption = Annotated[
    str | None,
    typer.Option("--peildatum", help="Peildatum JJJJ-MM-DD (standaard: vandaag van de gemeente)"),
]
SuccessOption = Annotated[
    str, typer.Option("--succes", help="Succesdefinitie voor duurzame uitstroom")
]


def _peildatum(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(f"'{text}' is geen datum (JJJJ-MM-DD)") from error


@kpi_app.callback()
def kpi_command(
    year: Annotated[int | None, typer.Option("--year", help="Alleen dit jaar tonen")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machineleesbaar (JSON)")] = False,
    db: DbOption = None,
    peildatum: PeildatumOption = None,
    succes: SuccessOption = DEFAULT_SUCCESS,
    municipality: Annotated[
        str | None,
        typer.Option(
            "--municipality", "--gemeente", help="Alleen deze gemeente (CBS-code of naam)"
        ),
    ] = None,
) -> None:
    """Bereken elke indicator met definitie-id, versie, peildatum en succesdefinitie."""
    engine = make_engine(database_url(db))
    upgrade(engine)  # an older database gets the newest schema before it is read
    try:
        ref = _peildatum(peildatum)
        years = years_up_to(year) if year else None
        place = resolve_municipality(engine, municipality)
        _, ctx, results = kpi_results(
            engine,
            reference_date=ref,
            years=years,
            success=succes,
            municipality_id=place.id if place else None,
        )
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from error
    finally:
        engine.dispose()
    if year:
        results = select_year(results, year)
    if as_json:
        payload = {
            "reference_date": ctx.reference_date.isoformat(),
            "municipality": ({"name": place.name, "cbs_code": place.cbs_code} if place else None),
            "success_definition": ctx.success.label,
            "definitions": [vars(d) for d in kpi_definitions().values()],
            "results": [
                {**row, "measure_unit": measure_unit(str(row["kpi_id"]), str(row["measure"]))}
                for row in to_records(results)
            ],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    _print_table(results, ctx.reference_date.isoformat(), ctx.success.label)


def _print_table(results: object, reference: str, success: str) -> None:
    import pandas as pd

    assert isinstance(results, pd.DataFrame)
    out = Console()  # per call: the width follows $COLUMNS of this run
    names = {d.id: d.name_nl for d in kpi_definitions().values()}
    goals = {t.id: t.label_nl for t in load_targets()}
    out.print(f"Peildatum {reference}; succesdefinitie {success}")
    for kpi_id, part in results.groupby("kpi_id", sort=False):
        kpi = str(kpi_id)
        table = Table(title=f"{names[kpi]} [{kpi} v{part['version'].iloc[0]}]")
        for column in ("period", "group", "omschrijving", "subgroup", "measure", "value"):
            table.add_column(column, justify="right" if column == "value" else "left")
        for period, group, subgroup, measure, number in part.head(60)[
            ["period", "group", "subgroup", "measure", "value"]
        ].itertuples(index=False):
            unit = measure_unit(kpi, str(measure))
            value = format_value(None if pd.isna(number) else float(number), unit)
            label = goals.get(str(group), "") if kpi == "targets" else code_label(kpi, str(group))
            sub = code_label(kpi, str(subgroup), subgroup=True)
            sub_text = f"{subgroup} ({sub})" if sub else str(subgroup)
            table.add_row(str(period), str(group), label, sub_text, str(measure), value)
        if len(part) > 60:
            table.caption = f"{len(part) - 60} rijen meer; gebruik --json voor alles"
        out.print(table)


@report_app.callback()
def report_command(
    year: Annotated[int, typer.Option("--year", help="Verslagjaar")],
    out: Annotated[Path, typer.Option("--out", help="Map voor rapport.html en rapport.pdf")],
    db: DbOption = None,
    peildatum: PeildatumOption = None,
    succes: SuccessOption = DEFAULT_SUCCESS,
    effecten: Annotated[
        bool,
        typer.Option(
            "--effecten/--zonder-effecten", help="Hoofdstuk effectmeting (duurt enkele seconden)"
        ),
    ] = True,
    municipality: Annotated[
        str | None,
        typer.Option(
            "--municipality", "--gemeente", help="Alleen deze gemeente (CBS-code of naam)"
        ),
    ] = None,
) -> None:
    """Maak de raadsrapportage over YEAR (met de drie jaren ervoor als trend). Kleine aantallen
    worden verborgen volgens de drempel die de beheerder in de instellingen heeft gezet."""
    from werkpad.reports.council import write_report
    from werkpad.reports.effects_chapter import effect_summaries

    engine = make_engine(database_url(db))
    upgrade(engine)  # an older database gets the newest schema before it is read
    try:
        ref = _peildatum(peildatum)
        place = resolve_municipality(engine, municipality)
        snap, ctx, results = kpi_results(
            engine,
            reference_date=ref,
            years=years_up_to(year),
            success=succes,
            municipality_id=place.id if place else None,
        )
        threshold = small_cell_threshold(engine)
        teams = team_names(engine)
        comparison = (
            [] if place else service_comparison(engine, ctx.reference_date, year, threshold)
        )
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from error
    finally:
        engine.dispose()
    effects = effect_summaries(snap) if effecten else None
    html_path, pdf_path = write_report(
        results,
        ctx,
        year=year,
        out=out,
        threshold=threshold,
        effects=effects,
        team_names=teams,
        municipality=place.name if place else None,
        comparison=comparison,
    )
    console.print(f"Rapport geschreven: {html_path} en {pdf_path}")
