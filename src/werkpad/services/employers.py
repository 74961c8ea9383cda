"""Employers and their vacancies as the accountmanager keeps them: lists, and validated writes.

Every write validates all fields first (Dutch messages, ``ValidationFailed``) and writes
nothing on any error; the caller commits. Vacancy requirements are stored in the JSON shape
that ``werkpad.matching.features.vacancy_from_record`` reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.codelists import code_list
from werkpad.matching.features import DAYS, DEMANDS
from werkpad.services.audit import record_change
from werkpad.services.fields import Fields
from werkpad.services.matching import vacancy_open_on
from werkpad.store.models import Employer, Proposal, User, Vacancy

# Employer size classes: the code list ``employer_size`` (a municipality may extend it).
SIZE_CLASSES: dict[str, str] = {c.code: c.label_nl for c in code_list("employer_size")}
# Agreements with an employer, kept in Employer.agreements (JSON).
AGREEMENT_FLAGS: dict[str, str] = {
    "sroi": "Social return (SROI)",
    "banenafspraak": "Banenafspraak",
    "proefplaatsing": "Proefplaatsing mogelijk",
}
VACANCY_STATUSES = ("open", "gesloten", "alle")
MAX_SKILLS = 20
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _postcode(f: Fields, name: str, label: str) -> str | None:
    return f.postcode(name, label)


def _choices(f: Fields, name: str, label: str, allowed: Sequence[str]) -> list[str]:
    raw = f.data.get(name)
    values = [raw] if isinstance(raw, str) else list(raw or [])
    chosen = [str(v).strip() for v in values if str(v).strip()]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        f.fail(name, f"{label}: onbekende keuze '{unknown[0][:40]}'.")
        return []
    return [v for v in allowed if v in chosen]


# --- employers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployerRow:
    employer: Employer
    open_vacancies: int
    vacancies: int


def search_employers(
    session: Session, *, today: date, q: str = "", sector: str = ""
) -> list[EmployerRow]:
    """Employers whose name contains ``q`` (or whose sector is ``sector``), by name, with
    their number of vacancies and of vacancies open today."""
    query = select(Employer)
    text = q.strip()
    if text:
        sectors = [c.code for c in code_list("sector") if text.lower() in c.label_nl.lower()]
        query = query.where(
            or_(Employer.name.ilike(f"%{text}%"), Employer.sector.in_(sectors))
            if sectors
            else Employer.name.ilike(f"%{text}%")
        )
    if sector:
        query = query.where(Employer.sector == sector)
    employers = list(session.scalars(query.order_by(Employer.name, Employer.id).limit(500)))
    ids = [e.id for e in employers]
    totals: dict[int, tuple[int, int]] = {}
    if ids:
        rows = session.execute(
            select(
                Vacancy.employer_id,
                func.count(),
                func.sum(case((vacancy_open_on(today), 1), else_=0)),
            )
            .where(Vacancy.employer_id.in_(ids))
            .group_by(Vacancy.employer_id)
        )
        totals = {eid: (int(total), int(open_ or 0)) for eid, total, open_ in rows}
    return [
        EmployerRow(e, totals.get(e.id, (0, 0))[1], totals.get(e.id, (0, 0))[0]) for e in employers
    ]


def employer_form_values(employer: Employer) -> dict[str, Any]:
    """An employer as form values (for the edit form)."""
    agreements = employer.agreements or {}
    values: dict[str, Any] = {
        "name": employer.name,
        "sector": employer.sector,
        "size_class": employer.size_class or "",
        "contact_person": employer.contact_person or "",
        "contact_email": employer.contact_email or "",
        "postcode": employer.postcode or "",
        "city": employer.city or "",
        "banenafspraak_plaatsen": agreements.get("banenafspraak_plaatsen") or "",
        "agreements_note": agreements.get("note") or "",
    }
    for flag in AGREEMENT_FLAGS:
        values[flag] = "on" if agreements.get(flag) else ""
    return values


def save_employer(
    session: Session, user: User, data: Mapping[str, Any], employer: Employer | None = None
) -> Employer:
    """Create (``employer`` None) or update an employer; nothing is written on any error."""
    f = Fields(data)
    name = f.text("name", "Naam", required=True, max_length=160)
    sector = f.code("sector", "Sector", "sector", required=True)
    size = f.text("size_class", "Grootte", max_length=10)
    # An imported size code outside the list may stay as it is, but not be chosen anew.
    if size is not None and size not in SIZE_CLASSES and size != (employer and employer.size_class):
        f.fail("size_class", "Grootte: kies klein, midden of groot.")
    contact = f.text("contact_person", "Contactpersoon", max_length=120)
    email = f.text("contact_email", "E-mail contactpersoon", max_length=120)
    if email is not None and not _EMAIL.fullmatch(email):
        f.fail("contact_email", "E-mail contactpersoon is geen geldig e-mailadres.")
    postcode = _postcode(f, "postcode", "Postcode")
    city = f.text("city", "Plaats", max_length=80)
    places = f.integer("banenafspraak_plaatsen", "Toegezegde banenafspraakplaatsen", minimum=0,
                       maximum=1000)  # fmt: skip
    note = f.text("agreements_note", "Toelichting afspraken", max_length=1000)
    agreements: dict[str, Any] = {flag: f.flag(flag) for flag in AGREEMENT_FLAGS}
    if places is not None:
        if not agreements["banenafspraak"] and places > 0:
            f.fail(
                "banenafspraak_plaatsen", "Plaatsen toegezegd zonder banenafspraak aan te vinken."
            )
        agreements["banenafspraak_plaatsen"] = places
    if note is not None:
        agreements["note"] = note
    f.raise_if_invalid()
    action = "UPDATE"
    if employer is None:
        employer = Employer(name=name, sector=sector, accountmanager_id=user.id)
        session.add(employer)
        action = "CREATE"
    employer.name = str(name)
    employer.sector = str(sector)
    employer.size_class = size
    employer.contact_person = contact
    employer.contact_email = email
    employer.postcode = postcode
    employer.city = city
    employer.agreements = agreements
    session.flush()
    record_change(session, user, action, "employer", employer.id, purpose="Werkgever")
    return employer


# --- vacancies ------------------------------------------------------------------------------


def is_open_on(vacancy: Vacancy, day: date) -> bool:
    return vacancy.opened_on <= day and (vacancy.closed_on is None or vacancy.closed_on >= day)


@dataclass(frozen=True)
class VacancyRow:
    vacancy: Vacancy
    is_open: bool
    proposals: int


def list_vacancies(
    session: Session, *, today: date, status: str = "open", employer_id: int | None = None
) -> list[VacancyRow]:
    """Vacancies (open today, closed, or all), newest first, with their number of proposals."""
    query = select(Vacancy).options(joinedload(Vacancy.employer))
    if status == "open":
        query = query.where(vacancy_open_on(today))
    elif status == "gesloten":
        query = query.where(Vacancy.closed_on < today)
    if employer_id is not None:
        query = query.where(Vacancy.employer_id == employer_id)
    vacancies = list(
        session.scalars(query.order_by(Vacancy.opened_on.desc(), Vacancy.id.desc()).limit(500))
    )
    ids = [v.id for v in vacancies]
    counts: dict[int, int] = {}
    if ids:
        counts = dict(
            session.execute(
                select(Proposal.vacancy_id, func.count())
                .where(Proposal.vacancy_id.in_(ids))
                .group_by(Proposal.vacancy_id)
            ).all()
        )
    return [VacancyRow(v, is_open_on(v, today), counts.get(v.id, 0)) for v in vacancies]


def load_vacancy(session: Session, vacancy_id: int) -> Vacancy | None:
    return session.get(Vacancy, vacancy_id, options=[joinedload(Vacancy.employer)])


def vacancy_requirements(vacancy: Vacancy) -> dict[str, Any]:
    """The requirements JSON normalised: shifts/night folded into ``physical_demands``."""
    req = dict(vacancy.requirements or {})
    demands = set(req.get("physical_demands") or [])
    if req.get("shifts"):
        demands.add("SHIFTS")
    if req.get("night"):
        demands.add("NIGHT")
    return {
        "education_min": req.get("education_min") or "",
        "language_min": req.get("language_min") or "",
        "skills": [str(s) for s in req.get("skills") or []],
        "driving_licence": bool(req.get("driving_licence")),
        "physical_demands": [d for d in DEMANDS if d in demands],
        "days": [d for d in DAYS if d in set(req.get("days") or [])],
    }


def vacancy_form_values(vacancy: Vacancy) -> dict[str, Any]:
    req = vacancy_requirements(vacancy)
    return {
        "employer_id": str(vacancy.employer_id),
        "title": vacancy.title,
        "occupation": vacancy.occupation or "",
        "sector": vacancy.sector,
        "hours_per_week": str(vacancy.hours_per_week),
        "postcode": vacancy.postcode or "",
        "start_date": vacancy.start_date.isoformat() if vacancy.start_date else "",
        "opened_on": vacancy.opened_on.isoformat(),
        "closed_on": vacancy.closed_on.isoformat() if vacancy.closed_on else "",
        "education_min": req["education_min"],
        "language_min": req["language_min"],
        "skills": ", ".join(req["skills"]),
        "driving_licence": "on" if req["driving_licence"] else "",
        "physical_demands": req["physical_demands"],
        "days": req["days"],
        "suitable_for_lks": "on" if vacancy.suitable_for_lks else "",
        "suitable_for_garantiebaan": "on" if vacancy.suitable_for_garantiebaan else "",
    }


def save_vacancy(
    session: Session,
    user: User,
    data: Mapping[str, Any],
    *,
    today: date,
    vacancy: Vacancy | None = None,
) -> Vacancy:
    """Create (``vacancy`` None) or update a vacancy with its requirements; nothing is written
    on any error. An empty postcode takes the employer's; an empty opening date is today."""
    f = Fields(data)
    employer_id = f.identifier("employer_id", "Werkgever", required=True)
    employer = session.get(Employer, employer_id) if employer_id is not None else None
    if employer_id is not None and employer is None:
        f.fail("employer_id", "Onbekende werkgever.")
    title = f.text("title", "Functietitel", required=True, max_length=160)
    occupation = f.text("occupation", "Beroep", required=True, max_length=120)
    sector = f.code("sector", "Sector", "sector", required=True)
    hours = f.integer("hours_per_week", "Uren per week", required=True, minimum=1, maximum=60)
    postcode = _postcode(f, "postcode", "Postcode werklocatie")
    start = f.date("start_date", "Startdatum")
    opened = f.date("opened_on", "Open sinds") or (vacancy.opened_on if vacancy else today)
    closed = f.date("closed_on", "Gesloten op")
    if closed is not None and closed < opened:
        f.fail("closed_on", "Sluitingsdatum ligt vóór de openingsdatum.")
    education = f.code("education_min", "Minimale opleiding", "education_level")
    language = f.code("language_min", "Minimaal taalniveau Nederlands", "language_level")
    skills_text = f.text("skills", "Vaardigheden", max_length=1000) or ""
    skills = sorted({s.strip() for s in skills_text.split(",") if s.strip()})
    if len(skills) > MAX_SKILLS:
        f.fail("skills", f"Vaardigheden: maximaal {MAX_SKILLS}.")
    if any(len(s) > 60 for s in skills):
        f.fail("skills", "Vaardigheden: elk maximaal 60 tekens.")
    demands = _choices(f, "physical_demands", "Fysieke eisen en werktijden", DEMANDS)
    days = _choices(f, "days", "Werkdagen", DAYS)
    f.raise_if_invalid()
    assert employer is not None and sector is not None and hours is not None
    requirements: dict[str, Any] = {
        "education_min": education,
        "language_min": language,
        "skills": skills,
        "driving_licence": f.flag("driving_licence"),
        "physical_demands": demands,
    }
    if days:
        requirements["days"] = days
    action = "UPDATE"
    if vacancy is None:
        vacancy = Vacancy(employer_id=employer.id, title=title, sector=sector, opened_on=opened,
                          hours_per_week=hours)  # fmt: skip
        session.add(vacancy)
        action = "CREATE"
    vacancy.employer_id = employer.id
    vacancy.title = str(title)
    vacancy.occupation = occupation
    vacancy.sector = sector
    vacancy.hours_per_week = hours
    vacancy.postcode = postcode or employer.postcode
    vacancy.start_date = start
    vacancy.opened_on = opened
    vacancy.closed_on = closed
    vacancy.requirements = requirements
    vacancy.suitable_for_lks = f.flag("suitable_for_lks")
    vacancy.suitable_for_garantiebaan = f.flag("suitable_for_garantiebaan")
    session.flush()
    record_change(session, user, action, "vacancy", vacancy.id, purpose="Vacature")
    return vacancy
