"""Benchmark: import time of a generated folder on SQLite (target: 100,000 rows under a minute).

    .venv/bin/python bench/import_bench.py [--rows 100000] [--db URL]

Generates a valid folder (``werkpad.importing.sample``) of about ``--rows`` rows, imports it into a
fresh SQLite file (or the empty database at ``--db``), then imports it again (every row an
update: the idempotent path) and validates it once more as a dry run. Prints seconds per phase,
rows per second and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from werkpad.importing import import_folder
from werkpad.importing.sample import ROWS_PER_PERSON, write_sample_folder
from werkpad.store.db import make_engine, upgrade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="empty database URL (default: temp SQLite)")
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "folder"
        t0 = time.perf_counter()
        rows = write_sample_folder(folder, persons=max(1, args.rows // ROWS_PER_PERSON))
        generate = time.perf_counter() - t0
        size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1024 / 1024
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        table = Table(
            title=f"Import van {rows:,} rijen ({size_mb:.1f} MB CSV) in {url.split(':')[0]}"
        )
        for column in (
            "run",
            "lezen",
            "controleren",
            "schrijven",
            "vastleggen",
            "totaal",
            "rijen/s",
        ):
            table.add_column(column, justify="right")
        for run, dry in (
            ("eerste import", False),
            ("herimport (updates)", False),
            ("dry-run", True),
        ):
            t0 = time.perf_counter()
            report = import_folder(engine, folder, dry_run=dry)
            total = time.perf_counter() - t0
            s = report.seconds
            table.add_row(
                run,
                *(
                    f"{s.get(p, 0.0):.2f}"
                    for p in ("lezen", "controleren", "schrijven", "vastleggen")
                ),
                f"{total:.2f}",
                f"{report.rows / total:,.0f}",
            )
        engine.dispose()
    console.print(table)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"map genereren {generate:.2f} s; piekgeheugen {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
