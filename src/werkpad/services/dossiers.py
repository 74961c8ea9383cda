"""Benefit dossiers (uitkeringsdossiers) entered on screen: opened at intake, shared by two
partners, closed when every member's benefit spell has ended.

The dossier KPIs (``caseload_flows``, ``divosa_outflow_rate``, ``cohort_outflow_*``) count
dossiers by their applicant, so a partner in the same dossier is counted once. A spell without
benefit (NUO) never has a dossier. Callers commit.
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.store.models import BenefitDossier, BenefitSpell, Candidate, DossierMember

APPLICANT = "APPLICANT"
PARTNER = "PARTNER"


def is_benefit(benefit_type: str | None) -> bool:
    """Whether a benefit type pays a benefit (bijstand, IOAW, IOAZ) rather than NUO."""
    found = code_list("benefit_type").get(benefit_type or "")
    return bool(found is not None and found.attr("is_benefit"))


def new_dossier_number(opened_on: date) -> str:
    """A dossier number for a dossier opened on screen: ``W2026-`` and 8 random hex digits.

    Random rather than a counter so two intakes at the same moment never collide; the income
    administration's own number replaces it when an import reconciles the dossier.
    """
    return f"W{opened_on.year}-{uuid4().hex[:8].upper()}"


def open_dossier(
    session: Session,
    applicant: Candidate,
    spell: BenefitSpell,
    *,
    partner: Candidate | None = None,
    partner_spell: BenefitSpell | None = None,
) -> BenefitDossier:
    """Open a dossier for ``spell`` with ``applicant`` (and ``partner``) as members."""
    dossier = BenefitDossier(
        dossier_number=new_dossier_number(spell.start_date),
        opened_on=spell.start_date,
        closed_on=spell.end_date,
    )
    session.add(dossier)
    session.add(DossierMember(dossier=dossier, candidate=applicant, member_role=APPLICANT))
    spell.dossier = dossier
    if partner is not None:
        session.add(DossierMember(dossier=dossier, candidate=partner, member_role=PARTNER))
        if partner_spell is not None:
            partner_spell.dossier = dossier
    return dossier


def joinable_dossier(session: Session, dossier_number: str | None) -> BenefitDossier | None:
    if not dossier_number:
        return None
    return session.scalar(
        select(BenefitDossier).where(BenefitDossier.dossier_number == dossier_number.strip())
    )


def check_joinable(
    session: Session, dossier_number: str, *, team_id: int | None, field: str
) -> BenefitDossier:
    """The open dossier a new partner may join, or ``ValidationFailed`` saying why not: it
    must exist, be open, belong to a candidate of the same team and have no partner yet."""
    dossier = joinable_dossier(session, dossier_number)
    members = (
        list(session.scalars(select(DossierMember).where(DossierMember.dossier_id == dossier.id)))
        if dossier is not None
        else []
    )
    applicant = next((m for m in members if m.member_role == APPLICANT), None)
    if dossier is None or applicant is None or applicant.candidate.team_id != team_id:
        raise ValidationFailed([FieldError(field, "Onbekend dossiernummer.")])
    if dossier.closed_on is not None:
        raise ValidationFailed([FieldError(field, "Dit dossier is gesloten.")])
    if any(m.member_role == PARTNER for m in members):
        raise ValidationFailed([FieldError(field, "Dit dossier heeft al een partner.")])
    return dossier


def join_dossier(
    session: Session, dossier: BenefitDossier, partner: Candidate, spell: BenefitSpell
) -> None:
    """Add ``partner`` (with their spell) to an open dossier checked by ``check_joinable``."""
    session.add(DossierMember(dossier=dossier, candidate=partner, member_role=PARTNER))
    spell.dossier = dossier


def close_dossier_when_ended(session: Session, spell: BenefitSpell) -> BenefitDossier | None:
    """Close the spell's dossier on the last end date once every spell in it has ended (the
    synthetic municipality's rule); a dossier with a running spell stays open."""
    if spell.dossier_id is None:
        return None
    session.flush()
    spells = list(
        session.scalars(select(BenefitSpell).where(BenefitSpell.dossier_id == spell.dossier_id))
    )
    dossier = session.get(BenefitDossier, spell.dossier_id)
    assert dossier is not None
    ends = [s.end_date for s in spells]
    dossier.closed_on = None if any(e is None for e in ends) else max(e for e in ends if e)
    return dossier


def open_dossier_for_new_spell(
    session: Session, candidate: Candidate, spell: BenefitSpell
) -> BenefitDossier | None:
    """A return to benefit opens a new dossier with the candidate as applicant (NUO: none)."""
    if not is_benefit(spell.benefit_type):
        return None
    return open_dossier(session, candidate, spell)
