"""Benchmark: the council report's effects chapter at Den Haag scale, against a baseline in
the same run, plus a coverage study of the chapter's interval.

    .venv/bin/python bench/effects_chapter_bench.py [--db URL] [--baseline-ref main]
        [--coverage-seeds 200] [--coverage-n 3000]

Without ``--db`` it first builds the synthetic Den Haag municipality (seed 7) into a
temporary SQLite file. The chapter (``reports.effects_chapter.effect_summaries``) then runs in
a child process per code version: this working tree, and the ``--baseline-ref`` commit
(extracted with ``git archive`` into a temporary folder; ``--baseline-ref ''`` skips it). Each
child loads the snapshot, then times the chapter alone: wall-clock and CPU seconds and peak
RSS. Machine load (1-minute load average) is printed before and after, because the shared
development machine is often busy: the CPU seconds and the ratio within one run are the
figures to compare. The coverage study repeats the chapter's estimator (risk-set matching,
50 replicates, normal interval) on planted panels (``simulate_panel``) and counts how often
the 95% interval covers the planted effect. Prints tables; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time
from werkpad.reports.effects_chapter import effect_summaries
from werkpad.services.figures import Figures
from werkpad.store.db import make_engine
from werkpad.synth import REFERENCE_DATE
snap = Figures(make_engine(sys.argv[1])).current().snapshot(REFERENCE_DATE)
wall, cpu = time.perf_counter(), time.process_time()
summaries = effect_summaries(snap)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rows = [[s.label, s.participants, s.effect_pp, s.ci_low_pp, s.ci_high_pp] for s in summaries]
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak, "rows": rows}))
"""


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def _chapter(src: Path, url: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _baseline_src(ref: str, folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "src"


def coverage(seeds: int, n: int) -> tuple[float, float, int]:
    """Share of 95% intervals covering the planted effect, mean width, and runs."""
    from werkpad.analytics.effects.simulate import simulate_panel
    from werkpad.analytics.effects.staggered import estimate_staggered_effect

    hits, widths = 0, []
    for seed in range(seeds):
        planted = simulate_panel(n, hazard_effect=0.02, months=36, seed=seed)
        est = estimate_staggered_effect(
            planted.panel,
            person="person_id",
            month="month",
            start_month="start_month",
            covariates=list(planted.covariates),
            outcome=planted.outcome,
            n_bootstrap=50,
            seed=seed,
            interval="normal",
        )
        hits += est.interval_contains(planted.true_att)
        widths.append(est.ci_high - est.ci_low)
    return hits / max(seeds, 1), sum(widths) / max(len(widths), 1), seeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--baseline-ref", default="main")
    parser.add_argument("--coverage-seeds", type=int, default=200)
    parser.add_argument("--coverage-n", type=int, default=3000)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if url is None:
            from werkpad.store.db import make_engine, upgrade
            from werkpad.synth import run_synth

            url = f"sqlite:///{Path(tmp) / 'denhaag.db'}"
            console.print("Synthetische gemeente (denhaag, seed 7) bouwen ...")
            engine = make_engine(url)
            upgrade(engine)
            run_synth(engine, scale="denhaag", seed=7, replace=False)
        load_before = _load()
        versions = [("deze versie", ROOT / "src")]
        if args.baseline_ref:
            base = Path(tmp) / "baseline"
            base.mkdir()
            versions.append((f"basis {args.baseline_ref}", _baseline_src(args.baseline_ref, base)))
        results = {name: _chapter(src, url) for name, src in versions}
        load_after = _load()
    table = Table(title="Effecthoofdstuk raadsrapportage (Den Haag-schaal)")
    for column in ("versie", "wand s", "CPU s", "piek MB", "CPU t.o.v. basis"):
        table.add_column(column, justify="left" if column == "versie" else "right")
    reference = results.get(versions[-1][0])
    for name, r in results.items():
        ratio = f"{r['cpu'] / reference['cpu']:.2f}x" if reference else "-"
        table.add_row(name, f"{r['wall']:.1f}", f"{r['cpu']:.1f}", f"{r['peak_mb']:.0f}", ratio)
    console.print(table)
    console.print(f"Belasting (load average) voor: {load_before}; na: {load_after}")
    for name, r in results.items():
        estimates = Table(title=f"Schattingen: {name}")
        for column in ("ondersteuning", "deelnemers", "effect pp", "interval"):
            estimates.add_column(column)
        for label, n, effect, low, high in r["rows"]:
            shown = "-" if effect is None else f"{effect:+.1f}"
            interval = "-" if low is None else f"{low:+.1f} tot {high:+.1f}"
            estimates.add_row(label, str(n), shown, interval)
        console.print(estimates)
    if args.coverage_seeds:
        share, width, runs = coverage(args.coverage_seeds, args.coverage_n)
        console.print(
            f"Dekking 95%-interval (matching, 50 replicaties, normaal interval): {share:.3f} "
            f"over {runs} herhalingen van n = {args.coverage_n}; gemiddelde breedte {width:.4f}"
        )


if __name__ == "__main__":
    main()
