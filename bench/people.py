"""New (synthetic) people for the intake form, shared by the locust page mix and the tests."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

from werkpad.domain.bsn import bsn_from_stem

FIRST_NAMES = ("Anouk", "Bram", "Chaima", "Daan", "Esra", "Fleur", "Gijs", "Hira", "Ilse", "Jesse")
# The demo clock stands at the synthetic reference date (2021-06-30): forms date before it.
BENEFIT_START = "2021-06-01"


def new_candidate_form(rng: random.Random) -> dict[str, str]:
    """The intake form of someone not yet registered: a random valid BSN (a clash with the
    20k demo BSNs is a one-in-millions event) and a last name no demo candidate has."""
    suffix = "".join(rng.choices(string.ascii_lowercase, k=6)).capitalize()
    return {
        "bsn": bsn_from_stem(rng.randrange(10_000_000, 99_999_999)),
        "first_name": rng.choice(FIRST_NAMES),
        "last_name": f"Testpersoon {suffix}",
        "birth_date": str(date(1960, 1, 1) + timedelta(days=rng.randint(0, 14_600))),
        "sex": rng.choice(("M", "V")),
        "benefit_type": "PW",
        "benefit_start_date": BENEFIT_START,
        "postcode": "2512 AB",
        "city": "Den Haag",
    }
