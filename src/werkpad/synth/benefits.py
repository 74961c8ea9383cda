"""Benefit dossiers, their members (about 20% with a partner) and the benefit spells.

Partners are pairs of candidates whose spells started close together; the partner joins the
applicant's dossier and address. Every return to benefit opens a new dossier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from werkpad.synth.calibration import MONTHLY_BENEFIT_RANGE
from werkpad.synth.frames import year_of

PARTNER_DOSSIER_SHARE = 0.20


@dataclass(frozen=True)
class Benefits:
    dossiers: pd.DataFrame
    members: pd.DataFrame
    spells: pd.DataFrame  # benefit_spell table (ids 1..n, in the order of the input spells)


def build_benefits(
    rng: np.random.Generator, spells: pd.DataFrame, candidates: pd.DataFrame
) -> Benefits:
    """Dossiers and spell rows; moves partners to the applicant's address in ``candidates``."""
    spells = spells.copy()
    n_cand = len(candidates)
    first = spells.iloc[:n_cand]  # the first n rows are the FIRST spells, one per candidate
    eligible = np.flatnonzero(first["benefit_type"].to_numpy() != "NUO")
    # k pairs among n eligible persons plus r return dossiers: k / (n - k + r) have a partner.
    returns = int((spells["benefit_type"].to_numpy()[n_cand:] != "NUO").sum())
    k = round((len(eligible) + returns) * PARTNER_DOSSIER_SHARE / (1 + PARTNER_DOSSIER_SHARE))
    chosen = rng.permutation(eligible)[: 2 * k]
    chosen = chosen[np.argsort(first["start"].to_numpy()[chosen], kind="stable")]
    applicants, partners = chosen[0::2], chosen[1::2]
    start = spells["start"].to_numpy().copy()
    start[partners] = start[applicants]
    spells["start"] = start
    for column in ("street", "house_number", "postcode", "city"):
        values = candidates[column].to_numpy().copy()
        values[partners] = values[applicants]
        candidates[column] = values
    partner_last = rng.random(len(partners)) < 0.4
    last = candidates["last_name"].to_numpy().copy()
    last[partners[partner_last]] = last[applicants[partner_last]]
    candidates["last_name"] = last

    n = len(spells)
    is_benefit = spells["benefit_type"].to_numpy() != "NUO"
    dossier_of = np.full(n, -1)
    owners = np.flatnonzero(is_benefit)
    owners = owners[~np.isin(owners, partners)]
    dossier_of[owners] = np.arange(len(owners))
    dossier_of[partners] = dossier_of[applicants]
    dossier_ids = dossier_of + 1
    end = spells["end"].to_numpy()
    # A dossier closes when all of its members' spells have ended.
    frame = pd.DataFrame({"dossier": dossier_of, "start": start, "end": end})
    frame = frame[frame["dossier"] >= 0]
    grouped = frame.groupby("dossier")
    opened = grouped["start"].min().to_numpy()
    any_open = grouped["end"].apply(lambda s: s.isna().any()).to_numpy()
    closed = np.where(any_open, np.nan, grouped["end"].max().to_numpy())
    dossiers = pd.DataFrame(
        {
            "id": np.arange(1, len(opened) + 1),
            "dossier_number": [
                f"UD{y}-{i:07d}"
                for y, i in zip(year_of(opened), range(1, len(opened) + 1), strict=True)
            ],
            "opened_on": opened,
            "closed_on": closed,
        }
    )
    cand_ids = spells["candidate"].to_numpy() + 1
    members = pd.DataFrame(
        {
            "dossier_id": np.concatenate([dossier_ids[owners], dossier_ids[partners]]),
            "candidate_id": np.concatenate([cand_ids[owners], cand_ids[partners]]),
            "member_role": ["APPLICANT"] * len(owners) + ["PARTNER"] * len(partners),
        }
    )
    amount = rng.uniform(*MONTHLY_BENEFIT_RANGE, n)
    single = rng.uniform(MONTHLY_BENEFIT_RANGE[0], MONTHLY_BENEFIT_RANGE[0] + 150, n)
    couple_applicant = np.zeros(n, dtype=bool)
    couple_applicant[applicants] = True
    amount = np.where(couple_applicant, np.maximum(amount, 1400), single)
    amount[partners] = np.nan
    amount[~is_benefit] = np.nan
    table = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "source_id": None,
            "candidate_id": cand_ids,
            "dossier_id": np.where(dossier_of >= 0, dossier_ids, np.nan),
            "benefit_type": spells["benefit_type"].to_numpy(),
            "application_date": start - rng.integers(7, 29, n),
            "start_date": start,
            "end_date": end,
            "end_reason": spells["end_reason"].to_numpy(),
            "monthly_amount": np.round(amount, 2),
        }
    )
    return Benefits(dossiers=dossiers, members=members, spells=table)
