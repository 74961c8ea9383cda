"""Benchmark: what a figures request costs in the figures service (``services.figures``).

    .venv/bin/python bench/figures_bench.py [--db URL] [--scale small] [--requests 200]

Without ``--db`` the script builds a synthetic municipality into a temporary SQLite file
first. It times a cold load (no copy in the process), a cached request (one version query),
the first request after a write (a reload), and ten concurrent requests after a write, for
which it counts the loads (one is the design). Prints a table; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from werkpad.services import figures as figures_module
from werkpad.services.figures import Figures
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.store.models import Team
from werkpad.synth import REFERENCE_DATE, run_synth


def _write(url: str) -> None:
    """A write that changes the figures (a team's fte), so every copy is stale."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        team = session.query(Team).first()
        assert team is not None
        team.fte = (team.fte or 0) + 1  # type: ignore[assignment]
    engine.dispose()


def _timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def run(url: str, requests: int, ref: date) -> list[tuple[str, str]]:
    engine = make_engine(url)
    figures = Figures(engine)
    cold = _timed(lambda: figures.current().snapshot(ref))
    cached = [_timed(lambda: figures.current().snapshot(ref)) for _ in range(requests)]
    _write(url)
    reload_ms = _timed(lambda: figures.current().snapshot(ref))
    _write(url)
    loads: list[date] = []
    real = figures_module.load_snapshot

    def counting(bind: object, day: date) -> object:
        loads.append(day)
        return real(bind, day)  # type: ignore[arg-type]

    figures_module.load_snapshot = counting  # type: ignore[assignment]
    start = threading.Barrier(10)

    def request() -> None:
        start.wait()
        figures.current().snapshot(ref)

    threads = [threading.Thread(target=request) for _ in range(10)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    concurrent_ms = (time.perf_counter() - began) * 1000
    figures_module.load_snapshot = real
    engine.dispose()
    return [
        ("cold load (ms)", f"{cold:.0f}"),
        (f"cached request, median of {requests} (ms)", f"{statistics.median(cached):.2f}"),
        ("first request after a write (ms)", f"{reload_ms:.0f}"),
        ("10 concurrent requests after a write (ms)", f"{concurrent_ms:.0f}"),
        ("loads for those 10 requests", str(len(loads))),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if url is None:
            url = f"sqlite:///{Path(tmp) / 'figures.db'}"
            engine = make_engine(url)
            upgrade(engine)
            run_synth(engine, scale=args.scale, seed=7, replace=False)
            engine.dispose()
        rows = run(url, args.requests, REFERENCE_DATE)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>8}")


if __name__ == "__main__":
    main()
