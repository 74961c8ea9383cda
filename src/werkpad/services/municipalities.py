"""The municipalities of a service: find one by CBS code or name, move a dossier between two of
them, say which municipalities a team serves and which one a user is limited to.

A single-municipality installation has one (the default, created on first write); nothing here
is needed for it. Callers commit (one transaction per use case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.services.dossiers import new_dossier_number
from werkpad.store.models import (
    BenefitDossier,
    BenefitSpell,
    DossierMember,
    Municipality,
    MunicipalityFte,
    TeamMunicipality,
    User,
)

MOVED = "MOVED"  # benefit end reason "Verhuizing naar andere gemeente"
MOVED_IN = "MOVED_IN"  # benefit inflow reason "Verhuizing vanuit andere gemeente/land"


@dataclass(frozen=True)
class MunicipalityRow:
    id: int
    name: str
    cbs_code: str | None
    is_default: bool

    @property
    def label(self) -> str:
        return f"{self.name} ({self.cbs_code})" if self.cbs_code else self.name


def normalise_code(text: str) -> str:
    """A CBS municipality code as its 4 digits: ``GM0534``, ``gm534`` and ``534`` are 0534."""
    value = text.strip().upper().removeprefix("GM")
    return value.zfill(4) if value.isdigit() and len(value) <= 4 else ""


def municipalities(session: Session) -> list[MunicipalityRow]:
    """The service's municipalities in name order."""
    rows = session.scalars(select(Municipality).order_by(Municipality.name, Municipality.id))
    return [MunicipalityRow(m.id, m.name, m.cbs_code, bool(m.is_default)) for m in rows]


def list_municipalities(engine: Engine) -> list[MunicipalityRow]:
    with Session(engine) as session:
        return municipalities(session)


def find_municipality(rows: list[MunicipalityRow], text: str) -> MunicipalityRow | None:
    """The municipality named by ``text``: its CBS code (``0534``, ``GM0534``) or its name
    (case and a leading "Gemeente" ignored)."""
    code = normalise_code(text)
    if code:
        return next((m for m in rows if m.cbs_code == code), None)
    wanted = text.strip().casefold().removeprefix("gemeente ").strip()
    return next(
        (m for m in rows if m.name.casefold().removeprefix("gemeente ").strip() == wanted), None
    )


def unknown_municipality_message(text: str, rows: list[MunicipalityRow]) -> str:
    known = ", ".join(m.label for m in rows) or "geen"
    return f"Onbekende gemeente '{text}'. Bekend: {known}."


def resolve_municipality(engine: Engine, text: str | None) -> MunicipalityRow | None:
    """``None`` for no choice (the service as a whole); ``ValueError`` in Dutch when unknown."""
    if text is None or not text.strip():
        return None
    rows = list_municipalities(engine)
    found = find_municipality(rows, text)
    if found is None:
        raise ValueError(unknown_municipality_message(text, rows))
    return found


def add_municipality(session: Session, name: str, cbs_code: str | None) -> Municipality:
    """A new municipality of the service; the first becomes the default."""
    errors = []
    clean = name.strip()
    if not clean:
        errors.append(FieldError("name", "Vul de naam van de gemeente in."))
    code = normalise_code(cbs_code) if cbs_code else None
    if cbs_code and not code:
        errors.append(FieldError("cbs_code", "De CBS-gemeentecode bestaat uit 4 cijfers."))
    existing = municipalities(session)
    if any(m.name.casefold() == clean.casefold() for m in existing):
        errors.append(FieldError("name", "Deze gemeente bestaat al."))
    if code and any(m.cbs_code == code for m in existing):
        errors.append(FieldError("cbs_code", "Deze CBS-gemeentecode is al in gebruik."))
    if errors:
        raise ValidationFailed(errors)
    place = Municipality(name=clean, cbs_code=code, is_default=not existing)
    session.add(place)
    session.flush()
    return place


