"""The plan van aanpak as a Dutch PDF to sign on paper: the goal and sub-goals, what both
sides agree to do, the route's provisions with their dates, and what follows when agreements
are not kept. HTML via Jinja, PDF via WeasyPrint, like the council report and the letters."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from werkpad.domain.codelists import code_list
from werkpad.services.outbox import long_date
from werkpad.store.models import Candidate, Plan, Route

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
_env.filters["nl_date"] = lambda d: d.strftime("%d-%m-%Y") if d else "–"
_env.filters["label"] = lambda code, name: code_list(name).label(code) if code else "–"


def plan_html(
    plan: Plan, candidate: Candidate, routes: list[Route], *, klantmanager: str, today: date
) -> str:
    items: list[Any] = list((plan.goals or {}).get("items") or [])
    return _env.get_template("plan.html").render(
        plan=plan,
        c=candidate,
        goals=items,
        routes=[r for r in routes if r.plan_id == plan.id or r.end_date is None],
        klantmanager=klantmanager,
        today=long_date(today),
    )


def plan_pdf(
    plan: Plan, candidate: Candidate, routes: list[Route], *, klantmanager: str, today: date
) -> bytes:
    from weasyprint import HTML

    html = plan_html(plan, candidate, routes, klantmanager=klantmanager, today=today)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
