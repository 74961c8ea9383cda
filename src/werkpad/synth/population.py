"""Candidates: fake Dutch persons with valid unique BSNs, demographics and an address.

Sex, age bands and the statushouder share follow haarlemmermeer_clients_2019.csv; birth dates
and registration dates are set once the benefit spells are known (see ``finish_candidates``).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from werkpad.domain.bsn import bsn_from_stem
from werkpad.synth.calibration import (
    AGE_BAND_SHARES,
    AGE_BANDS,
    FEMALE_SHARE,
    REFERENCE_DATE,
    STATUSHOUDER_SHARE,
)
from werkpad.synth.frames import choice, day, or_none
from werkpad.synth.names import NamePools

POSTCODE_LETTERS = np.array(list("ABCDEGHJKLMNPRSTVWXZ"), dtype=object)
# City and postcode-number range for the national scale (Den Haag only at the other scales).
NATIONAL_CITIES = (
    ("Amsterdam", 1011, 1109, 0.16),
    ("Rotterdam", 3011, 3089, 0.14),
    ("Den Haag", 2491, 2599, 0.11),
    ("Utrecht", 3511, 3585, 0.06),
    ("Eindhoven", 5611, 5658, 0.04),
    ("Groningen", 9711, 9747, 0.04),
    ("Tilburg", 5011, 5049, 0.03),
    ("Almere", 1311, 1364, 0.03),
    ("Breda", 4811, 4841, 0.03),
    ("Nijmegen", 6511, 6546, 0.03),
    ("Arnhem", 6811, 6846, 0.03),
    ("Haarlem", 2011, 2037, 0.03),
    ("Enschede", 7511, 7548, 0.03),
    ("Zaanstad", 1500, 1509, 0.02),
    ("Leiden", 2311, 2334, 0.02),
    ("Zoetermeer", 2711, 2729, 0.02),
    ("Dordrecht", 3311, 3329, 0.02),
    ("Haarlemmermeer", 2131, 2136, 0.02),
    ("Leidschendam-Voorburg", 2261, 2275, 0.02),
    ("Lisse", 2160, 2165, 0.02),
)


def _bsns(rng: np.random.Generator, n: int) -> list[str]:
    # Stems ten apart: bsn_from_stem moves at most a few stems up, so results never collide.
    stems = 10_000_000 + rng.choice(8_900_000, size=n, replace=False) * 10
    return [bsn_from_stem(int(s)) for s in stems]


def _addresses(
    rng: np.random.Generator, pools: NamePools, n: int, city: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    streets = pools.streets[rng.integers(0, len(pools.streets), n)]
    numbers = rng.integers(1, 300, n).astype(str).astype(object)
    suffix = np.where(
        rng.random(n) < 0.2,
        np.array(["A", "B", "-1", "-2"], dtype=object)[rng.integers(0, 4, n)],
        "",
    )
    if city == "NL":
        which = rng.choice(
            len(NATIONAL_CITIES),
            size=n,
            p=np.array([c[3] for c in NATIONAL_CITIES]) / sum(c[3] for c in NATIONAL_CITIES),
        )
        lows = np.array([c[1] for c in NATIONAL_CITIES])[which]
        highs = np.array([c[2] for c in NATIONAL_CITIES])[which]
        digits = lows + (rng.random(n) * (highs - lows + 1)).astype(int)
        cities = np.array([c[0] for c in NATIONAL_CITIES], dtype=object)[which]
    else:
        digits = rng.integers(2491, 2600, n)
        cities = np.full(n, city, dtype=object)
    letters = POSTCODE_LETTERS[rng.integers(0, len(POSTCODE_LETTERS), (n, 2))]
    postcodes = digits.astype(str).astype(object) + " " + letters[:, 0] + letters[:, 1]
    return streets, numbers + suffix, postcodes, cities


def build_candidates(
    rng: np.random.Generator, pools: NamePools, n: int, n_teams: int, city: str
) -> pd.DataFrame:
    """Persons without dates yet: names, BSN, sex, background, education, address, team."""
    sex = choice(rng, ["V", "M", "X"], [FEMALE_SHARE, 1 - FEMALE_SHARE - 0.004, 0.004], n)
    statushouder = rng.random(n) < STATUSHOUDER_SHARE
    background = np.where(
        statushouder,
        "NONWEST",
        choice(rng, ["NL", "WEST", "NONWEST"], [0.47, 0.13, 0.40], n),
    )
    migrant = (background == "NONWEST") & (rng.random(n) < 0.85)
    female = sex == "V"
    education = np.where(
        statushouder,
        choice(rng, ["NONE", "VMBO", "MBO", "HBO"], [0.45, 0.25, 0.20, 0.10], n),
        choice(rng, ["NONE", "VMBO", "MBO", "HBO"], [0.18, 0.38, 0.36, 0.08], n),
    )
    band = rng.choice(len(AGE_BANDS), size=n, p=np.asarray(AGE_BAND_SHARES) / sum(AGE_BAND_SHARES))
    lows = np.array([b[0] for b in AGE_BANDS])[band]
    highs = np.array([b[1] for b in AGE_BANDS])[band]
    age_days = (lows * 365.25 + rng.random(n) * (highs - lows + 1) * 365.25).astype(int)
    streets, numbers, postcodes, cities = _addresses(rng, pools, n, city)
    first = pools.first_names(rng, female, migrant)
    last = pools.last_names(rng, migrant)
    phone = np.char.add("06-", rng.integers(10_000_000, 99_999_999, n).astype(str)).astype(object)
    mail_user = np.char.lower(
        np.char.replace(np.char.replace((first + "." + last).astype(str), " ", ""), "'", "")
    ).astype(object)
    domains = np.array(["voorbeeld.nl", "mail.example", "post.example"], dtype=object)
    email = or_none(rng.random(n) >= 0.7, mail_user + "@" + domains[rng.integers(0, 3, n)])
    team = (
        rng.choice(
            n_teams, size=n, p=np.linspace(1.3, 0.7, n_teams) / np.linspace(1.3, 0.7, n_teams).sum()
        )
        + 1
    )
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "source_id": None,
            "bsn": _bsns(rng, n),
            "first_name": first,
            "last_name": last,
            "birth_date": day(REFERENCE_DATE) - age_days,
            "sex": sex,
            "street": streets,
            "house_number": numbers,
            "postcode": postcodes,
            "city": cities,
            "phone": phone,
            "email": email,
            "migration_background": background,
            "statushouder": statushouder,
            "education_level": education,
            "team_id": team,
            "klantmanager_id": 0,
            "registered_on": 0,
            "created_at": datetime(2017, 1, 2, 9, 0),
        }
    )


def assign_klantmanagers(
    rng: np.random.Generator, candidates: pd.DataFrame, km_by_team: dict[int, np.ndarray]
) -> np.ndarray:
    """A klantmanager of the candidate's own team, spread evenly (caseloads of 70-90)."""
    out = np.zeros(len(candidates), dtype="int64")
    teams = candidates["team_id"].to_numpy()
    for team_id, users in km_by_team.items():
        idx = np.flatnonzero(teams == team_id)
        slots = np.resize(users, len(idx))
        out[idx] = rng.permutation(slots)
    return out