def set_team_municipalities(session: Session, team_id: int, municipality_ids: list[int]) -> None:
    """The municipalities team ``team_id`` serves (replacing the previous choice)."""
    known = {m.id for m in municipalities(session)}
    unknown = [i for i in municipality_ids if i not in known]
    if unknown:
        raise ValidationFailed([FieldError("municipalities", "Onbekende gemeente gekozen.")])
    session.execute(delete(TeamMunicipality).where(TeamMunicipality.team_id == team_id))
    for place in sorted(set(municipality_ids)):
        session.add(TeamMunicipality(team_id=team_id, municipality_id=place))


def set_user_scope(session: Session, user_id: int, municipality_id: int | None) -> None:
    """Limit a user to one municipality's figures and lists (``None``: the whole service)."""
    user = session.get(User, user_id)
    if user is None:
        raise ValidationFailed([FieldError("user", "Onbekende gebruiker.")])
    if municipality_id is not None and session.get(Municipality, municipality_id) is None:
        raise ValidationFailed([FieldError("municipality", "Onbekende gemeente.")])
    user.municipality_id = municipality_id


def user_scope(session: Session, user_id: int) -> int | None:
    """The municipality a user is limited to, or ``None`` for the whole service."""
    return session.scalar(select(User.municipality_id).where(User.id == user_id))


def move_dossier(
    session: Session, dossier_id: int, to_municipality_id: int, moved_on: date
) -> BenefitDossier:
    """A move between two municipalities of the service: the running spells of the dossier end
    the day before ``moved_on`` with end reason "Verhuizing naar andere gemeente" and the
    dossier closes; a linked dossier in the other municipality opens on ``moved_on`` with the
    same members, each with a new spell (same benefit type and amount, inflow reason "Verhuizing
    vanuit andere gemeente"). Each municipality counts outflow and inflow; the service neither.
    """
    dossier = session.get(BenefitDossier, dossier_id)
    target = session.get(Municipality, to_municipality_id)
    errors = []
    if dossier is None:
        raise ValidationFailed([FieldError("dossier", "Onbekend dossier.")])
    if target is None:
        errors.append(FieldError("municipality", "Onbekende gemeente."))
    elif target.id == dossier.municipality_id:
        errors.append(FieldError("municipality", "Het dossier hoort al bij deze gemeente."))
    if dossier.closed_on is not None:
        errors.append(FieldError("dossier", "Dit dossier is gesloten."))
    if moved_on <= dossier.opened_on:
        errors.append(FieldError("moved_on", "De verhuisdatum ligt na de opening van het dossier."))
    spells = list(
        session.scalars(
            select(BenefitSpell).where(
                BenefitSpell.dossier_id == dossier.id, BenefitSpell.end_date.is_(None)
            )
        )
    )
    if not spells:
        errors.append(FieldError("dossier", "Dit dossier heeft geen lopende uitkering."))
    if any(s.start_date >= moved_on for s in spells):
        errors.append(FieldError("moved_on", "De verhuisdatum ligt na de start van de uitkering."))
    if errors:
        raise ValidationFailed(errors)
    assert target is not None
    last_day = moved_on - timedelta(days=1)
    successor = BenefitDossier(
        dossier_number=new_dossier_number(moved_on),
        opened_on=moved_on,
        municipality_id=target.id,
        moved_from_dossier_id=dossier.id,
    )
    session.add(successor)
    members = list(
        session.scalars(select(DossierMember).where(DossierMember.dossier_id == dossier.id))
    )
    for member in members:
        session.add(
            DossierMember(
                dossier=successor, candidate_id=member.candidate_id, member_role=member.member_role
            )
        )
    for spell in spells:
        spell.end_date = last_day
        spell.end_reason = MOVED
        session.add(
            BenefitSpell(
                candidate_id=spell.candidate_id,
                dossier=successor,
                benefit_type=spell.benefit_type,
                application_date=moved_on,
                start_date=moved_on,
                monthly_amount=spell.monthly_amount,
                inflow_reason=MOVED_IN,
            )
        )
    dossier.closed_on = last_day
    session.flush()
    return successor


