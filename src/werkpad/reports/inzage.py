"""The readable version of an inzage export: one HTML document, printed to PDF by WeasyPrint.

Each section of ``services.inzage.person_export`` becomes a titled table (its columns as
stored, values as exported), so the PDF holds exactly what the JSON holds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from werkpad.protected.modes import open_private
from werkpad.services.inzage import TITLES

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    trim_blocks=True,
)


def build_inzage_html(export: dict[str, Any], *, made_on: date, municipality: str = "") -> str:
    sections = [
        (TITLES.get(name, name.replace("_", " ")), rows) for name, rows in export["secties"].items()
    ]
    return TEMPLATES.get_template("inzage.html").render(
        sections=sections, made_on=made_on, municipality=municipality, export=export
    )


def write_inzage_pdf(export: dict[str, Any], out: Path, *, made_on: date) -> Path:
    """Write the PDF owner-only (it holds personal data) and return its path."""
    from weasyprint import HTML

    document = build_inzage_html(export, made_on=made_on)
    pdf = HTML(string=document).write_pdf()
    with open_private(out, "wb") as handle:
        handle.write(pdf)
    return out
