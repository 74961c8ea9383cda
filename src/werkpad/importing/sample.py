"""A large, valid import folder of any size, for trying out and timing imports.

Not realistic data (the synth generator makes that): every person gets a benefit spell, an
assessment, a route with provisions and contacts, so the row count grows linearly with
``persons`` (about 7 rows per person) and every file kind with references is exercised.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from werkpad.domain.bsn import bsn_from_stem

EXAMPLE_FOLDER = Path(__file__).resolve().parent / "example"
_CATALOGUE = ("provision_types", "providers", "teams")
ROWS_PER_PERSON = 7


def _dates(start: date, offsets: np.ndarray) -> pd.Series:
    base = pd.Timestamp(start)
    return pd.Series(base + pd.to_timedelta(offsets, unit="D")).dt.strftime("%Y-%m-%d")


def write_sample_folder(folder: Path, persons: int, seed: int = 1) -> int:
    """Write a valid import folder with ``persons`` persons; returns the number of data rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind in _CATALOGUE:
        shutil.copy(EXAMPLE_FOLDER / f"{kind}.csv", folder / f"{kind}.csv")
    rng = np.random.default_rng(seed)
    ids = pd.Series([f"S{i:07d}" for i in range(persons)])
    registered = rng.integers(0, 2000, persons)
    frames = {
        "persons": pd.DataFrame(
            {
                "id": ids,
                "bsn": [bsn_from_stem(20_000_000 + i * 13) for i in range(persons)],
                "first_name": "Voornaam",
                "last_name": "Achternaam",
                "birth_date": _dates(date(1960, 1, 1), rng.integers(0, 14000, persons)),
                "sex": rng.choice(["M", "V"], persons),
                "postcode": [f"{1000 + i % 8999} AB" for i in range(persons)],
                "registered_on": _dates(date(2015, 1, 1), registered),
            }
        ),
        "benefit_spells": pd.DataFrame(
            {
                "id": "B" + ids,
                "candidate_id": ids,
                "benefit_type": "PW",
                "start_date": _dates(date(2015, 1, 1), registered),
                "monthly_amount": "1.080,25",
            }
        ),
        "assessments": pd.DataFrame(
            {
                "id": "A" + ids,
                "candidate_id": ids,
                "assessed_on": _dates(date(2015, 1, 10), registered),
                "segment": rng.choice(["DH_A", "DH_B", "DH_C", "DH_P"], persons),
                "ladder_step": rng.integers(1, 7, persons),
            }
        ),
        "routes": pd.DataFrame(
            {
                "id": "R" + ids,
                "candidate_id": ids,
                "route_type": "WORK_12M",
                "start_date": _dates(date(2015, 2, 1), registered),
                "team": "Team Werk Centrum",
            }
        ),
    }
    provision_route = np.repeat(ids.to_numpy(), 2)
    frames["provisions"] = pd.DataFrame(
        {
            "id": [f"V{r}-{k}" for r, k in zip(provision_route, [0, 1] * persons, strict=True)],
            "route_id": "R" + pd.Series(provision_route),
            "provision_type": rng.choice(["DIAG01", "WERKFIT01", "TAAL01"], 2 * persons),
            "start_date": _dates(date(2015, 3, 1), np.repeat(registered, 2)),
            "cost": "250,00",
        }
    )
    frames["contacts"] = pd.DataFrame(
        {
            "id": "C" + ids,
            "candidate_id": ids,
            "contact_date": _dates(date(2015, 2, 1), registered + 7),
            "contact_type": "PHONE",
            "summary": "Telefonisch contact",
        }
    )
    rows = 0
    for kind, frame in frames.items():
        frame.to_csv(folder / f"{kind}.csv", index=False, sep=";")
        rows += len(frame)
    return rows
