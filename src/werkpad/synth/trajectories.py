"""Routes, their end reasons and job exits, and the benefit spells around them.

First routes are generated backwards: whether and when a route ended is drawn first (88% by the
end of 2020), then its duration (gamma: >85% longer than 3 months, about a third 18 months
or longer), so the start follows. The end reason depends on the benefit duration before the
route started (dropout 24% under 6 months, 39% over 2 years). Job exits get a job type drawn
from the year's mix in Tabel 3, and some exits return to benefit within 12 months (draaideur):
29% of all exits, 18% of regular full-time ones. Second routes start after a return or a
dropout, and are generated forwards until the reference date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from werkpad.synth.calibration import (
    BENEFIT_BAND_DAYS,
    BENEFIT_BAND_SHARES,
    DROPOUT_BY_BAND,
    DURABLE_SHARE_ALL,
    DURABLE_SHARE_TYPE_6,
    END_REASON_SHARES,
    JOB_EXITS_BY_YEAR,
    PERIOD_END,
    PERIOD_START,
    REFERENCE_DATE,
)
from werkpad.synth.frames import choice, day, or_none, year_of

# Ours: tuning of the route timeline (checked by tests against the calibration targets).
TUNING_ROUTED_SHARE = 0.95
TUNING_FIRST_ENDED_BY_2020 = 0.925
TUNING_FIRST_ENDED_2021 = 0.04
# Gamma route durations in days: 11% up to 3 months, 34.5% 18 months or longer, 9% over 3 years.
TUNING_DURATION_SHAPE = 1.342
TUNING_DURATION_SCALE = 371.9
MAX_ROUTE_DAYS = 5 * 365
TUNING_END_YEAR_WEIGHTS = (0.36, 0.34, 0.30)

REF = day(REFERENCE_DATE)
P_START = day(PERIOD_START)
P_END = day(PERIOD_END)
_OTHER_REASONS = [r for r in END_REASON_SHARES if r != "STOPPED"]
_OTHER_SHARES = np.array([END_REASON_SHARES[r] for r in _OTHER_REASONS])
# The return share of non-regular-full-time exits that makes 71% durable overall when job
# type 6 (about 58% of exits) is 82% durable.
_TYPE6_SHARE = sum(JOB_EXITS_BY_YEAR[y]["6"] for y in (2018, 2019, 2020)) / sum(
    sum(JOB_EXITS_BY_YEAR[y].values()) for y in (2018, 2019, 2020)
)
RETURN_SHARE_TYPE_6 = 1 - DURABLE_SHARE_TYPE_6
RETURN_SHARE_OTHER = ((1 - DURABLE_SHARE_ALL) - _TYPE6_SHARE * RETURN_SHARE_TYPE_6) / (
    1 - _TYPE6_SHARE
)
SPELL_END_FOR_ROUTE = {
    "JOB": "WORK",
    "SELF_EMPLOYED": "SELF_EMPLOYED",
    "DAY_EDUCATION": "EDUCATION",
    "BENEFIT_REJECTED": "OTHER",
    "WIJKBANEN_NUO": "OTHER",
}


@dataclass(frozen=True)
class Trajectories:
    """``routes``: one row per route (candidate index, dates, end reason, job type, spell).

    ``spells``: one row per benefit spell (candidate index, start, end, end reason, kind).
    Day numbers; NaN for open ends. Candidate indexes are 0-based positions.
    """

    routes: pd.DataFrame
    spells: pd.DataFrame


def route_durations(rng: np.random.Generator, n: int) -> np.ndarray:
    days = rng.gamma(TUNING_DURATION_SHAPE, TUNING_DURATION_SCALE, n)
    # The rare routes beyond five years are spread over years three to five instead.
    days = np.where(days > MAX_ROUTE_DAYS, rng.uniform(3 * 365, MAX_ROUTE_DAYS, n), days)
    return np.clip(np.rint(days), 21, MAX_ROUTE_DAYS).astype("int64")


def end_reasons(rng: np.random.Generator, band: np.ndarray) -> np.ndarray:
    """Dropout by benefit-duration band; the other reasons keep Tabel 2's proportions."""
    stopped = rng.random(len(band)) < np.asarray(DROPOUT_BY_BAND)[band]
    # Scale the non-dropout reasons so all reasons together match Tabel 2 on average.
    other = choice(rng, _OTHER_REASONS, _OTHER_SHARES, len(band))
    return np.where(stopped, "STOPPED", other)


def job_types(rng: np.random.Generator, end_days: np.ndarray) -> np.ndarray:
    """Job type per exit, from Tabel 3's mix in the exit's year (2021 mix for later years)."""
    years = np.clip(year_of(end_days), 2018, 2021)
    out = np.empty(len(end_days), dtype=object)
    for year, mix in JOB_EXITS_BY_YEAR.items():
        idx = np.flatnonzero(years == year)
        out[idx] = choice(rng, list(mix), list(mix.values()), len(idx))
    return out


