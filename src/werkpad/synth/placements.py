"""Placements for job exits, their supporting instruments and the 6/12/18-month follow-ups.

One placement per route that ended in a job, claimed by the route's team. 84% flexible and 16%
permanent contracts (denhaag_reach.csv). LKS with a loonwaarde goes mainly to garantiebanen and
beschut werk. A placement of a candidate who returned to benefit ends just before the return.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from werkpad.synth.calibration import (
    FLEXIBLE_CONTRACT_SPLIT,
    MINIMUM_WAGE_MONTH,
    PERMANENT_CONTRACT_SHARE,
)
from werkpad.synth.frames import add_months, choice, months, or_none
from werkpad.synth.trajectories import REF

# Chance of each instrument per job type (ours): (LKS, JOBCOACH, NO_RISK_POLIS, TRIAL, CHEQUE).
INSTRUMENT_CHANCE = {
    "1": (0.30, 0.40, 0.20, 0.15, 0.05),
    "2": (0.05, 0.10, 0.05, 0.10, 0.10),
    "3": (0.95, 0.60, 0.70, 0.10, 0.00),
    "4": (0.03, 0.05, 0.05, 0.10, 0.05),
    "5": (0.85, 0.60, 0.70, 0.20, 0.05),
    "6": (0.02, 0.03, 0.03, 0.10, 0.05),
}
INSTRUMENTS = ("LKS", "JOBCOACH", "NO_RISK_POLIS", "TRIAL_PLACEMENT", "WERKGEVERSCHEQUE")


@dataclass(frozen=True)
class PlacementTables:
    placements: pd.DataFrame
    instruments: pd.DataFrame
    follow_ups: pd.DataFrame


def build_placements(
    rng: np.random.Generator,
    routes: pd.DataFrame,
    employers: pd.DataFrame,
    vacancies: pd.DataFrame,
) -> PlacementTables:
    """``routes`` needs id, candidate_id, team_id, end, end_reason, job_type, return_day."""
    jobs = routes[routes["end_reason"] == "JOB"]
    n = len(jobs)
    job_type = jobs["job_type"].to_numpy()
    start = jobs["end"].to_numpy().astype("int64")
    ret = jobs["return_day"].to_numpy()
    flexible = choice(rng, list(FLEXIBLE_CONTRACT_SPLIT), list(FLEXIBLE_CONTRACT_SPLIT.values()), n)
    flexible = np.where((job_type == "2") & (rng.random(n) < 0.6), "INTERNSHIP", flexible)
    contract = np.where(rng.random(n) < PERMANENT_CONTRACT_SHARE, "PERMANENT", flexible)
    hours = np.select(
        [job_type == "6", job_type == "4"],
        [rng.integers(32, 41, n), rng.integers(12, 29, n)],
        rng.integers(16, 37, n),
    )
    # Four in ten placements fill a registered vacancy; the rest an employer directly.
    with_vacancy = rng.random(n) < 0.4
    vac_pos = rng.integers(0, len(vacancies), n)
    vacancy_id = np.where(with_vacancy, vacancies["id"].to_numpy()[vac_pos], np.nan)
    employer_id = np.where(
        with_vacancy,
        vacancies["employer_id"].to_numpy()[vac_pos],
        employers["id"].to_numpy()[rng.integers(0, len(employers), n)],
    )
    returned = ~np.isnan(ret)
    end = np.where(returned, np.maximum(start, ret - rng.integers(1, 31, n)), np.nan)
    # Some flexible contracts end without a return to benefit (a next job, or the contract ran out).
    ends_anyway = ~returned & (contract != "PERMANENT") & (rng.random(n) < 0.2)
    other_end = start + rng.integers(90, 540, n)
    end = np.where(ends_anyway & (other_end <= REF), other_end, end)
    placements = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "source_id": None,
            "candidate_id": jobs["candidate_id"].to_numpy(),
            "route_id": jobs["id"].to_numpy(),
            "employer_id": employer_id,
            "vacancy_id": vacancy_id,
            "start_date": start,
            "end_date": end,
            "job_type": job_type,
            "contract_type": contract,
            "hours_per_week": hours,
            "claimed_by_team_id": jobs["team_id"].to_numpy(),
            "claimed_by_provider_id": np.nan,
        }
    )
    instruments = _instruments(rng, placements)
    follow_ups = _follow_ups(rng, placements, ret)
    return PlacementTables(placements, instruments, follow_ups)


def _instruments(rng: np.random.Generator, placements: pd.DataFrame) -> pd.DataFrame:
    job_type = placements["job_type"].to_numpy()
    chances = np.array([INSTRUMENT_CHANCE[t] for t in job_type])
    has = rng.random(chances.shape) < chances
    p_idx, i_idx = np.nonzero(has)
    instrument = np.asarray(INSTRUMENTS, dtype=object)[i_idx]
    start = placements["start_date"].to_numpy()[p_idx].astype(float)
    p_end = placements["end_date"].to_numpy()[p_idx]
    n = len(p_idx)
    disabled = np.isin(job_type[p_idx], ["3", "5"])
    loonwaarde = np.where(disabled, rng.integers(30, 76, n), rng.integers(50, 86, n))
    lks = instrument == "LKS"
    granted_months = np.where(lks, 24, np.where(instrument == "JOBCOACH", 12, 6))
    end = start + months(granted_months)
    end = np.where(~np.isnan(p_end), np.minimum(end, p_end), end)
    trial = instrument == "TRIAL_PLACEMENT"
    trial_start = start - rng.integers(30, 62, n)
    amount_months = np.maximum(1.0, (end - start) / 30.44)
    amount = np.select(
        [lks, instrument == "JOBCOACH", instrument == "WERKGEVERSCHEQUE"],
        [
            (100 - loonwaarde) / 100 * MINIMUM_WAGE_MONTH * amount_months,
            rng.uniform(1200, 2000, n),
            np.full(n, 2500.0),
        ],
        np.nan,
    )
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "placement_id": placements["id"].to_numpy()[p_idx],
            "instrument": instrument,
            "loonwaarde_pct": np.where(lks, loonwaarde, np.nan),
            "start_date": np.where(trial, trial_start, start),
            "end_date": np.where(trial, start - 1, end),
            "amount": np.round(amount, 2),
        }
    )


def _follow_ups(
    rng: np.random.Generator, placements: pd.DataFrame, ret: np.ndarray
) -> pd.DataFrame:
    n = len(placements)
    p = np.repeat(np.arange(n), 3)
    m = np.tile([6, 12, 18], n)
    start = placements["start_date"].to_numpy()[p]
    due = np.empty(len(p), dtype="int64")
    for k in (6, 12, 18):
        due[m == k] = add_months(start[m == k], k)
    done = due + rng.integers(0, 22, len(p))
    is_done = due <= REF
    done = np.minimum(done, REF)
    p_end = placements["end_date"].to_numpy()[p]
    still = np.isnan(p_end) | (p_end > due)
    back = ~np.isnan(ret[p]) & (ret[p] <= due)
    notes = np.where(
        back,
        "Terug in de uitkering",
        np.where(
            still,
            "Werkt nog bij dezelfde werkgever",
            "Niet meer bij deze werkgever, geen uitkering",
        ),
    )
    return pd.DataFrame(
        {
            "id": np.arange(1, len(p) + 1),
            "placement_id": placements["id"].to_numpy()[p],
            "months": m,
            "due_date": due,
            "done_on": np.where(is_done, done, np.nan),
            "still_working": or_none(~is_done, still),
            "back_on_benefit": or_none(~is_done, back),
            "note": or_none(~is_done, notes),
        }
    )
