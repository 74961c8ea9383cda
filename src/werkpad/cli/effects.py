"""``werkpad evaluate``: effect estimates from a flat CSV or Parquet file.

The lead mounts ``evaluate_app`` on the main CLI. Example::

    werkpad evaluate effect extract.csv --treatment kreeg_lks --outcome werk_12m \\
        --covariates leeftijd,geslacht,uitkeringsduur --method psm --json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from werkpad.analytics.effects.estimate import EffectEstimate, estimate_effect

evaluate_app = typer.Typer(
    help="Effectmeting: werkt een voorziening of route?", no_args_is_help=True
)


@evaluate_app.callback()
def _evaluate() -> None:
    """Effectmeting op een platte tabel (een rij per kandidaat)."""


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV (comma or semicolon separated) or Parquet file."""
    if not path.exists():
        raise typer.BadParameter(f"bestand bestaat niet: {path}")
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path)
    return pd.read_csv(path, sep=None, engine="python")


@evaluate_app.command("effect")
def effect(
    file: Annotated[Path, typer.Argument(help="CSV of Parquet, een rij per kandidaat")],
    treatment: Annotated[str, typer.Option(help="kolom met 0/1: kreeg de voorziening")],
    outcome: Annotated[str, typer.Option(help="kolom met de uitkomst, bv. werk binnen 12 mnd")],
    covariates: Annotated[str, typer.Option(help="kenmerken om voor te corrigeren, A,B,C")],
    method: Annotated[
        str, typer.Option(help="psm (matching), ipw (weging) of aipw (dubbel robuust)")
    ] = "psm",
    estimand: Annotated[str, typer.Option(help="ATT of ATE (ATE alleen met ipw)")] = "ATT",
    caliper: Annotated[float, typer.Option(help="caliper in SD van de log-odds score")] = 0.2,
    bootstrap: Annotated[int, typer.Option(help="aantal bootstrap-replicaties")] = 200,
    seed: Annotated[int, typer.Option(help="startwaarde toevalsgenerator")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="uitvoer als JSON")] = False,
) -> None:
    """Netto-effect van een behandeling met betrouwbaarheidsinterval en balanstabel."""
    frame = read_table(file)
    names = [c.strip() for c in covariates.split(",") if c.strip()]
    if method not in ("psm", "ipw", "aipw"):
        raise typer.BadParameter("methode moet psm, ipw of aipw zijn", param_hint="--method")
    if estimand not in ("ATT", "ATE"):
        raise typer.BadParameter("estimand moet ATT of ATE zijn", param_hint="--estimand")
    try:
        result = estimate_effect(
            frame,
            treatment,
            outcome,
            names,
            method=method,  # type: ignore[arg-type]
            estimand=estimand,  # type: ignore[arg-type]
            caliper=caliper,
            n_bootstrap=bootstrap,
            seed=seed,
        )
    except ValueError as exc:
        typer.echo(f"Fout: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_estimate(result, Console())


def print_estimate(result: EffectEstimate, console: Console) -> None:
    """Human-readable report: the estimate, the balance table and the Dutch reading."""
    summary = Table(title=f"Effect van {result.treatment} op {result.outcome} ({result.method})")
    for col in ["schatting", "interval", "ruw verschil", "deelnemers", "vergeleken", "controles"]:
        summary.add_column(col, justify="right")
    summary.add_row(
        f"{result.effect:.4f}",
        f"[{result.ci_low:.4f}, {result.ci_high:.4f}]",
        f"{result.naive_difference:.4f}",
        str(result.n_treated),
        str(result.n_matched_treated),
        str(result.n_controls_used),
    )
    console.print(summary)
    balance = Table(title="Balans (gestandaardiseerd verschil)")
    for col in ["kenmerk", "voor", "na", "variantieratio na"]:
        balance.add_column(col, justify="right")
    for name, row in result.balance.iterrows():
        balance.add_row(
            str(name),
            f"{row['smd_before']:.3f}",
            f"{row['smd_after']:.3f}",
            f"{row['variance_ratio_after']:.2f}",
        )
    console.print(balance)
    console.print(result.reading)
