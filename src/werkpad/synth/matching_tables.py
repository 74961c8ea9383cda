"""Synthetic rows for the matching tables, in the frame format of ``werkpad.synth``.

Dates are day numbers since 1970-01-01 like every synth frame. ``werkpad.synth.generate`` calls
``add_matching_tables(data, np.random.default_rng([seed, 7]))`` as its last step (its own
generator, so every other table stays as it was for a seed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from werkpad.matching.features import DAYS, WORKDAYS
from werkpad.matching.geo import read_centroids
from werkpad.synth.calibration import REFERENCE_DATE
from werkpad.synth.employers import OCCUPATIONS, SKILLS
from werkpad.synth.frames import SynthData
from werkpad.synth.frames import day as day_number

SECTORS = tuple(OCCUPATIONS)
ALL_OCCUPATIONS = tuple(o for v in OCCUPATIONS.values() for o in v)
# Referral "availability" text in synth -> (hours_min, hours_max, days).
AVAILABILITY: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "Fulltime, ma-vr": (32, 40, tuple(sorted(WORKDAYS, key=DAYS.index))),
    "24 uur, overdag": (16, 24, tuple(sorted(WORKDAYS, key=DAYS.index))),
    "32 uur": (24, 32, tuple(sorted(WORKDAYS, key=DAYS.index))),
    "Avonden en weekend": (8, 20, ("VR", "ZA", "ZO")),
}


def postcode_centroid_frame() -> pd.DataFrame:
    rows = read_centroids()
    return pd.DataFrame(
        {
            "postcode4": [c.postcode4 for c in rows],
            "lat": [c.lat for c in rows],
            "lon": [c.lon for c in rows],
            "place": [c.place for c in rows],
        }
    )


def _some(rng: np.random.Generator, items: tuple[str, ...], low: int, high: int) -> list[str]:
    n = min(int(rng.integers(low, high + 1)), len(items))
    return sorted(str(x) for x in rng.choice(items, size=n, replace=False))


def build_work_profiles(
    rng: np.random.Generator,
    candidates: pd.DataFrame,
    referrals: pd.DataFrame,
    assessments: pd.DataFrame,
) -> pd.DataFrame:
    """One work profile per referred candidate, consistent with the referral's free text."""
    latest = referrals.sort_values(["referred_on", "id"]).groupby("candidate_id").tail(1)
    latest = latest.sort_values("candidate_id")
    cand_ids = latest["candidate_id"].to_numpy()
    n = len(latest)
    last_assessment = (
        assessments.sort_values(["assessed_on", "id"]).groupby("candidate_id").tail(1)
    ).set_index("candidate_id")
    lang = last_assessment["language_level"].reindex(cand_ids).to_numpy()
    loonwaarde = last_assessment["loonwaarde_pct"].reindex(cand_ids).to_numpy(dtype=float)
    wished_sectors, wished, experience, skills, days = [], [], [], [], []
    hours_min = np.empty(n, dtype=int)
    hours_max = np.empty(n, dtype=int)
    for i, availability in enumerate(latest["availability"].to_numpy()):
        sectors = _some(rng, SECTORS, 1, 2)
        wished_sectors.append(sectors)
        wished.append(_some(rng, tuple(o for s in sectors for o in OCCUPATIONS[s]), 1, 3))
        experience.append(_some(rng, ALL_OCCUPATIONS, 0, 2))
        skills.append(_some(rng, SKILLS, 0, 4))
        low, high, on_days = AVAILABILITY.get(str(availability), (12, 32, tuple(WORKDAYS)))
        hours_min[i], hours_max[i] = low, high
        days.append(list(on_days))
    restricted = latest["restrictions"].notna().to_numpy()
    referred = latest["referred_on"].to_numpy().astype(int)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "candidate_id": cand_ids,
            "wished_occupations": wished,
            "wished_sectors": wished_sectors,
            "experience": experience,
            "skills": skills,
            "days": days,
            "hours_min": hours_min,
            "hours_max": hours_max,
            "radius_km": rng.choice([3, 5, 8, 10, 15, 25], n),
            "transport": rng.choice(["LOPEN", "FIETS", "OV", "AUTO"], n, p=[0.1, 0.4, 0.4, 0.1]),
            "driving_licence": rng.random(n) < 0.35,
            "language_level": [None if pd.isna(x) else str(x) for x in lang],
            "loonwaarde_pct": loonwaarde,
            "restrictions": [["HEAVY_LIFTING"] if r else [] for r in restricted],
            "note": None,
            # Confirmed at or after the referral, never after the synth's "today".
            "last_confirmed_on": np.minimum(
                referred + rng.integers(0, 120, n), day_number(REFERENCE_DATE)
            ),
            "updated_by_id": latest["picked_up_by_id"].to_numpy(),
        }
    )


