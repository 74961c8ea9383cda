"""The synthetic municipality generator behind ``werkpad synth`` and ``werkpad demo``.

``generate`` builds all tables as frames from a seed (pure, reproducible); ``load`` writes them
in one transaction; ``run_synth`` does both with a progress bar and returns a summary with the
demo logins. Calibration targets live in ``werkpad.synth.calibration``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, func, select

from werkpad.store.db import refresh_statistics
from werkpad.store.models import Candidate
from werkpad.synth.calibration import REFERENCE_DATE, SCALES, Scale
from werkpad.synth.frames import SynthData
from werkpad.synth.generate import generate, resolve_scale
from werkpad.synth.load import DatabaseNotEmpty, load
from werkpad.synth.regional import REFERENCE_DATE as REGIONAL_REFERENCE_DATE
from werkpad.synth.regional import generate_regional

REGIONAL = "hln"  # the ISD Bollenstreek: Hillegom, Lisse and Noordwijkerhout 2015-2017

__all__ = [
    "REFERENCE_DATE",
    "SCALES",
    "DatabaseNotEmpty",
    "Scale",
    "SynthData",
    "SynthSummary",
    "database_is_empty",
    "generate",
    "load",
    "reference_date_for",
    "run_synth",
]


def reference_date_for(scale: str) -> date:
    """The day a synthetic database describes (the app's frozen "today")."""
    return REGIONAL_REFERENCE_DATE if scale == REGIONAL else REFERENCE_DATE


@dataclass
class SynthSummary:
    """What ``run_synth`` wrote: rows per table, timings and the demo logins."""

    scale: str
    seed: int
    counts: dict[str, int]
    generate_seconds: float
    load_seconds: float
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.generate_seconds + self.load_seconds

    def __rich__(self) -> Table:
        table = Table(
            title=(
                f"Synthetische gemeente ({self.scale}, seed {self.seed}): "
                f"{self.seconds:.1f} s (genereren {self.generate_seconds:.1f} s, "
                f"laden {self.load_seconds:.1f} s)"
            )
        )
        table.add_column("Tabel")
        table.add_column("Rijen", justify="right")
        for name, count in self.counts.items():
            table.add_row(name, f"{count:,}".replace(",", "."))
        return table


def database_is_empty(engine: Engine) -> bool:
    """True when the database holds no candidates yet."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Candidate)).scalar_one() == 0


def run_synth(
    engine: Engine,
    *,
    scale: str | Scale,
    seed: int,
    replace: bool,
    console: Console | None = None,
) -> SynthSummary:
    """Generate the municipality for ``scale``/``seed`` and load it in one transaction
    (``hln``: the regional service of three municipalities, ``synth.regional``)."""
    console = console or Console(quiet=True)
    started = time.perf_counter()
    if scale == REGIONAL:
        name = REGIONAL
        with console.status(f"Synthetische regionale dienst genereren (seed {seed})..."):
            data = generate_regional(seed)
    else:
        size = resolve_scale(scale)
        name = size.name
        with console.status(f"Synthetische gemeente genereren ({size.name}, seed {seed})..."):
            data = generate(size, seed)
    generated = time.perf_counter()
    total = sum(data.counts().values())
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("Laden", total=total)

        def advance(table: str, rows: int) -> None:
            progress.update(task, advance=rows, description=f"Laden: {table}")

        counts = load(engine, data, replace=replace, progress=advance)
    refresh_statistics(engine)
    loaded = time.perf_counter()
    return SynthSummary(
        scale=name,
        seed=seed,
        counts=counts,
        generate_seconds=generated - started,
        load_seconds=loaded - generated,
        logins=data.logins,
    )
