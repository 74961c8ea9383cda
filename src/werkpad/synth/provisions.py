"""Provisions within routes: which GOS codes a route uses, and the dated provisions.

The set of GOS codes per route is drawn from a Gaussian copula whose marginals and pairwise
correlations reproduce denhaag_gos_cooccurrence.csv; sets with "Borgen plaatsing" (PS7) and
matching (PS5) go to routes that ended in a job. Basic provisions follow the phase order
(PS, PS1 ... PS7) with waiting gaps between them; supporting (flankerende) provisions run
alongside a basic provision of the same code.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.stats import multivariate_normal, norm

from werkpad.synth.calibration import GOS_CODES, GOS_COOCCURRENCE, TUNING_PS5_SHARE
from werkpad.synth.trajectories import REF

_PS5 = GOS_CODES.index("PS5")


@lru_cache(maxsize=1)
def gos_model() -> tuple[np.ndarray, np.ndarray]:
    """Marginal share of routes per GOS code and the latent correlation matrix."""
    cooc = np.array([GOS_COOCCURRENCE[c] for c in GOS_CODES], dtype=float) / 100
    # P(c) / P(PS5) = P(c | PS5) / P(PS5 | c)
    marg = TUNING_PS5_SHARE * cooc[_PS5] / cooc[:, _PS5]
    k = len(GOS_CODES)
    z = norm.ppf(marg)
    corr = np.eye(k)
    for i in range(k):
        for j in range(i + 1, k):
            joint = (cooc[i, j] * marg[i] + cooc[j, i] * marg[j]) / 2
            lo, hi = max(0.0, marg[i] + marg[j] - 1), min(marg[i], marg[j])
            joint = float(np.clip(joint, lo + 1e-4, hi - 1e-4))

            def gap(rho: float, zi: float = z[i], zj: float = z[j], target: float = joint) -> float:
                cov = [[1.0, rho], [rho, 1.0]]
                return float(multivariate_normal(mean=[0, 0], cov=cov).cdf([zi, zj])) - target

            corr[i, j] = corr[j, i] = brentq(gap, -0.95, 0.95, xtol=1e-4)
    values, vectors = np.linalg.eigh(corr)
    corr = vectors @ np.diag(np.clip(values, 1e-3, None)) @ vectors.T
    d = np.sqrt(np.diag(corr))
    return marg, corr / np.outer(d, d)


def gos_sets(rng: np.random.Generator, n: int) -> np.ndarray:
    """Boolean matrix routes x GOS codes; every route has at least one code."""
    marg, corr = gos_model()
    latent = rng.multivariate_normal(np.zeros(len(marg)), corr, size=n, method="cholesky")
    present = latent < norm.ppf(marg)
    empty = ~present.any(axis=1)
    present[np.flatnonzero(empty), rng.choice(len(marg), int(empty.sum()), p=marg / marg.sum())] = (
        True
    )
    return present


def build_provisions(
    rng: np.random.Generator,
    routes: pd.DataFrame,
    types: pd.DataFrame,
    target_total: int,
) -> pd.DataFrame:
    """Provision rows for ``routes`` (needs id, start, end, end_reason) about ``target_total``."""
    n_routes = len(routes)
    sets = gos_sets(rng, n_routes)
    # Sets with PS7 and PS5 go to routes that ended in a job.
    score = 2 * sets[:, 7] + sets[:, _PS5] + rng.random(n_routes)
    is_job = (routes["end_reason"] == "JOB").to_numpy()
    route_order = np.concatenate(
        [rng.permutation(np.flatnonzero(is_job)), rng.permutation(np.flatnonzero(~is_job))]
    )
    assigned = np.empty_like(sets)
    assigned[route_order] = sets[np.argsort(-score, kind="stable")]
    r_idx, gos_idx = np.nonzero(assigned)
    repeat = (np.isin(gos_idx, [3, 4, 5]) & (rng.random(len(r_idx)) < 0.25)) + 1
    r_idx, gos_idx = np.repeat(r_idx, repeat), np.repeat(gos_idx, repeat)
    n_basic = len(r_idx)
    lam = max(0.0, (target_total - n_basic) / n_routes)
    n_support = rng.poisson(lam, n_routes)
    s_route = np.repeat(np.arange(n_routes), n_support)
    # Supporting provisions join one of the route's basic provisions (same GOS code).
    first_basic = np.searchsorted(r_idx, np.arange(n_routes))
    basic_count = np.bincount(r_idx, minlength=n_routes)
    partner = first_basic[s_route] + (rng.random(len(s_route)) * basic_count[s_route]).astype(int)

    basic = _schedule(rng, routes, r_idx, gos_idx, types, "BASIC")
    support = _supporting(rng, routes, basic, partner, types)
    frame = pd.concat([basic, support], ignore_index=True)
    frame = frame.sort_values(["route_pos", "start_date"], kind="stable").reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _pick_types(
    rng: np.random.Generator, gos_idx: np.ndarray, types: pd.DataFrame, kind: str
) -> np.ndarray:
    """A provision type of ``kind`` per row, base names more popular than their variants."""
    out = np.zeros(len(gos_idx), dtype="int64")
    for g, code in enumerate(GOS_CODES):
        rows = np.flatnonzero(gos_idx == g)
        pool = types[(types["gos_code"] == code) & (types["kind"] == kind)]
        weights = np.where(pool["name"].str.count(" ").to_numpy() <= 2, 3.0, 1.0)
        out[rows] = rng.choice(pool["id"].to_numpy(), size=len(rows), p=weights / weights.sum())
    return out


def _schedule(
    rng: np.random.Generator,
    routes: pd.DataFrame,
    r_idx: np.ndarray,
    gos_idx: np.ndarray,
    types: pd.DataFrame,
    kind: str,
) -> pd.DataFrame:
    """Basic provisions in phase order, with waiting gaps stretched to fill the route."""
    type_id = _pick_types(rng, gos_idx, types, kind)
    weeks = types.set_index("id").loc[type_id, "typical_weeks"].to_numpy()
    n = len(r_idx)
    n_routes = len(routes)
    r_start = routes["start"].to_numpy().astype(float)
    r_end_raw = routes["end"].to_numpy().astype(float)
    r_end = np.where(np.isnan(r_end_raw), REF, r_end_raw)
    span = np.maximum(r_end - r_start, 1.0)
    dur = np.maximum(1.0, weeks * 7 * rng.lognormal(0, 0.3, n))
    gap = rng.exponential(21.0, n)
    tail = rng.exponential(30.0, n_routes)
    total = np.bincount(r_idx, weights=dur + gap, minlength=n_routes) + tail
    gaps_total = np.bincount(r_idx, weights=gap, minlength=n_routes) + tail
    squeeze = np.minimum(1.0, span / total)
    slack = np.maximum(0.0, span - total)
    dur = dur * squeeze[r_idx]
    gap = gap * squeeze[r_idx] + slack[r_idx] * gap / gaps_total[r_idx]
    step = gap + dur
    cum = np.cumsum(step)
    offset = np.concatenate(
        [[0.0], np.cumsum(np.bincount(r_idx, weights=step, minlength=n_routes))]
    )[r_idx]
    end = r_start[r_idx] + (cum - offset)
    start = np.floor(end - dur)
    end = np.minimum(np.ceil(end), r_end[r_idx])
    start = np.minimum(np.maximum(start, r_start[r_idx]), end)
    return _finish(rng, routes, r_idx, type_id, start, end, types)


def _supporting(
    rng: np.random.Generator,
    routes: pd.DataFrame,
    basic: pd.DataFrame,
    partner: np.ndarray,
    types: pd.DataFrame,
) -> pd.DataFrame:
    r_idx = basic["route_pos"].to_numpy()[partner]
    gos_code = types.set_index("id").loc[basic["provision_type_id"].to_numpy()[partner], "gos_code"]
    gos_idx = np.array([GOS_CODES.index(c) for c in gos_code], dtype="int64")
    type_id = _pick_types(rng, gos_idx, types, "SUPPORTING")
    weeks = types.set_index("id").loc[type_id, "typical_weeks"].to_numpy()
    r_end_raw = routes["end"].to_numpy().astype(float)[r_idx]
    r_end = np.where(np.isnan(r_end_raw), REF, r_end_raw)
    start = np.minimum(
        basic["start_date"].to_numpy()[partner] + rng.integers(0, 15, len(r_idx)), r_end
    )
    end = np.minimum(start + np.maximum(1, weeks * 7 * rng.lognormal(0, 0.3, len(r_idx))), r_end)
    return _finish(rng, routes, r_idx, type_id, np.floor(start), np.ceil(end), types)


def _finish(
    rng: np.random.Generator,
    routes: pd.DataFrame,
    r_idx: np.ndarray,
    type_id: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    types: pd.DataFrame,
) -> pd.DataFrame:
    n = len(r_idx)
    by_id = types.set_index("id")
    unit = by_id.loc[type_id, "unit_cost"].to_numpy()
    weeks = by_id.loc[type_id, "typical_weeks"].to_numpy()
    provider = by_id.loc[type_id, "default_provider_id"].to_numpy()
    reason = routes["end_reason"].to_numpy()[r_idx]
    route_open = routes["end"].isna().to_numpy()[r_idx]
    ongoing = route_open & (end >= REF - 14)
    result = np.where(rng.random(n) < 0.85, "COMPLETED", "STOPPED_EARLY").astype(object)
    last_in_route = end >= np.where(route_open, REF, routes["end"].to_numpy()[r_idx]) - 1
    result[last_in_route & (reason == "STOPPED")] = "STOPPED_EARLY"
    result[last_in_route & (reason == "MOVED_DETENTION_OTHER")] = "STOPPED_EXTERNAL"
    result[ongoing] = None
    factor = rng.lognormal(0, 0.2, n) * np.where(result == "STOPPED_EARLY", 0.6, 1.0)
    delay = rng.integers(0, 35, n)
    planned_start = start - delay
    return pd.DataFrame(
        {
            "route_pos": r_idx,
            "source_id": None,
            "route_id": routes["id"].to_numpy()[r_idx],
            "provision_type_id": type_id,
            "provider_id": provider,
            "planned_start": planned_start,
            "planned_end": planned_start + weeks * 7,
            "start_date": start,
            "end_date": np.where(ongoing, np.nan, end),
            "cost": np.round(unit * factor, 2),
            "result": result,
            # The synthetic provisions are all in use: running ones started, ended ones ended
            # as their result says (``provision_state_from_dates`` at REF).
            "state": np.where(
                ongoing, "STARTED", np.where(result == "COMPLETED", "COMPLETED", "STOPPED")
            ).astype(object),
        }
    )
