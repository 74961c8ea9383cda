"""Jinja2 templates with Dutch formatting filters.

``label`` is the one way a template turns a code into words: every code list, the audit log's
object types and the KPI and success definitions go through it, so no screen shows an internal
code where a label exists (``tests/web/test_web_labels.py`` keeps that true).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from werkpad.domain.codelists import code_list
from werkpad.domain.formatting import MISSING, dutch_number
from werkpad.services.candidate_file import mask_bsn
from werkpad.web.auth import START_PAGES
from werkpad.web.security import csrf_token
from werkpad.web.theme import load_theme

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        LOCAL_ZONE: Any = ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # pragma: no cover - a machine without tzdata
        LOCAL_ZONE = UTC
except ImportError:  # pragma: no cover
    LOCAL_ZONE = UTC

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

ROLE_LABELS = {c.code: c.label_nl for c in code_list("role")}
NAVIGATION = {
    "KLANTMANAGER": [
        ("/caseload", "Caseload"),
        ("/werklijst", "Werklijst"),
        ("/agenda", "Agenda"),
        ("/kandidaten/nieuw", "Nieuwe kandidaat"),
        ("/dashboard", "Dashboard"),
        ("/api/docs", "API"),
    ],
    "TEAMLEIDER": [
        ("/caseload", "Caseload"),
        ("/werklijst", "Werklijst"),
        ("/agenda", "Agenda"),
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
        ("/beheer/gemeenten", "Gemeenten"),
        ("/beheer/codelijsten", "Codelijsten"),
        ("/beheer/instellingen", "Instellingen"),
        ("/beheer/berichten", "Berichten"),
        ("/beheer/privacy", "Privacy"),
        ("/beheer/audit", "Auditlog"),
    ],
}


MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

# Object types in the audit log and the transition log, in the words of the field.
OBJECT_LABELS = {
    "candidate": "kandidaat",
    "route": "route",
    "app_user": "gebruiker",
    "team": "team",
    "municipality": "gemeente",
    "login": "inlogpoging",
    "contact": "contact",
    "exemption": "ontheffing",
    "assessment": "diagnose",
    "employer": "werkgever",
    "vacancy": "vacature",
    "follow_up": "nazorgmoment",
    "benefit_spell": "uitkering",
    "plan": "plan van aanpak",
    "provision": "voorziening",
    "referral": "aanmelding matching",
    "proposal": "voorstel",
    "placement": "plaatsing",
    "work_profile": "werkprofiel",
    "appointment": "afspraak",
    "outbox_message": "bericht",
    "file_note": "notitie",
    "document": "document",
}


def nl_date(value: date | datetime | None) -> str:
    """A date as the Dutch write it: ``30-06-2021`` (with ``14:05`` for a moment)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def nl_long_date(value: date | datetime | None) -> str:
    """A date in words for running text: ``30 juni 2021``."""
    if value is None:
        return "–"
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def local_moment(value: datetime | None, frozen_today: date | None = None) -> str:
    """A stored moment (naive UTC) in Dutch local time, ``30-06-2021 14:05``.

    On a demo database whose "vandaag" is frozen, the date is shifted by the same number of
    days as the calendar is ahead of the demo, so entries logged today read as the demo's
    vandaag (and yesterday's as the day before), like every other date on the screens.
    """
    if value is None:
        return "–"
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    local = moment.astimezone(LOCAL_ZONE)
    if frozen_today is not None:
        local -= timedelta(days=(datetime.now(LOCAL_ZONE).date() - frozen_today).days)
    return local.strftime("%d-%m-%Y %H:%M")


def money(value: Decimal | float | None) -> str:
    if value is None:
        return MISSING
    return f"€ {dutch_number(float(value), 2)}"


def label(code: Any, list_name: str) -> str:
    """The Dutch label of ``code`` in code list ``list_name`` (``–`` for no value).

    Besides the domain's code lists, ``object`` names the object types of the audit log.
    """
    if code is None or code == "":
        return "–"
    if list_name == "object":
        return OBJECT_LABELS.get(str(code), str(code).replace("_", " "))
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


def option_tags(options: Any, chosen: Any) -> Markup:
    """The ``<option>`` elements of a select, the ``chosen`` value marked selected. Written in
    Python rather than as a template loop: a candidate file renders selects of hundreds of
    employers and provision types, and the loop was a measurable part of its CPU."""
    chosen_text = str(chosen)
    parts = []
    for value, text in options:
        value_text = str(value)
        selected = " selected" if value_text == chosen_text else ""
        parts.append(f'<option value="{escape(value_text)}"{selected}>{escape(text)}</option>')
    return Markup("".join(parts))


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
        "theme": THEME,
    }


THEME = load_theme()
templates = Jinja2Templates(directory=str(TEMPLATE_DIR), context_processors=[_context])
templates.env.filters.update(
    nl_date=nl_date,
    nl_long_date=nl_long_date,
    local_moment=local_moment,
    money=money,
    label=label,
    mask_bsn=mask_bsn,
    percent=percent,
    zip_labels=zip_labels,
    zip_names=zip_names,
    zip_goals=zip_goals,
)
templates.env.globals["option_tags"] = option_tags
