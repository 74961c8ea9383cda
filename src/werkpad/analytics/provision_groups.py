"""Groups of provision types that a figure counts, kept as data (``provision_groups.csv``).

A row names a group (e.g. ``induction_week``, ``volunteer_work``, ``flanking_financien``), the
catalogue field it matches on and the value: ``gos_code`` and ``srg_code`` match exactly,
``provision_name`` matches when the catalogue name contains the value (case-insensitive). A
municipality whose catalogue names differ edits the file, not the code.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import pandas as pd

FIELDS = ("gos_code", "srg_code", "provision_name")


@lru_cache(maxsize=1)
def provision_groups() -> dict[str, tuple[tuple[str, str], ...]]:
    """group -> ((field, value), ...) from the shipped data file."""
    text = resources.files("werkpad.analytics").joinpath("provision_groups.csv").read_text("utf-8")
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in csv.DictReader(text.splitlines()):
        if row["field"] not in FIELDS:
            raise ValueError(f"provision_groups.csv: onbekend veld {row['field']!r}")
        groups.setdefault(row["group"], []).append((row["field"], row["value"]))
    return {name: tuple(rules) for name, rules in groups.items()}


def in_group(provisions: pd.DataFrame, group: str) -> pd.Series:
    """Boolean mask: the provisions whose type belongs to ``group`` (False for unknown groups
    and for frames without the matched column)."""
    mask = pd.Series(False, index=provisions.index)
    for field, value in provision_groups().get(group, ()):
        if field not in provisions.columns:
            continue
        column = provisions[field].astype("string")
        if field == "provision_name":
            hit = column.str.lower().str.contains(value.lower(), regex=False)
        else:
            hit = column == value
        mask |= hit.fillna(False).astype(bool)
    return mask
