"""Employers (Den Haag's focus sectors weigh most) and their vacancies with requirements."""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkpad.synth.calibration import REFERENCE_DATE
from werkpad.synth.frames import choice, day, pick
from werkpad.synth.names import NamePools

SECTORS = (
    "CARE", "LOGISTICS", "CONSTRUCTION", "HOSPITALITY", "RETAIL", "HORTICULTURE",
    "CLEANING", "PRODUCTION", "OFFICE", "SECURITY",
)  # fmt: skip
SECTOR_SHARES = (0.17, 0.15, 0.11, 0.12, 0.13, 0.09, 0.09, 0.06, 0.05, 0.03)
SECTOR_WORD = {
    "CARE": "Zorg", "LOGISTICS": "Logistiek", "CONSTRUCTION": "Bouw", "HOSPITALITY": "Horeca",
    "RETAIL": "Retail", "HORTICULTURE": "Kwekerij", "CLEANING": "Schoonmaak",
    "PRODUCTION": "Productie", "OFFICE": "Diensten", "SECURITY": "Beveiliging",
}  # fmt: skip
OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "CARE": ("Helpende zorg", "Zorgassistent", "Huishoudelijk medewerker", "Gastvrouw zorg"),
    "LOGISTICS": ("Orderpicker", "Magazijnmedewerker", "Heftruckchauffeur", "Bezorger"),
    "CONSTRUCTION": ("Bouwplaatsmedewerker", "Assistent installateur", "Stratenmaker", "Schilder"),
    "HOSPITALITY": ("Afwasser", "Keukenhulp", "Bediening", "Medewerker catering"),
    "RETAIL": ("Vakkenvuller", "Kassamedewerker", "Verkoopmedewerker", "Medewerker vers"),
    "HORTICULTURE": ("Medewerker kas", "Hovenier", "Oogstmedewerker", "Medewerker groenonderhoud"),
    "CLEANING": ("Schoonmaker", "Glazenwasser", "Medewerker interieurverzorging"),
    "PRODUCTION": ("Productiemedewerker", "Inpakker", "Operator"),
    "OFFICE": ("Administratief medewerker", "Receptionist", "Klantenservicemedewerker"),
    "SECURITY": ("Beveiliger", "Toezichthouder", "Parkeercontroleur"),
}  # fmt: skip
SKILLS = ("VCA", "heftruckcertificaat", "rijbewijs B", "klantgericht", "teamspeler",
          "fysiek werk", "computervaardig", "HACCP", "nauwkeurig", "flexibel")  # fmt: skip


def build_employers(
    rng: np.random.Generator, pools: NamePools, n: int, accountmanagers: np.ndarray, city: str
) -> pd.DataFrame:
    sector = choice(rng, SECTORS, SECTOR_SHARES, n)
    words = np.array([SECTOR_WORD[s] for s in sector], dtype=object)
    size = choice(rng, ["MKB-KLEIN", "MKB", "GROOT"], [0.55, 0.33, 0.12], n)
    contact_first = pools.first_names(rng, rng.random(n) < 0.5, np.zeros(n, dtype=bool))
    contact_last = pools.last_names(rng, np.zeros(n, dtype=bool))
    digits = rng.integers(2491, 2600, n) if city != "NL" else rng.integers(1011, 9999, n)
    letters = np.array(list("ABCDEGHJKLMNPRSTVWXZ"), dtype=object)[rng.integers(0, 20, (n, 2))]
    agreements = [
        {"sroi": bool(s), "banenafspraak": bool(b), "proefplaatsing": True}
        for s, b in zip(rng.random(n) < 0.2, rng.random(n) < 0.3, strict=True)
    ]
    names = pools.company_names(rng, words)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "source_id": None,
            "name": names,
            "sector": sector,
            "size_class": size,
            "contact_person": contact_first + " " + contact_last,
            "contact_email": [f"personeelszaken{i}@werkgever.example" for i in range(1, n + 1)],
            "postcode": digits.astype(str).astype(object) + " " + letters[:, 0] + letters[:, 1],
            "city": "Den Haag"
            if city != "NL"
            else pick(rng, ["Rotterdam", "Utrecht", "Amsterdam"], n),
            "agreements": agreements,
            "accountmanager_id": pick(rng, list(accountmanagers), n).astype("int64"),
        }
    )


def build_vacancies(rng: np.random.Generator, employers: pd.DataFrame, n: int) -> pd.DataFrame:
    employer_pos = rng.integers(0, len(employers), n)
    sector = employers["sector"].to_numpy()[employer_pos]
    occupation = np.array(
        [
            OCCUPATIONS[s][i % len(OCCUPATIONS[s])]
            for s, i in zip(sector, rng.integers(0, 12, n), strict=True)
        ],
        dtype=object,
    )
    hours = np.clip(np.rint(rng.normal(28, 8, n)), 8, 40).astype(int)
    opened = day(REFERENCE_DATE) - rng.integers(0, 4 * 365, n)
    closed = opened + rng.integers(14, 180, n)
    closed_f = np.where(closed > day(REFERENCE_DATE), np.nan, closed.astype(float))
    edu = choice(rng, ["NONE", "VMBO", "MBO"], [0.45, 0.35, 0.20], n)
    lang = choice(rng, ["A2", "B1", "B2"], [0.35, 0.5, 0.15], n)
    requirements = []
    for i in range(n):
        skills = sorted(
            {str(s) for s in rng.choice(SKILLS, size=int(rng.integers(1, 4)), replace=False)}
        )
        requirements.append(
            {
                "education_min": str(edu[i]),
                "language_min": str(lang[i]),
                "skills": skills,
                "driving_licence": "rijbewijs B" in skills,
                "shifts": bool(rng.random() < 0.3),
            }
        )
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "source_id": None,
            "employer_id": employers["id"].to_numpy()[employer_pos],
            "title": occupation + " (" + hours.astype(str).astype(object) + " uur)",
            "occupation": occupation,
            "sector": sector,
            "hours_per_week": hours,
            "postcode": employers["postcode"].to_numpy()[employer_pos],
            "start_date": closed + 14,
            "opened_on": opened,
            "closed_on": closed_f,
            "requirements": requirements,
            "suitable_for_lks": rng.random(n) < 0.3,
            "suitable_for_garantiebaan": rng.random(n) < 0.2,
        }
    )
