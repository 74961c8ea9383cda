"""Printable letters (PDF) for candidates without e-mail: the invitation or reminder of an
appointment, with the candidate's address for a window envelope. HTML via Jinja, PDF via
WeasyPrint, like the council report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from werkpad.services.outbox import long_date
from werkpad.store.models import Candidate, OutboxMessage

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def letter_html(message: OutboxMessage, candidate: Candidate, *, today: date) -> str:
    return _env.get_template("letter.html").render(
        m=message, c=candidate, today=long_date(today), paragraphs=message.body.split("\n\n")
    )


def letter_pdf(message: OutboxMessage, candidate: Candidate, *, today: date) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=letter_html(message, candidate, today=today)).write_pdf()
    return pdf
