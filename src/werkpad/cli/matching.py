"""``werkpad match``: the best candidates for a vacancy (or vacancies for a candidate), explained.

Mount in ``werkpad.cli`` with ``app.add_typer(match_app, name="match")``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from werkpad.config import database_url
from werkpad.domain.errors import ValidationFailed
from werkpad.domain.formatting import dutch_number
from werkpad.matching.results import MatchResult
from werkpad.services.clock import read_frozen_today
from werkpad.services.matching import candidates_for_vacancy, vacancies_for_candidate
from werkpad.store.db import make_engine, session_factory, upgrade

match_app = typer.Typer(
    help="Kandidaten bij een vacature zoeken (of vacatures bij een kandidaat), met uitleg.",
    invoke_without_command=True,
    no_args_is_help=True,
    context_settings={"allow_interspersed_args": True},
)
console = Console()


@match_app.callback()
def match_command(
    vacancy: Annotated[int | None, typer.Option("--vacancy", help="Vacature-id")] = None,
    candidate: Annotated[
        int | None, typer.Option("--candidate", help="Kandidaat-id (vacatures zoeken)")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=500, help="Aantal resultaten")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON")] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database-URL")] = None,
) -> None:
    """Rangschik de aangemelde kandidaten voor VACATURE: harde filters (uren, reisafstand,
    rijbewijs, beperkingen), daarna een gewogen score met uitleg per criterium."""
    if (vacancy is None) == (candidate is None):
        console.print("[red]Geef precies één van --vacancy of --candidate.[/red]")
        raise typer.Exit(2)
    engine = make_engine(database_url(db))
    upgrade(engine)
    with session_factory(engine)() as session:
        today = read_frozen_today(session) or date.today()
        try:
            if vacancy is not None:
                match = candidates_for_vacancy(session, vacancy, today=today, top=top)
                results = match.results
                title = (
                    f"Vacature {vacancy}: {match.vacancy.title or match.vacancy.occupation} — "
                    f"{len(results)} van {match.pool_size} aangemelde kandidaten"
                )
            else:
                assert candidate is not None
                results = vacancies_for_candidate(session, candidate, today=today, top=top)
                title = f"Kandidaat {candidate}: {len(results)} passende open vacatures"
        except ValidationFailed as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    engine.dispose()
    if as_json:
        typer.echo(
            json.dumps(
                {"today": today.isoformat(), "results": [r.as_dict() for r in results]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    console.print(_table(title, results, by_vacancy=vacancy is not None))


def _table(title: str, results: list[MatchResult], *, by_vacancy: bool) -> Table:
    table = Table(title=title, show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("Kandidaat" if by_vacancy else "Vacature")
    table.add_column("Score", justify="right")
    table.add_column("Waarom")
    for r in results:
        who = f"{r.name} ({r.candidate_id if by_vacancy else r.vacancy_id})"
        why = "\n".join(
            f"{ln.label}: {ln.text} ({_pts(ln.points)}/{_pts(ln.max_points)})" for ln in r.lines
        )
        if r.warning:
            why += f"\n[yellow]{r.warning}[/yellow]"
        table.add_row(str(r.rank), who, f"{r.score_pct:.0f}%", why)
    return table


def _pts(x: float) -> str:
    return dutch_number(x, 1).removesuffix(",0")