def return_days(rng: np.random.Generator, exit_days: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Day of a new benefit spell within 12 months of a job exit, NaN when durable or future."""
    share = np.where(types == "6", RETURN_SHARE_TYPE_6, RETURN_SHARE_OTHER)
    returns = rng.random(len(exit_days)) < share
    day_ = exit_days + rng.integers(30, 366, len(exit_days))
    return np.where(returns & (day_ <= REF), day_, np.nan)


def _end_days(rng: np.random.Generator, n: int) -> np.ndarray:
    years = rng.choice(3, size=n, p=np.asarray(TUNING_END_YEAR_WEIGHTS))
    starts = np.array([day(PERIOD_START.replace(year=2018 + y)) for y in range(3)])
    return starts[years] + rng.integers(0, 365, n)


def _band_of(benefit_days: np.ndarray) -> np.ndarray:
    return np.searchsorted([183, 366, 731], benefit_days, side="right")


def _first_routes(rng: np.random.Generator, candidates: np.ndarray) -> pd.DataFrame:
    n = len(candidates)
    band = rng.choice(4, size=n, p=np.asarray(BENEFIT_BAND_SHARES))
    lows = np.array([b[0] for b in BENEFIT_BAND_DAYS])[band]
    highs = np.array([b[1] for b in BENEFIT_BAND_DAYS])[band]
    long_tail = 731 + np.minimum(rng.exponential(900, n), 2900)
    benefit_days = np.where(band == 3, long_tail, lows + rng.random(n) * (highs - lows)).astype(int)
    status = rng.choice(
        3,
        size=n,
        p=[
            TUNING_FIRST_ENDED_BY_2020,
            TUNING_FIRST_ENDED_2021,
            1 - TUNING_FIRST_ENDED_BY_2020 - TUNING_FIRST_ENDED_2021,
        ],
    )
    end = np.where(status == 0, _end_days(rng, n), P_END + 1 + rng.integers(0, REF - P_END, n))
    duration = route_durations(rng, n)
    duration = np.where(
        status == 1, np.maximum(duration, end - P_END + rng.integers(7, 90, n)), duration
    )
    start = end - duration
    open_start = P_START + np.rint((P_END - P_START) * np.sqrt(rng.random(n))).astype(int)
    start = np.where(status == 2, open_start, start)
    reason = or_none(status == 2, end_reasons(rng, band))
    rejected = reason == "BENEFIT_REJECTED"
    benefit_days = np.where(rejected, rng.integers(14, 120, n), benefit_days)
    return pd.DataFrame(
        {
            "candidate": candidates,
            "start": start,
            "end": np.where(status == 2, np.nan, end.astype(float)),
            "end_reason": reason,
            "band": _band_of(benefit_days),
            "benefit_days": benefit_days,
            "route_no": 1,
        }
    )


def _second_routes(rng: np.random.Generator, first: pd.DataFrame, n_wanted: int) -> pd.DataFrame:
    """Routes after a return to benefit or after dropout, forwards until the reference date."""
    returned = first["return_day"].notna().to_numpy()
    stopped = (first["end_reason"] == "STOPPED").to_numpy()
    after = np.where(returned, first["return_day"], first["end"]).astype(float)
    start = after + rng.integers(30, 240, len(first))
    eligible = np.flatnonzero((returned | stopped) & (start <= P_END))
    chosen = np.sort(rng.permutation(eligible)[: max(0, n_wanted)])
    src = first.iloc[chosen]
    n = len(chosen)
    start_c = start[chosen].astype(int)
    spell_start = np.where(returned[chosen], src["return_day"], src["start"] - src["benefit_days"])
    benefit_days = (start_c - spell_start).astype(int)
    band = _band_of(benefit_days)
    end = start_c + route_durations(rng, n)
    reason = end_reasons(rng, band)
    reason = np.where(np.isin(reason, ["BENEFIT_REJECTED", "WIJKBANEN_NUO"]), "STOPPED", reason)
    is_open = end > REF
    return pd.DataFrame(
        {
            "candidate": src["candidate"].to_numpy(),
            "start": start_c,
            "end": np.where(is_open, np.nan, end.astype(float)),
            "end_reason": or_none(is_open, reason),
            "band": band,
            "benefit_days": benefit_days,
            "route_no": 2,
            "after_return": returned[chosen],
        }
    )


def _with_jobs(rng: np.random.Generator, routes: pd.DataFrame) -> pd.DataFrame:
    routes = routes.copy()
    job = (routes["end_reason"] == "JOB").to_numpy()
    types = np.full(len(routes), None, dtype=object)
    types[job] = job_types(rng, routes["end"].to_numpy()[job])
    routes["job_type"] = types
    ret = np.full(len(routes), np.nan)
    ret[job] = return_days(rng, routes["end"].to_numpy()[job], types[job])
    routes["return_day"] = ret
    return routes


def build_trajectories(rng: np.random.Generator, n_candidates: int, n_routes: int) -> Trajectories:
    routed = np.sort(rng.permutation(n_candidates)[: round(n_candidates * TUNING_ROUTED_SHARE)])
    first = _with_jobs(rng, _first_routes(rng, routed))
    second = _with_jobs(rng, _second_routes(rng, first, n_routes - len(first)))
    first["after_return"] = False
    spells = _spells(rng, n_candidates, first, second)
    routes = pd.concat([first, second], ignore_index=True)
    routes = routes.sort_values(["start", "candidate"], kind="stable").reset_index(drop=True)
    return Trajectories(routes=routes, spells=spells)


def _spells(
    rng: np.random.Generator, n_candidates: int, first: pd.DataFrame, second: pd.DataFrame
) -> pd.DataFrame:
    """Benefit spells: one per candidate, plus one per return to benefit.

    Sets ``spell`` on both route frames (the spell each route belongs to).
    """
    spell_start = P_START - rng.integers(30, 6 * 365, n_candidates)
    spell_start = spell_start.astype(float)
    cand_first = first["candidate"].to_numpy()
    spell_start[cand_first] = (first["start"] - first["benefit_days"]).to_numpy()
    reason_first = np.full(n_candidates, None, dtype=object)
    reason_first[cand_first] = first["end_reason"].to_numpy()
    nuo = np.isin(reason_first, ["BENEFIT_REJECTED", "WIJKBANEN_NUO"]) | (
        rng.random(n_candidates) < 0.03
    )
    benefit_type = np.where(
        nuo, "NUO", choice(rng, ["PW", "IOAW", "IOAZ"], [0.94, 0.05, 0.01], n_candidates)
    )
    base = pd.DataFrame(
        {
            "candidate": np.arange(n_candidates),
            "start": spell_start,
            "benefit_type": benefit_type,
            "kind": "FIRST",
        }
    )
    returned = first[first["return_day"].notna()]
    extra = pd.DataFrame(
        {
            "candidate": returned["candidate"].to_numpy(),
            "start": returned["return_day"].to_numpy(),
            "benefit_type": "PW",
            "kind": "RETURN",
        }
    )
    returned2 = second[second["return_day"].notna()]
    extra2 = pd.DataFrame(
        {
            "candidate": returned2["candidate"].to_numpy(),
            "start": returned2["return_day"].to_numpy(),
            "benefit_type": "PW",
            "kind": "RETURN2",
        }
    )
    spells = pd.concat([base, extra, extra2], ignore_index=True)
    first["spell"] = first["candidate"].to_numpy()
    return_spell = pd.Series(
        np.arange(n_candidates, n_candidates + len(extra)), index=extra["candidate"].to_numpy()
    )
    second["spell"] = np.where(
        second["after_return"],
        return_spell.reindex(second["candidate"]).fillna(-1).to_numpy().astype(int),
        second["candidate"].to_numpy(),
    )
    n = len(spells)
    end = np.full(n, np.nan)
    end_reason = np.full(n, None, dtype=object)
    blocked = np.zeros(n, dtype=bool)  # a spell with an open route stays open
    last_event = spells["start"].to_numpy().copy()
    for routes in (first, second):
        sp = routes["spell"].to_numpy()
        r_end = routes["end"].to_numpy()
        reason = routes["end_reason"].to_numpy()
        open_ = np.isnan(r_end)
        blocked[sp[open_]] = True
        last_event[sp[~open_]] = np.maximum(last_event[sp[~open_]], r_end[~open_])
        ends = ~open_ & (reason != "STOPPED")
        end[sp[ends]] = r_end[ends]
        mapped = np.array([SPELL_END_FOR_ROUTE.get(r) for r in reason[ends]], dtype=object)
        moved = choice(rng, ["MOVED", "DETENTION", "OTHER"], [0.6, 0.25, 0.15], int(ends.sum()))
        end_reason[sp[ends]] = np.where(pd.isna(mapped), moved, mapped)
    # A spell whose last route ended by dropout (or without route) may end for other reasons.
    free = np.isnan(end) & ~blocked
    later = last_event + rng.integers(30, 500, n)
    closes = free & (rng.random(n) < 0.35) & (later <= REF)
    end[closes] = later[closes]
    end_reason[closes] = choice(
        rng,
        ["INCOME_PARTNER", "OTHER_BENEFIT", "ENFORCEMENT", "OTHER", "MOVED", "DEATH"],
        [0.3, 0.3, 0.1, 0.2, 0.08, 0.02],
        int(closes.sum()),
    )
    spells["end"] = end
    spells["end_reason"] = end_reason
    return spells
