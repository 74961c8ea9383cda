"""Benchmark: the full KPI set at Den Haag and national synth scale, against a straightforward
pandas baseline computed in the same run.

    .venv/bin/python bench/kpi_bench.py [--denhaag-db URL] [--national-db URL] [--skip-national]

Without a URL the script builds the synthetic municipality into a temporary SQLite file first
(``werkpad synth``; national scale takes several minutes). Each scale runs in its own process,
so peak RSS (ru_maxrss) is per scale. Reading the snapshot from the database is timed apart from
the KPI computation; the target (under 2 s at Den Haag scale, under 30 s and 4 GB at national
scale) is for the KPI set on the snapshot.

The baseline computes the heaviest KPIs (reach per year, GOS co-occurrence, provision waits,
12-month durability, ladder rise per provision type) the way one writes them first: groupby-apply
with Python functions per group. The script checks that both give the same numbers.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REFERENCE = "2021-06-30"


# --- the straightforward baseline ----------------------------------------------------------


def baseline_reach(routes: pd.DataFrame, provisions: pd.DataFrame) -> pd.DataFrame:
    def per_year(group: pd.DataFrame) -> pd.Series:
        return pd.Series({"candidates": len(set(group["person"])), "routes": len(group)})

    years = routes["start_date"].dt.year
    return routes.groupby(years).apply(per_year, include_groups=False)  # type: ignore[call-overload]


def baseline_cooccurrence(provisions: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    sets = provisions.groupby("route_id")["gos_code"].apply(set)
    rows = {}
    for x in codes:
        with_x = [s for s in sets if x in s]
        rows[x] = {y: 100.0 * sum(1 for s in with_x if y in s) / len(with_x) for y in codes}
    return pd.DataFrame(rows).T


def baseline_waits(provisions: pd.DataFrame) -> list[int]:
    waits: list[int] = []

    def per_route(group: pd.DataFrame) -> None:
        latest = None
        for start, end in zip(group["start_date"], group["end_date"], strict=True):
            if latest is not None and latest is not pd.NaT:
                waits.append(max(0, (start - latest).days))
            if latest is pd.NaT or pd.isna(end):
                latest = pd.NaT
            else:
                latest = end if latest is None else max(latest, end)

    provisions.sort_values(["route_id", "start_date"], kind="stable").groupby("route_id").apply(
        per_route, include_groups=False
    )  # type: ignore[call-overload]
    return waits


def baseline_durability(
    routes: pd.DataFrame, spells: pd.DataFrame, reference: pd.Timestamp, months: int = 12
) -> tuple[int, int]:
    exits = routes[routes["end_reason"].isin(["JOB", "SELF_EMPLOYED"])]
    exits = exits[exits["end_date"] <= reference - pd.DateOffset(months=months)]
    starts = spells.groupby("person")["start_date"].apply(list).to_dict()
    durable = 0
    for person, exit_date in zip(exits["person"], exits["end_date"], strict=True):
        limit = pd.Timestamp(exit_date) + pd.DateOffset(months=months)
        if not any(exit_date < s <= limit for s in starts.get(person, [])):
            durable += 1
    return len(exits), durable


def baseline_ladder(
    provisions: pd.DataFrame, routes: pd.DataFrame, assessments: pd.DataFrame
) -> dict[str, tuple[int, int]]:
    steps = assessments.dropna(subset=["ladder_step"]).sort_values("assessed_on")
    by_person = {p: g for p, g in steps.groupby("person")}
    person_of = routes.set_index("route_id")["person"].to_dict()
    seen: dict[tuple[object, object], bool] = {}
    for row in provisions.sort_values("start_date", kind="stable").itertuples():
        person = person_of[row.route_id]
        history = by_person.get(person)
        if history is None or (person, row.provision_type) in seen:
            continue
        start = pd.Timestamp(str(row.start_date))
        before = history[history["assessed_on"] <= start]
        window = history[
            (history["assessed_on"] > start)
            & (history["assessed_on"] <= start + pd.DateOffset(months=12))
        ]
        if len(before) and len(window):
            seen[(person, row.provision_type)] = (
                window["ladder_step"].iloc[-1] > before["ladder_step"].iloc[-1]
            )
    result: dict[str, tuple[int, int]] = {}
    for (_, kind), rose in seen.items():
        persons, risen = result.get(str(kind), (0, 0))
        result[str(kind)] = (persons + 1, risen + int(rose))
    return result


# --- one scale in its own process ---------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scale(url: str, with_baseline: bool, queue: mp.Queue) -> None:
    from datetime import date

    from werkpad.analytics import cooccurrence, durations, job_exits, ladder, reach
    from werkpad.analytics.kpis import KpiContext, compute_kpis
    from werkpad.domain.outcomes import work_end_reasons
    from werkpad.services.snapshot import load_snapshot
    from werkpad.store.db import make_engine

    out: dict[str, object] = {}
    engine = make_engine(url)
    started = time.perf_counter()
    snap = load_snapshot(engine, date.fromisoformat(REFERENCE))
    out["load_s"] = time.perf_counter() - started
    out["load_rss_mb"] = _rss_mb()
    out["routes"] = len(snap.routes)
    out["provisions"] = len(snap.provisions)
    ctx = KpiContext.for_snapshot(snap)
    started = time.perf_counter()
    results = compute_kpis(snap, ctx)
    out["kpi_s"] = time.perf_counter() - started
    out["kpi_rss_mb"] = _rss_mb()
    out["kpi_rows"] = len(results)

    # The same heavy subset, vectorised, timed on its own for a fair comparison.
    codes = ["PS", "PS1", "PS2", "PS3", "PS4", "PS5", "PS6", "PS7"]
    ref = pd.Timestamp(REFERENCE)
    started = time.perf_counter()
    v_reach = reach.reach(snap.routes, snap.provisions)
    v_gos = cooccurrence.gos_cooccurrence(snap.provisions, codes)
    v_waits = durations.provision_waits(snap.provisions)
    exits = job_exits.work_exits(snap.routes, work_end_reasons())
    v_dur = job_exits.durable_exit_rate(exits, snap.benefit_spells, reference_date=ref.date())
    v_ladder = ladder.ladder_rise_by_provision_type(
        ladder.ladder_moves(snap.provisions, snap.routes, snap.assessments)
    )
    out["subset_vectorised_s"] = time.perf_counter() - started
    if with_baseline:
        started = time.perf_counter()
        b_reach = baseline_reach(snap.routes, snap.provisions)
        b_gos = baseline_cooccurrence(snap.provisions, codes)
        b_waits = baseline_waits(snap.provisions)
        b_dur = baseline_durability(snap.routes, snap.benefit_spells, ref)
        b_ladder = baseline_ladder(snap.provisions, snap.routes, snap.assessments)
        out["subset_baseline_s"] = time.perf_counter() - started
        out["baseline_rss_mb"] = _rss_mb()
        same = (
            b_reach["routes"].tolist() == v_reach.loc[b_reach.index, "routes"].tolist()
            and np.allclose(b_gos.to_numpy(), v_gos[codes].to_numpy(), equal_nan=True)
            and sorted(b_waits) == sorted(v_waits["wait_days"].tolist())
            and b_dur == (int(v_dur["exits"].sum()), int(v_dur["durable"].sum()))
            and all(b_ladder[k] == tuple(v_ladder.loc[k, ["persons", "risen"]]) for k in b_ladder)
        )
        out["baseline_agrees"] = bool(same)
    queue.put(out)


def _build(scale: str, folder: Path) -> str:
    path = folder / f"{scale}.db"
    url = f"sqlite:///{path}"
    print(f"Building {scale} synth database in {path} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "werkpad.cli", "synth", "--scale", scale, "--db", url], check=True
    )
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--denhaag-db")
    parser.add_argument("--national-db")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--no-baseline-national", action="store_true",
                        help="skip the (slow) baseline at national scale")  # fmt: skip
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    scales = [("denhaag", args.denhaag_db, True)]
    if not args.skip_national:
        scales.append(("national", args.national_db, not args.no_baseline_national))
    rows = []
    context = mp.get_context("spawn")
    for scale, url, with_baseline in scales:
        url = url or _build(scale, folder)
        queue: mp.Queue = context.Queue()
        process = context.Process(target=run_scale, args=(url, with_baseline, queue))
        process.start()
        result = queue.get()
        process.join()
        rows.append({"scale": scale, **result})
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()  # fmt: skip
    print(f"\nKPI benchmark (commit {commit}, {mp.cpu_count()} CPUs, reference {REFERENCE})")
    header = (
        f"{'scale':9} {'routes':>8} {'provisions':>10} {'load s':>7} {'KPI set s':>9} "
        f"{'peak RSS MB':>11} {'subset vec s':>12} {'subset base s':>13} {'agree':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        base = row.get("subset_baseline_s")
        print(
            f"{row['scale']:9} {row['routes']:>8} {row['provisions']:>10} {row['load_s']:>7.1f} "
            f"{row['kpi_s']:>9.2f} {row['kpi_rss_mb']:>11.0f} {row['subset_vectorised_s']:>12.2f} "
            f"{'' if base is None else f'{base:.1f}':>13} {row.get('baseline_agrees', '')!s:>6}"
        )
    print("\n" + json.dumps(rows))


if __name__ == "__main__":
    main()
