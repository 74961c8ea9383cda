"""Benchmark: import time of a generated folder on SQLite (target: 100,000 rows under a minute).

    .venv/bin/python bench/import_bench.py [--rows 100000] [--db URL] [--no-xlsx]

Generates a valid folder (``werkpad.importing.sample``) of about ``--rows`` rows, imports it into a
fresh SQLite file (or the empty database at ``--db``), then imports it again (every row an
update: the idempotent path) and validates it once more as a dry run. Prints seconds per phase,
rows per second and the peak resident memory of this process.

Then the same folder as XLSX workbooks, typed as Excel types them (dates as date cells, numbers
and BSNs as number cells), is checked (dry run) beside the CSV folder: a second table gives the
reading and checking time of both and their ratio (target: XLSX at most about 3x CSV).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from rich.console import Console
from rich.table import Table

from werkpad.importing import import_folder
from werkpad.importing.cells import normalise_decimal_text
from werkpad.importing.reading import read_file
from werkpad.importing.sample import ROWS_PER_PERSON, write_sample_folder
from werkpad.importing.spec import SPEC_BY_KIND
from werkpad.store.db import make_engine, upgrade


def _typed(kind: str, frame: pd.DataFrame) -> list[pd.Series]:
    """The columns of a CSV table as Excel would type them after opening and saving."""
    columns = []
    for name in frame.columns:
        text = frame[name]
        column_kind = SPEC_BY_KIND[kind].column(name).kind
        filled = text != ""
        if column_kind == "date":
            values = pd.to_datetime(text.where(filled), format="%Y-%m-%d").dt.date
        elif column_kind in ("int", "decimal", "bsn"):
            values = pd.to_numeric(normalise_decimal_text(text).where(filled))
        else:
            values = text
        columns.append(values.astype(object).where(filled, None))
    return columns


def write_xlsx_copy(source: Path, target: Path) -> None:
    """Every CSV in ``source`` as an XLSX workbook (one sheet, typed cells) in ``target``."""
    target.mkdir()
    for path in sorted(source.glob("*.csv")):
        raw, errors = read_file(path, path.stem)
        assert raw is not None and not errors, errors
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Gegevens")
        frame = raw.frame
        sheet.append(list(frame.columns))
        for row in zip(*_typed(raw.kind, frame), strict=True):
            sheet.append([v.item() if hasattr(v, "item") else v for v in row])
        book.save(target / f"{path.stem}.xlsx")


def compare_xlsx(console: Console, folder: Path, tmp: Path, rows: int) -> None:
    """Dry runs of the CSV folder and its XLSX copy: reading and checking time, and the ratio."""
    xlsx = tmp / "xlsx"
    t0 = time.perf_counter()
    write_xlsx_copy(folder, xlsx)
    written = time.perf_counter() - t0
    size_mb = sum(p.stat().st_size for p in xlsx.iterdir()) / 1024 / 1024
    table = Table(title=f"XLSX naast CSV: {rows:,} rijen, dry-run (lezen en controleren)")
    for column in ("formaat", "MB", "lezen", "controleren", "totaal", "x CSV"):
        table.add_column(column, justify="right")
    totals: dict[str, float] = {}
    for label, path in (("CSV", folder), ("XLSX", xlsx)):
        url = f"sqlite:///{tmp / f'compare-{label}.db'}"
        engine = make_engine(url)
        upgrade(engine)
        t0 = time.perf_counter()
        report = import_folder(engine, path, dry_run=True, max_file_mb=400)
        totals[label] = time.perf_counter() - t0
        engine.dispose()
        mb = sum(p.stat().st_size for p in path.iterdir()) / 1024 / 1024
        table.add_row(
            label,
            f"{mb:.1f}",
            f"{report.seconds.get('lezen', 0.0):.2f}",
            f"{report.seconds.get('controleren', 0.0):.2f}",
            f"{totals[label]:.2f}",
            f"{totals[label] / totals['CSV']:.1f}",
        )
    console.print(table)
    console.print(f"XLSX-map schrijven (openpyxl) {written:.1f} s, {size_mb:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="empty database URL (default: temp SQLite)")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX comparison")
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
        if not args.no_xlsx:
            compare_xlsx(console, folder, Path(tmp), rows)


if __name__ == "__main__":
    main()
