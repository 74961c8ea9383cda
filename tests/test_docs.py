"""The documentation is kept true by tests: the package table and the KPI ids."""

from __future__ import annotations

import re
from pathlib import Path

import werkpad
from werkpad.analytics.definitions import kpi_definitions

DOCS = Path(__file__).resolve().parents[1] / "docs"
PACKAGE_ROOT = Path(werkpad.__file__).resolve().parent


def _documented_packages() -> set[str]:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Packages", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)/?` \|", table, flags=re.M))


def test_architecture_doc_lists_every_package_and_no_other() -> None:
    packages = {p.name for p in PACKAGE_ROOT.iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE_ROOT.glob("*.py") if p.stem != "__init__"}
    assert _documented_packages() == packages | modules


def test_kpi_doc_names_every_kpi_id_and_no_unknown_one() -> None:
    text = (DOCS / "kpi.md").read_text(encoding="utf-8")
    table = text.split("## The KPIs", 1)[1].split("\n## ", 1)[0]
    documented = {
        kpi_id.strip()
        for row in re.findall(r"^\| ([a-z_, ]+) \|", table, flags=re.M)
        for kpi_id in row.split(",")
    } - {"id"}
    assert documented == set(kpi_definitions())