def update_municipality(
    session: Session, municipality_id: int, name: str, cbs_code: str | None
) -> Municipality:
    """A new name and CBS code for a municipality (both validated as when adding one)."""
    place = session.get(Municipality, municipality_id)
    if place is None:
        raise ValidationFailed([FieldError("municipality", "Onbekende gemeente.")])
    errors = []
    clean = name.strip()
    if not clean:
        errors.append(FieldError("name", "Vul de naam van de gemeente in."))
    code = normalise_code(cbs_code) if cbs_code and cbs_code.strip() else None
    if cbs_code and cbs_code.strip() and not code:
        errors.append(FieldError("cbs_code", "De CBS-gemeentecode bestaat uit 4 cijfers."))
    others = [m for m in municipalities(session) if m.id != place.id]
    if clean and any(m.name.casefold() == clean.casefold() for m in others):
        errors.append(FieldError("name", "Deze gemeente bestaat al."))
    if code and any(m.cbs_code == code for m in others):
        errors.append(FieldError("cbs_code", "Deze CBS-gemeentecode is al in gebruik."))
    if errors:
        raise ValidationFailed(errors)
    place.name, place.cbs_code = clean, code
    session.flush()
    return place


def team_municipalities(session: Session) -> dict[int, set[int]]:
    """Per team id the ids of the municipalities it serves (teams without a choice left out)."""
    served: dict[int, set[int]] = {}
    for team_id, place in session.execute(
        select(TeamMunicipality.team_id, TeamMunicipality.municipality_id)
    ):
        served.setdefault(team_id, set()).add(place)
    return served


MAX_FTE = Decimal("999")
FIRST_FTE_YEAR, LAST_FTE_YEAR = 2000, 2100


def municipality_ftes(session: Session) -> dict[int, list[tuple[int, Decimal]]]:
    """Per municipality id its klantmanager formation per year, in year order."""
    rows = session.execute(
        select(MunicipalityFte.municipality_id, MunicipalityFte.year, MunicipalityFte.fte).order_by(
            MunicipalityFte.municipality_id, MunicipalityFte.year
        )
    )
    found: dict[int, list[tuple[int, Decimal]]] = {}
    for place, year, fte in rows:
        found.setdefault(place, []).append((year, fte))
    return found


def set_municipality_fte(
    session: Session, municipality_id: int, year_text: str, fte_text: str
) -> tuple[int, Decimal | None]:
    """The klantmanager FTE that works for a municipality in a year (Dutch decimals, ``6,4``);
    an empty FTE removes that year's figure. Returns the year and the FTE stored."""
    if session.get(Municipality, municipality_id) is None:
        raise ValidationFailed([FieldError("municipality", "Onbekende gemeente.")])
    errors = []
    year_clean = year_text.strip()
    year = int(year_clean) if year_clean.isdigit() and len(year_clean) == 4 else None
    if year is None or not FIRST_FTE_YEAR <= year <= LAST_FTE_YEAR:
        errors.append(
            FieldError("fte_year", f"Vul een jaar in tussen {FIRST_FTE_YEAR} en {LAST_FTE_YEAR}.")
        )
    fte: Decimal | None = None
    text = fte_text.strip().replace(" ", "")
    if text:
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            fte = Decimal(text)
        except InvalidOperation:
            fte = None
        if fte is None or not fte.is_finite() or not Decimal("0") < fte <= MAX_FTE:
            errors.append(
                FieldError("fte", f"De formatie is een getal groter dan 0 en hoogstens {MAX_FTE}.")
            )
    if errors:
        raise ValidationFailed(errors)
    assert year is not None
    fte = fte.quantize(Decimal("0.01")) if fte is not None else None
    row = session.get(MunicipalityFte, (municipality_id, year))
    if fte is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(MunicipalityFte(municipality_id=municipality_id, year=year, fte=fte))
    else:
        row.fte = fte
    session.flush()
    return year, fte
