"""Jinja2 templates with Dutch formatting filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from werkpad.domain.codelists import code_list
from werkpad.domain.formatting import MISSING, dutch_number
from werkpad.services.candidate_file import mask_bsn
from werkpad.web.auth import START_PAGES
from werkpad.web.security import csrf_token

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

ROLE_LABELS = {c.code: c.label_nl for c in code_list("role")}
NAVIGATION = {
    "KLANTMANAGER": [
        ("/caseload", "Caseload"),
        ("/kandidaten/nieuw", "Nieuwe kandidaat"),
        ("/dashboard", "Dashboard"),
        ("/api/docs", "API"),
    ],
    "TEAMLEIDER": [
        ("/caseload", "Caseload"),
        ("/kandidaten/nieuw", "Nieuwe kandidaat"),
        ("/team", "Team"),
        ("/vacatures", "Vacatures"),
        ("/dashboard", "Dashboard"),
        ("/effectmeting", "Effectmeting"),
        ("/api/docs", "API"),
    ],
    "ACCOUNTMANAGER": [
        ("/matching", "Matching"),
        ("/werkgevers", "Werkgevers"),
        ("/vacatures", "Vacatures"),
        ("/dashboard", "Dashboard"),
    ],
    "ANALIST": [("/dashboard", "Dashboard"), ("/effectmeting", "Effectmeting")],
    "BEHEERDER": [
        ("/beheer/gebruikers", "Gebruikers"),
        ("/beheer/teams", "Teams"),
        ("/beheer/codelijsten", "Codelijsten"),
        ("/beheer/instellingen", "Instellingen"),
        ("/beheer/audit", "Auditlog"),
    ],
}


def nl_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def money(value: Decimal | float | None) -> str:
    if value is None:
        return MISSING
    return f"€ {dutch_number(float(value), 2)}"


def label(code: Any, list_name: str) -> str:
    if code is None or code == "":
        return "–"
    return code_list(list_name).label(str(code))


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return MISSING
    return f"{dutch_number(value, digits)}%"


def zip_labels(codes: Any, list_name: str) -> list[tuple[str, str]]:
    names = code_list(list_name)
    return [(str(c), names.label(str(c))) for c in codes]


def zip_names(_ids: Any, objects: Any) -> list[tuple[int, str]]:
    return [(o.id, o.name) for o in objects]


def zip_goals(_ids: Any, plans: Any) -> list[tuple[int, str]]:
    return [(p.id, f"{nl_date(p.created_on)}: {p.goal[:60]}") for p in plans]


def _context(request: Request) -> dict[str, Any]:
    user = getattr(request.state, "user", None)
    return {
        "current_user": user,
        "role_label": ROLE_LABELS.get(user.role, user.role) if user else "",
        "navigation": NAVIGATION.get(user.role, []) if user else [],
        "start_page": START_PAGES.get(user.role, "/") if user else "/login",
        "csrf_token": csrf_token(request),
        "path": request.url.path,
        "frozen_today": request.app.state.clock.frozen(),
    }


templates = Jinja2Templates(directory=str(TEMPLATE_DIR), context_processors=[_context])
templates.env.filters.update(
    nl_date=nl_date,
    money=money,
    label=label,
    mask_bsn=mask_bsn,
    percent=percent,
    zip_labels=zip_labels,
    zip_names=zip_names,
    zip_goals=zip_goals,
)
