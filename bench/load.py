"""Load benchmark: many colleagues at once against the production serve command.

    python -m bench.load --scale denhaag --db sqlite --users 25 50 --minutes 5 [--workers N]
                         [--keep DIR] [--seed 1]

Builds the demo municipality (or reuses the one in ``--keep DIR``) on SQLite or on a fresh
PostgreSQL database, starts ``werkpad serve --workers N --log-format json`` on a loopback port
and runs locust headless in a child process (``bench/locustfile.py``: caseload, search,
candidate files, dashboard, contacts and intakes written through the forms, vacancies) for the
given minutes per user count. Prints per page p50/p95/p99, requests, failures and the ratio to
the ``/login`` page measured in the same run, with the server's RSS (all worker processes), the
CPU share of the server and of the load generator (they share the machine) and the machine's
load. It measures and prints; it never passes or fails (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from bench.serving import (
    LocustRun,
    ProductionServer,
    build_municipality,
    create_postgres_database,
    drop_postgres_database,
    run_locust,
    write_logins,
)

console = Console(width=None if sys.stdout.isatty() else 120)
BASELINE = "/login"
# The page order of the table, and the p95 targets (ms) where it states one.
PAGES = (
    BASELINE,
    "login (POST)",
    "caseload",
    "caseload search",
    "candidate file",
    "dashboard",
    "intake form",
    "contact (write)",
    "intake (write)",
    "vacancies",
    "vacancy",
)
TARGET_P95_MS = {"candidate file": 100, "caseload": 200, "dashboard": 300}
LOGINS_FILE = "logins.csv"
DATABASE_URL_FILE = "database-url.txt"


@dataclass(frozen=True)
class Municipality:
    database_url: str
    logins_file: Path
    built_seconds: float | None  # None: reused from --keep
    dropped_after: bool


def prepare(workdir: Path, backend: str, scale: str, seed: int, keep: bool) -> Municipality:
    """The demo municipality in ``workdir``: reused when a kept one is there, else built."""
    logins_file = workdir / LOGINS_FILE
    url_file = workdir / DATABASE_URL_FILE
    if keep and logins_file.exists() and url_file.exists():
        url = url_file.read_text(encoding="utf-8").strip()
        if url.startswith("sqlite") == (backend == "sqlite"):
            console.print(f"Reusing the municipality in {workdir} ({url.split('/')[-1]})")
            return Municipality(url, logins_file, None, dropped_after=False)
    if backend == "sqlite":
        for old in workdir.glob("werkpad.db*"):
            old.unlink()
        url = f"sqlite:///{workdir / 'werkpad.db'}"
    else:
        url = create_postgres_database(f"werkpad_load_{scale}_{os.getpid()}")
    console.print(f"Building the {scale} municipality (seed {seed}) on {backend} ...")
    started = time.perf_counter()
    write_logins(logins_file, build_municipality(url, scale=scale, seed=seed))
    url_file.write_text(url + "\n", encoding="utf-8")
    return Municipality(
        url,
        logins_file,
        time.perf_counter() - started,
        dropped_after=backend == "postgres" and not keep,
    )


class ServerSampler:
    """Peak RSS (summed over supervisor and workers) and CPU seconds of the server."""

    def __init__(self, server: ProductionServer) -> None:
        self.server = server
        self.peak_rss = 0
        self._cpu: dict[int, float] = {}
        self._start_cpu = self._cpu_total()

    def _cpu_total(self) -> float:
        for process in self.server.processes():
            with suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                self._cpu[process.pid] = times.user + times.system
        return sum(self._cpu.values())

    def tick(self) -> None:
        self.peak_rss = max(self.peak_rss, self.server.rss_bytes())
        self._cpu_total()

    def cpu_seconds(self) -> float:
        return self._cpu_total() - self._start_cpu


def _ms(row: dict[str, str], column: str) -> float | None:
    value = row.get(column, "N/A")
    return None if value in ("", "N/A") else float(value)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def result_table(run: LocustRun, title: str) -> Table:
    rows = {row["Name"]: row for row in run.rows() if row["Name"] != "Aggregated"}
    baseline = _ms(rows.get(BASELINE, {}), "95%")
    table = Table(title=title)
    table.add_column("page", no_wrap=True)
    for column in ("requests", "failures", "p50 ms", "p95 ms", "p99 ms", "p95/login", "target"):
        table.add_column(column, justify="right")
    names = [n for n in PAGES if n in rows] + sorted(set(rows) - set(PAGES))
    for name in names:
        row = rows[name]
        p95 = _ms(row, "95%")
        ratio = f"{p95 / baseline:.1f}x" if p95 is not None and baseline else "–"
        target = TARGET_P95_MS.get(name)
        table.add_row(
            name,
            row["Request Count"],
            row["Failure Count"],
            _fmt(_ms(row, "50%")),
            _fmt(p95),
            _fmt(_ms(row, "99%")),
            ratio,
            f"< {target}" if target else "",
        )
    total = run.total()
    table.add_row(
        "all requests",
        total["Request Count"],
        total["Failure Count"],
        _fmt(_ms(total, "50%")),
        _fmt(_ms(total, "95%")),
        _fmt(_ms(total, "99%")),
        "",
        "",
        style="bold",
    )
    return table


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine_line() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"werkpad {_commit()} · Python {sys.version.split()[0]} · {os.cpu_count()} cores · "
        f"load average {load}"
    )


def print_run(run: LocustRun, sampler: ServerSampler, args: argparse.Namespace, users: int) -> None:
    cores = os.cpu_count() or 1
    title = (
        f"{users} users, {run.wall_seconds:.0f} s, {args.db}, scale {args.scale}, "
        f"{sampler.server.workers} workers"
    )
    console.print(result_table(run, title))
    machine = run.wall_seconds * cores
    console.print(
        f"server RSS peak {sampler.peak_rss / 2**20:,.0f} MiB (supervisor + "
        f"{sampler.server.workers} workers) · server CPU "
        f"{100 * sampler.cpu_seconds() / machine:.0f}% of the machine · load generator CPU "
        f"{100 * run.cpu_seconds / machine:.0f}% of the machine "
        f"({100 * run.cpu_seconds / run.wall_seconds:.0f}% of one core) · {machine_line()}"
    )
    failures = run.failures()
    for failure in failures[:10]:
        console.print(
            f"[red]failed[/red] {failure['Method']} {failure['Name']}: {failure['Error']} "
            f"x{failure['Occurrences']}"
        )
    if run.returncode != 0:
        console.print(f"[red]locust exited with {run.returncode}[/red]\n{run.log[-3000:]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", default="denhaag", help="small | denhaag (default denhaag)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--users", type=int, nargs="+", default=[25], help="concurrent users; several: one run each"
    )
    parser.add_argument("--minutes", type=float, default=5.0, help="per user count (default 5)")
    parser.add_argument("--workers", type=int, help="server workers (default: serve's default)")
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this directory")
    args = parser.parse_args(argv)

    from werkpad.cli import default_workers

    workers = args.workers or default_workers()
    console.print(machine_line())
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="werkpad-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    municipality = prepare(workdir, args.db, args.scale, args.seed, keep=args.keep is not None)
    if municipality.built_seconds is not None:
        console.print(f"Built in {municipality.built_seconds:.0f} s.")
    try:
        server = ProductionServer(municipality.database_url, workdir, workers).start()
        try:
            for users in args.users:
                sampler = ServerSampler(server)
                console.print(f"Running {users} users for {args.minutes:g} min ...")
                run = run_locust(
                    server.base_url,
                    municipality.logins_file,
                    workdir,
                    users=users,
                    seconds=max(5, round(args.minutes * 60)),
                    on_tick=sampler.tick,
                )
                print_run(run, sampler, args, users)
        finally:
            server.stop()
    finally:
        if municipality.dropped_after:
            drop_postgres_database(municipality.database_url)
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