PROPOSAL_PATHS: tuple[tuple[str, ...], ...] = (
    ("SHORTLISTED",),
    ("SHORTLISTED", "WITHDRAWN"),
    ("SHORTLISTED", "PROPOSED"),
    ("SHORTLISTED", "PROPOSED", "REJECTED"),
    ("SHORTLISTED", "PROPOSED", "INTERVIEW"),
    ("SHORTLISTED", "PROPOSED", "INTERVIEW", "REJECTED"),
    ("SHORTLISTED", "PROPOSED", "INTERVIEW", "TRIAL", "PLACED"),
    ("SHORTLISTED", "PROPOSED", "INTERVIEW", "PLACED"),
)


def build_proposals(
    rng: np.random.Generator,
    referrals: pd.DataFrame,
    vacancies: pd.DataFrame,
    profiles: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Proposals for picked-up referrals on a vacancy of a wished sector, with their log.

    Every path follows ``werkpad.domain.lifecycle.PROPOSAL``; consent is recorded on the day a
    candidate is proposed. A candidate is only put forward for a vacancy that was open on the
    shortlist day, and a path stops at the synth's "today" (the proposal is then still running).
    """
    today = day_number(REFERENCE_DATE)
    opened = vacancies.set_index("id")["opened_on"]
    closed = vacancies.set_index("id")["closed_on"].fillna(today)
    picked = referrals[referrals["picked_up_on"].notna()].drop_duplicates("candidate_id")
    picked = picked.iloc[: max(1, len(picked) // 2)]
    sectors = profiles.set_index("candidate_id")["wished_sectors"]
    by_sector = {s: g["id"].to_numpy() for s, g in vacancies.groupby("sector")}
    rows: list[dict[str, Any]] = []
    log: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for cand_id, picked_on, user_id in zip(
        picked["candidate_id"].to_numpy(dtype=int),
        picked["picked_up_on"].to_numpy(dtype=float),
        picked["picked_up_by_id"].to_numpy(dtype=float),
        strict=True,
    ):
        wished = sectors.get(cand_id)
        pool = [by_sector[s] for s in (wished or []) if s in by_sector]
        if not pool:
            continue
        on = int(picked_on) + int(rng.integers(1, 15))
        options = np.concatenate(pool)
        options = options[(opened[options].to_numpy() <= on) & (closed[options].to_numpy() >= on)]
        if on > today or not len(options):
            continue
        vacancy_id = int(options[int(rng.integers(len(options)))])
        if (vacancy_id, int(cand_id)) in seen:
            continue
        seen.add((vacancy_id, int(cand_id)))
        path = PROPOSAL_PATHS[int(rng.integers(len(PROPOSAL_PATHS)))]
        proposal_id = len(rows) + 1
        consent = None
        previous = None
        reached: list[str] = []
        shortlisted_on = on
        for step, state in enumerate(path):
            if on > today:
                break
            reached.append(state)
            if state == "PROPOSED":
                consent = on
            log.append(
                {
                    "object_type": "proposal",
                    "object_id": proposal_id,
                    "from_state": previous,
                    "to_state": state,
                    "at": np.datetime64(on, "D").astype("datetime64[m]")
                    + np.timedelta64(9 * 60 + step * 30, "m"),
                    "user_id": None if np.isnan(user_id) else int(user_id),
                    "reason": None,
                }
            )
            previous = state
            on += int(rng.integers(3, 21))
        rows.append(
            {
                "id": proposal_id,
                "vacancy_id": vacancy_id,
                "candidate_id": int(cand_id),
                "state": reached[-1],
                "score_milli": None,
                "created_on": shortlisted_on,
                "consent_on": consent,
                "note": None,
                "created_by_id": None if np.isnan(user_id) else int(user_id),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(log)


def add_matching_tables(data: SynthData, rng: np.random.Generator) -> None:
    """Centroids, work profiles and proposals (with their logged transitions) into ``data``."""
    data.add("postcode_centroid", postcode_centroid_frame())
    profiles = build_work_profiles(rng, data["candidate"], data["referral"], data["assessment"])
    data.add("work_profile", profiles)
    proposals, log = build_proposals(rng, data["referral"], data["vacancy"], profiles)
    data.add("proposal", proposals)
    if len(log):
        transitions = data["state_transition"]
        log.insert(0, "id", np.arange(len(transitions) + 1, len(transitions) + len(log) + 1))
        data.add("state_transition", pd.concat([transitions, log], ignore_index=True))
