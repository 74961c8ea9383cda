"""The provider list and the provision catalogue (voorzieningencatalogus).

Den Haag used 154 basic and 179 supporting provision types over 8 GOS codes. Names are built
from realistic Dutch base names per GOS code and varied by sector, level or form until the
counts are reached. The catalogue does not depend on the seed, so analyses can compare runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkpad.domain.codelists import code_list
from werkpad.synth.calibration import BASIC_PROVISION_TYPES, SUPPORTING_PROVISION_TYPES

PROVIDERS: tuple[tuple[str, str], ...] = (
    ("Gemeente - Werk en Inkomen", "IN_HOUSE"),
    ("Werkgeversservicepunt Haaglanden", "WSP"),
    ("Leerwerkbedrijf Haaglanden", "SHELTERED"),
    ("Werkbedrijf Zuidvleugel", "SHELTERED"),
    ("Taalhuis Hofstad", "EXTERNAL"),
    ("Trajectum Re-integratie", "EXTERNAL"),
    ("Stap Verder Coaching", "EXTERNAL"),
    ("Jobcoach Plus", "EXTERNAL"),
    ("Opleidingscentrum Westland", "EXTERNAL"),
    ("ROC Hofstad", "EXTERNAL"),
    ("Schuldhulp Haaglanden", "EXTERNAL"),
    ("Kinderopvang De Hofjes", "EXTERNAL"),
    ("Zorg en Werk Advies", "EXTERNAL"),
)

SECTOR_WORDS = (
    "zorg",
    "logistiek",
    "bouw",
    "horeca",
    "detailhandel",
    "groen",
    "schoonmaak",
    "productie",
    "beveiliging",
    "techniek",
)

# (base name, unit cost low, high, typical weeks, provider index, srg code, flags)
# flags: L = language provision, T = work-directed training.
Entry = tuple[str, int, int, int, int, str, str]

BASIC: dict[str, list[Entry]] = {
    "PS": [
        ("Intake en diagnose", 150, 350, 4, 0, "99", ""),
        ("Persoons Profiel Scan", 200, 400, 2, 6, "99", ""),
        ("Medisch advies GGD", 300, 600, 4, 12, "08", ""),
        ("Schuldhulptraject", 700, 1500, 26, 10, "99", ""),
        ("Activeringstraject", 800, 1600, 26, 6, "99", ""),
        ("Zorgtraject participatie", 900, 1800, 26, 12, "99", ""),
    ],
    "PS1": [
        ("Voorlichting inwerkweek", 40, 90, 1, 0, "99", ""),
        ("Informatiebijeenkomst werk", 40, 90, 1, 1, "99", ""),
    ],
    "PS2": [
        ("Inwerkweek", 250, 450, 1, 0, "99", ""),
        ("Inwerkweek statushouders", 300, 500, 1, 0, "99", "L"),
    ],
    "PS3": [
        ("Werkfittraject", 900, 1800, 12, 2, "99", "T"),
        ("Training werknemersvaardigheden", 600, 1200, 8, 6, "99", "T"),
        ("Participatieplaats", 500, 900, 26, 2, "03", ""),
        ("Taaltraject NT2", 1500, 3500, 26, 4, "99", "L"),
        ("Taal op de werkvloer", 900, 1800, 16, 4, "99", "LT"),
    ],
    "PS4": [
        ("Vakgericht werkfittraject", 1000, 2000, 12, 3, "99", "T"),
        ("Vakopleiding", 1200, 3000, 20, 9, "99", "T"),
        ("Leerwerktraject", 1100, 2400, 24, 2, "99", "T"),
        ("VCA-training", 300, 450, 1, 8, "99", "T"),
        ("Heftruckcertificaat", 400, 600, 1, 8, "99", "T"),
        ("Opleiding zorgassistent", 1500, 3000, 26, 9, "99", "T"),
    ],
    "PS5": [
        ("Sollicitatietraining", 400, 900, 6, 6, "99", "T"),
        ("Matching werkgeversdienstverlening", 300, 700, 12, 1, "99", ""),
        ("Bemiddelingstraject", 900, 1800, 16, 5, "99", ""),
        ("Proefplaatsing", 200, 500, 8, 1, "99", ""),
        ("Banenmarkt en speeddate", 60, 150, 1, 1, "99", ""),
    ],
    "PS6": [
        ("Arrangement werk en zorg", 1200, 2400, 26, 12, "08", ""),
        ("Arrangement beschut werk", 1500, 3000, 52, 3, "05", ""),
        ("Arrangement garantiebaan", 1200, 2500, 26, 1, "04", ""),
    ],
    "PS7": [
        ("Jobcoaching na plaatsing", 1200, 2000, 26, 7, "06", ""),
        ("Nazorg na plaatsing", 300, 700, 26, 0, "99", ""),
        ("Loonwaardebepaling", 550, 650, 2, 1, "04", ""),
        ("Werkplekaanpassing", 500, 1500, 4, 1, "08", ""),
    ],
}

SUPPORTING: dict[str, list[Entry]] = {
    "PS": [
        ("Kinderopvang", 150, 600, 12, 11, "99", ""),
        ("Reiskostenvergoeding", 100, 200, 12, 0, "07", ""),
        ("Budgetcoaching", 300, 700, 12, 10, "99", ""),
        ("Maatschappelijke begeleiding", 400, 900, 16, 12, "99", ""),
        ("Digitale vaardigheden", 200, 500, 6, 4, "99", ""),
    ],
    "PS1": [("Tolk bij voorlichting", 50, 120, 1, 0, "99", "L")],
    "PS2": [
        ("Werkkleding", 80, 200, 1, 0, "99", ""),
        ("Reiskosten inwerkweek", 30, 80, 1, 0, "07", ""),
    ],
    "PS3": [
        ("Taalcursus", 800, 2000, 16, 4, "99", "L"),
        ("Assertiviteitstraining", 300, 600, 6, 6, "99", ""),
        ("Kinderopvang tijdens traject", 200, 700, 16, 11, "99", ""),
        ("Vrijwilligerswerk met begeleiding", 200, 500, 26, 12, "99", ""),
    ],
    "PS4": [
        ("Rijbewijs", 1200, 2500, 12, 8, "99", "T"),
        ("Examengeld en lesmateriaal", 100, 400, 1, 9, "99", "T"),
        ("Reiskosten opleiding", 100, 300, 12, 0, "07", ""),
        ("Taal naast de opleiding", 600, 1400, 12, 4, "99", "L"),
    ],
    "PS5": [
        ("Sollicitatiekleding", 80, 200, 1, 0, "99", ""),
        ("Cv-check en fotoshoot", 50, 150, 1, 6, "99", ""),
        ("Werkgeverscheque", 1000, 2000, 1, 1, "99", ""),
        ("Opstapsubsidie", 1200, 1800, 12, 1, "01", ""),
    ],
    "PS6": [
        ("Vervoersvoorziening", 500, 1500, 26, 0, "07", ""),
        ("Persoonlijke ondersteuning", 800, 1600, 26, 12, "08", ""),
    ],
    "PS7": [
        ("No-riskpolis", 0, 0, 52, 1, "08", ""),
        ("Premie participatie", 600, 700, 1, 0, "99", ""),
        ("Reiskosten eerste maand werk", 80, 200, 4, 0, "07", ""),
        ("Coaching op de werkplek", 700, 1500, 16, 7, "06", ""),
    ],
}

BASIC_PER_GOS = {
    "PS": 20,
    "PS1": 6,
    "PS2": 8,
    "PS3": 25,
    "PS4": 45,
    "PS5": 25,
    "PS6": 10,
    "PS7": 15,
}
SUPPORTING_PER_GOS = {
    "PS": 45, "PS1": 5, "PS2": 8, "PS3": 30, "PS4": 40, "PS5": 20, "PS6": 11, "PS7": 20,
}  # fmt: skip
VARIANTS = (
    *SECTOR_WORDS,
    "individueel",
    "groep",
    "intensief",
    "kort",
    "A2",
    "B1",
    "jongeren",
    "50-plus",
    "statushouders",
    "alleenstaande ouders",
)

SUPPORTING_VARIANTS = (
    "(individueel)",
    "(groep)",
    "(jongeren)",
    "(50-plus)",
    "(statushouders)",
    "(alleenstaande ouders)",
    "(kort)",
    "(intensief)",
    "(maatwerk)",
    "(regio Haaglanden)",
    "(aanvullend)",
    "(eenmalig)",
)


def build_providers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": np.arange(1, len(PROVIDERS) + 1),
            "name": [name for name, _ in PROVIDERS],
            "kind": [kind for _, kind in PROVIDERS],
        }
    )


def _expand(entries: list[Entry], count: int, variants: tuple[str, ...]) -> list[tuple[str, Entry]]:
    """``count`` distinct names: first the base names, then base names with variants."""
    names: list[tuple[str, Entry]] = [(e[0], e) for e in entries][:count]
    combos = ((f"{entry[0]} {variant}", entry) for variant in variants for entry in entries)
    while len(names) < count:
        names.append(next(combos))
    return names


def build_provision_types() -> pd.DataFrame:
    """154 BASIC and 179 SUPPORTING provision types with GOS code, phase, SRG code and cost."""
    assert sum(BASIC_PER_GOS.values()) == BASIC_PROVISION_TYPES
    assert sum(SUPPORTING_PER_GOS.values()) == SUPPORTING_PROVISION_TYPES
    rng = np.random.default_rng(20180101)
    phases = {c.code: str(c.attr("phase")) for c in code_list("gos_code")}
    rows: list[dict[str, object]] = []
    for kind, catalogue, per_gos, variants in (
        ("BASIC", BASIC, BASIC_PER_GOS, VARIANTS),
        ("SUPPORTING", SUPPORTING, SUPPORTING_PER_GOS, SUPPORTING_VARIANTS),
    ):
        for gos, count in per_gos.items():
            entries = catalogue[gos]
            for number, (name, entry) in enumerate(_expand(entries, count, variants), start=1):
                _, low, high, weeks, provider, srg, flags = entry
                cost = round(float(rng.uniform(low, high)) / 5) * 5 if high else 0
                rows.append(
                    {
                        "code": f"{'B' if kind == 'BASIC' else 'F'}-{gos}-{number:03d}",
                        "name": name,
                        "kind": kind,
                        "gos_code": gos,
                        "srg_code": srg,
                        "phase": phases[gos],
                        "is_language": "L" in flags,
                        "is_work_directed_training": "T" in flags,
                        "default_provider_id": provider + 1,
                        "unit_cost": float(cost),
                        "typical_weeks": weeks,
                        "active": True,
                    }
                )
    frame = pd.DataFrame(rows)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def build_provider_types_and_providers() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(provider, provision_type) frames."""
    return build_providers(), build_provision_types()
