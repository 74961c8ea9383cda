"""Benchmark: werkpad's propensity-score matching against DoWhy's, side by side in one run.

    .venv/bin/python bench/effects_bench.py [--n 100000] [--seed 7] [--effect 0.08]
        [--agreement-seeds 5]

Both get the same synthetic table (``werkpad.analytics.effects.simulate``) with a planted
effect on the treated and planted selection on observables. DoWhy is a development-only
dependency (``pip install -e .[dev]``). Prints a table with seconds, point estimates,
intervals, whether each interval covers the planted effect, and the speed ratio.
"""

from __future__ import annotations

import argparse
import logging
import time
import warnings

from rich.console import Console
from rich.table import Table

from werkpad.analytics.effects import estimate_effect
from werkpad.analytics.effects.simulate import simulate_flat


def run_dowhy(frame, treatment: str, outcome: str, covariates: list[str], n_sim: int) -> dict:
    from dowhy import CausalModel

    logging.getLogger("dowhy").setLevel(logging.ERROR)
    data = frame[[treatment, outcome, *covariates]].copy()
    data[treatment] = data[treatment].astype(bool)
    t0 = time.perf_counter()
    model = CausalModel(data=data, treatment=treatment, outcome=outcome, common_causes=covariates)
    estimand = model.identify_effect(proceed_when_unidentifiable=True)
    estimate = model.estimate_effect(
        estimand, method_name="backdoor.propensity_score_matching", target_units="att"
    )
    point_seconds = time.perf_counter() - t0
    low = high = float("nan")
    if n_sim:
        low, high = estimate.get_confidence_intervals(
            confidence_level=0.95, method="bootstrap", num_simulations=n_sim
        )
    total_seconds = time.perf_counter() - t0
    return {
        "effect": float(estimate.value),
        "low": float(low),
        "high": float(high),
        "point_seconds": point_seconds,
        "total_seconds": total_seconds,
    }


def run_werkpad(frame, treatment: str, outcome: str, covariates: list[str], n_boot: int, seed: int):
    t0 = time.perf_counter()
    estimate_effect(frame, treatment, outcome, covariates, n_bootstrap=0, seed=seed)
    point_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    est = estimate_effect(frame, treatment, outcome, covariates, n_bootstrap=n_boot, seed=seed)
    total_seconds = time.perf_counter() - t0
    return point_seconds, est, total_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--effect", type=float, default=0.08)
    parser.add_argument("--dowhy-simulations", type=int, default=100)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument(
        "--agreement-seeds",
        type=int,
        default=0,
        help="also compare point estimates only on this many further seeds",
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    console = Console()

    data = simulate_flat(args.n, effect=args.effect, seed=args.seed)
    covariates = list(data.covariates)
    frame = data.frame
    naive = frame.loc[frame.treated == 1, data.outcome].mean()
    naive -= frame.loc[frame.treated == 0, data.outcome].mean()

    console.print(f"{args.n:,} rows, planted effect {args.effect}, naive difference {naive:.4f}")
    dw = run_dowhy(frame, data.treatment, data.outcome, covariates, args.dowhy_simulations)
    wp_point_s, wp, wp_total_s = run_werkpad(
        frame, data.treatment, data.outcome, covariates, args.bootstrap, args.seed
    )

    table = Table(title="Propensity-score matching, ATT (work exit within 12 months)")
    for col in ["", "point s", "point+CI s", "effect", "95% interval", "covers planted"]:
        table.add_column(col, justify="right")
    table.add_row(
        f"DoWhy ({args.dowhy_simulations} sims)",
        f"{dw['point_seconds']:.2f}",
        f"{dw['total_seconds']:.2f}",
        f"{dw['effect']:.4f}",
        f"[{dw['low']:.4f}, {dw['high']:.4f}]",
        "yes" if dw["low"] <= args.effect <= dw["high"] else "no",
    )
    table.add_row(
        f"werkpad ({args.bootstrap} reps)",
        f"{wp_point_s:.2f}",
        f"{wp_total_s:.2f}",
        f"{wp.effect:.4f}",
        f"[{wp.ci_low:.4f}, {wp.ci_high:.4f}]",
        "yes" if wp.interval_contains(args.effect) else "no",
    )
    console.print(table)
    rel = abs(wp.effect - dw["effect"]) / abs(dw["effect"])
    console.print(
        f"point estimates differ by {rel:.2%} of DoWhy's (target: within 2%), "
        f"= {abs(wp.effect - dw['effect']) / wp.standard_error:.2f} bootstrap standard errors"
    )
    console.print(
        f"speed-up estimate+interval: {dw['total_seconds'] / wp_total_s:.1f}x (target 3x)"
    )
    console.print(f"largest |SMD| after matching: {wp.max_abs_smd_after:.3f}")
    balance = Table(title="werkpad balance table (standardised mean differences)")
    for col in ["covariate", "SMD before", "SMD after", "variance ratio after"]:
        balance.add_column(col, justify="right")
    for name, row in wp.balance.iterrows():
        balance.add_row(
            str(name),
            f"{row['smd_before']:.3f}",
            f"{row['smd_after']:.3f}",
            f"{row['variance_ratio_after']:.2f}",
        )
    console.print(balance)
    if args.agreement_seeds:
        agreement(console, args)


def agreement(console: Console, args: argparse.Namespace) -> None:
    """Point estimates on further seeds: how far apart are the two matchings typically?"""
    table = Table(title="Point estimates on further seeds (no intervals)")
    for col in ["seed", "DoWhy", "werkpad", "difference %", "werkpad SE", "|diff| / SE"]:
        table.add_column(col, justify="right")
    for seed in range(args.seed + 1, args.seed + 1 + args.agreement_seeds):
        data = simulate_flat(args.n, effect=args.effect, seed=seed)
        covariates = list(data.covariates)
        dw = run_dowhy(data.frame, data.treatment, data.outcome, covariates, 0)
        wp = estimate_effect(
            data.frame, data.treatment, data.outcome, covariates, n_bootstrap=50, seed=seed
        )
        diff = abs(wp.effect - dw["effect"])
        table.add_row(
            str(seed),
            f"{dw['effect']:.4f}",
            f"{wp.effect:.4f}",
            f"{diff / abs(dw['effect']):.2%}",
            f"{wp.standard_error:.4f}",
            f"{diff / wp.standard_error:.2f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
