"""The caseload list: one page of candidates with their latest segment, trede and route.

Everything a row shows comes from one SELECT with correlated subqueries, plus one COUNT, so the
number of queries does not grow with the page size (no N+1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from werkpad.domain.normalise import age_on, pad_bsn
from werkpad.services.access import candidate_scope
from werkpad.store.models import (
    Assessment,
    BenefitDossier,
    BenefitSpell,
    Candidate,
    Contact,
    DossierMember,
    Route,
    User,
)

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class CaseloadFilter:
    q: str | None = None
    segment: str | None = None
    trede: int | None = None
    open_route: bool | None = None
    klantmanager_id: int | None = None
    in_service_only: bool = False
    page: int = 1
    page_size: int = 25


@dataclass(frozen=True)
class CaseloadRow:
    id: int
    name: str
    birth_date: date
    age: int
    segment: str | None
    trede: int | None
    open_route_type: str | None
    last_contact: date | None
    days_since_contact: int | None
    klantmanager_id: int | None
    klantmanager_name: str | None


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseloadRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _latest_assessment(column: Any) -> Any:
    return (
        select(column)
        .where(Assessment.candidate_id == Candidate.id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
        .correlate(Candidate)
        .scalar_subquery()
    )


def in_service_on(day: date) -> ColumnElement[bool]:
    """In the caseload on ``day``: a benefit or NUO registration running (own or as partner in
    an open dossier), or a route open then.

    Candidates who left (benefit ended, no open route) stay findable with the filter "alle",
    but they are not part of anyone's working caseload.
    """
    spell_running = exists().where(
        BenefitSpell.candidate_id == Candidate.id,
        BenefitSpell.start_date <= day,
        or_(BenefitSpell.end_date.is_(None), BenefitSpell.end_date > day),
    )
    route_open = exists().where(
        Route.candidate_id == Candidate.id,
        Route.start_date <= day,
        or_(Route.end_date.is_(None), Route.end_date > day),
    )
    in_open_dossier = exists().where(
        DossierMember.candidate_id == Candidate.id,
        DossierMember.dossier_id == BenefitDossier.id,
        BenefitDossier.opened_on <= day,
        or_(BenefitDossier.closed_on.is_(None), BenefitDossier.closed_on > day),
    )
    return or_(spell_running, route_open, in_open_dossier)


def _search_condition(q: str) -> ColumnElement[bool]:
    digits = pad_bsn(q)
    if digits.isdigit() and len(digits) >= 3:
        return Candidate.bsn.startswith(digits) if len(digits) < 9 else Candidate.bsn == digits
    pattern = f"%{q.strip().lower()}%"
    full_name = func.lower(Candidate.first_name + " " + Candidate.last_name)
    return or_(full_name.like(pattern), func.lower(Candidate.last_name).like(pattern))


def list_caseload(
    session: Session, user: User, flt: CaseloadFilter, *, today: date | None = None
) -> CaseloadPage:
    """The page ``flt.page`` of the candidates ``user`` may see, filtered and sorted by name."""
    today = today or date.today()
    page_size = min(max(flt.page_size, 1), MAX_PAGE_SIZE)
    page = max(flt.page, 1)
    segment = _latest_assessment(Assessment.segment).label("segment")
    trede = _latest_assessment(Assessment.ladder_step).label("trede")
    open_route_type = (
        select(Route.route_type)
        .where(Route.candidate_id == Candidate.id, Route.end_date.is_(None))
        .order_by(Route.start_date.desc(), Route.id.desc())
        .limit(1)
        .correlate(Candidate)
        .scalar_subquery()
        .label("open_route_type")
    )
    last_contact = (
        select(func.max(Contact.contact_date))
        .where(Contact.candidate_id == Candidate.id)
        .correlate(Candidate)
        .scalar_subquery()
        .label("last_contact")
    )
    conditions: list[ColumnElement[bool]] = [candidate_scope(user)]
    if flt.q and flt.q.strip():
        conditions.append(_search_condition(flt.q.strip()))
    if flt.segment:
        conditions.append(_latest_assessment(Assessment.segment) == flt.segment)
    if flt.trede is not None:
        conditions.append(_latest_assessment(Assessment.ladder_step) == flt.trede)
    if flt.open_route is not None:
        has_open = exists().where(Route.candidate_id == Candidate.id, Route.end_date.is_(None))
        conditions.append(has_open if flt.open_route else ~has_open)
    if flt.klantmanager_id is not None:
        conditions.append(Candidate.klantmanager_id == flt.klantmanager_id)
    if flt.in_service_only:
        conditions.append(in_service_on(today))

    total = session.scalar(select(func.count(Candidate.id)).where(*conditions)) or 0
    rows = session.execute(
        select(
            Candidate.id,
            Candidate.first_name,
            Candidate.last_name,
            Candidate.birth_date,
            Candidate.klantmanager_id,
            User.full_name,
            segment,
            trede,
            open_route_type,
            last_contact,
        )
        .outerjoin(User, User.id == Candidate.klantmanager_id)
        .where(*conditions)
        .order_by(Candidate.last_name, Candidate.first_name, Candidate.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return CaseloadPage(
        rows=[
            CaseloadRow(
                id=r.id,
                name=f"{r.first_name} {r.last_name}",
                birth_date=r.birth_date,
                age=age_on(r.birth_date, today),
                segment=r.segment,
                trede=r.trede,
                open_route_type=r.open_route_type,
                last_contact=r.last_contact,
                days_since_contact=(today - r.last_contact).days if r.last_contact else None,
                klantmanager_id=r.klantmanager_id,
                klantmanager_name=r.full_name,
            )
            for r in rows
        ],
        total=int(total),
        page=page,
        page_size=page_size,
    )


def team_klantmanagers(session: Session, user: User) -> list[User]:
    """The active klantmanagers of the user's team, for the caseload filter."""
    if user.team_id is None:
        return []
    return list(
        session.scalars(
            select(User)
            .where(User.team_id == user.team_id, User.role == "KLANTMANAGER", User.active)
            .order_by(User.full_name)
        )
    )
