"""KPI and success definitions as data (``kpi_definitions.csv``, ``success_definitions.csv``).

A KPI definition has a stable id, a version, a Dutch name and written definition, a unit, a
kind (output or outcome) and a theme. A success definition says when a work exit is durable;
it is versioned and selectable, and every figure that depends on it carries its id and version.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

KINDS = ("output", "outcome")
DEFAULT_SUCCESS = "DURABLE_12M"


@dataclass(frozen=True)
class KpiDefinition:
    id: str
    version: int
    name_nl: str
    kind: str
    unit: str
    theme: str
    definition_nl: str


@dataclass(frozen=True)
class SuccessDefinition:
    id: str
    version: int
    name_nl: str
    definition_nl: str
    durable_months: int

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("werkpad.analytics").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def kpi_definitions() -> dict[str, KpiDefinition]:
    """All KPI definitions by id, in file order."""
    result = {}
    for row in _rows("kpi_definitions.csv"):
        definition = KpiDefinition(
            id=row["id"],
            version=int(row["version"]),
            name_nl=row["name_nl"],
            kind=row["kind"],
            unit=row["unit"],
            theme=row["theme"],
            definition_nl=row["definition_nl"],
        )
        if definition.kind not in KINDS:
            raise ValueError(f"KPI {definition.id}: onbekend soort '{definition.kind}'")
        result[definition.id] = definition
    return result


def success_definitions() -> dict[str, SuccessDefinition]:
    return {
        row["id"]: SuccessDefinition(
            id=row["id"],
            version=int(row["version"]),
            name_nl=row["name_nl"],
            definition_nl=row["definition_nl"],
            durable_months=int(row["durable_months"]),
        )
        for row in _rows("success_definitions.csv")
    }


def success_definition(identifier: str = DEFAULT_SUCCESS) -> SuccessDefinition:
    known = success_definitions()
    if identifier not in known:
        raise ValueError(f"Onbekende succesdefinitie '{identifier}'; kies uit: {', '.join(known)}")
    return known[identifier]
