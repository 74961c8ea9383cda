"""A partner added to an existing benefit dossier after the intake (someone moves in, or the
intake forgot the partner).

The partner is either a new person (BSN, name, birth date, sex; checked as at intake, sharing
the applicant's address and benefit type) or a candidate already registered in the team who is
in no open dossier: their running benefit spell joins the dossier, or a new spell of the
dossier's benefit type starts on the date the partner joins. A dossier has at most one partner;
NUO registrations have no dossier. Bad input raises ``ValidationFailed`` with Dutch messages at
the ``partner_*`` fields and writes nothing; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.bsn import is_valid_bsn
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.normalise import pad_bsn
from werkpad.services.audit import record_change
from werkpad.services.candidates import (
    INTAKE_ROLES,
    clean_partner_after_intake,
    new_partner_registration,
)
from werkpad.services.dossiers import APPLICANT, PARTNER, is_benefit, join_dossier
from werkpad.services.fields import Fields
from werkpad.store.models import BenefitDossier, BenefitSpell, Candidate, DossierMember, User

START_FIELD = "partner_start_date"


def open_applicant_dossier(
    session: Session, applicant: Candidate
) -> tuple[BenefitDossier, BenefitSpell] | None:
    """The open dossier in which ``applicant`` is the applicant, with their running spell."""
    row = session.execute(
        select(BenefitDossier, BenefitSpell)
        .join(DossierMember, DossierMember.dossier_id == BenefitDossier.id)
        .join(BenefitSpell, BenefitSpell.dossier_id == BenefitDossier.id)
        .where(
            DossierMember.candidate_id == applicant.id,
            DossierMember.member_role == APPLICANT,
            BenefitDossier.closed_on.is_(None),
            BenefitSpell.candidate_id == applicant.id,
            BenefitSpell.end_date.is_(None),
        )
        .order_by(BenefitDossier.opened_on.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row is not None else None


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])


def add_partner(
    session: Session,
    user: User,
    applicant: Candidate,
    data: Mapping[str, Any],
    *,
    today: date,
) -> Candidate:
    """Add a partner to the open dossier of ``applicant`` (see the module docstring); returns
    the partner."""
    if user.role not in INTAKE_ROLES or user.team_id is None:
        raise _fail(
            "partner_bsn",
            "Alleen een klantmanager of teamleider van een team voegt een partner toe.",
        )
    found = open_applicant_dossier(session, applicant)
    if found is None:
        raise _fail(
            "partner_bsn",
            "Deze kandidaat is geen aanvrager van een open uitkeringsdossier; bij NUO hoort "
            "geen dossier en dus geen partner.",
        )
    dossier, spell = found
    if not is_benefit(spell.benefit_type):
        raise _fail("partner_bsn", "Bij NUO hoort geen uitkeringsdossier.")
    members = session.scalars(
        select(DossierMember).where(DossierMember.dossier_id == dossier.id)
    ).all()
    if any(m.member_role == PARTNER for m in members):
        raise _fail("partner_bsn", "Dit dossier heeft al een partner.")

    f = Fields(data)
    start = f.date(START_FIELD, "Partner in het dossier vanaf", required=True)
    if start is not None:
        if start < dossier.opened_on:
            f.fail(
                START_FIELD,
                f"Deze datum ligt vóór de opening van het dossier ({dossier.opened_on:%d-%m-%Y}).",
            )
        elif start > today:
            f.fail(START_FIELD, "Deze datum ligt in de toekomst.")
    raw_bsn = str(data.get("partner_bsn") or "").strip()
    bsn = pad_bsn(raw_bsn) if raw_bsn else ""
    known = (
        session.scalar(select(Candidate).where(Candidate.bsn == bsn)) if is_valid_bsn(bsn) else None
    )
    if known is not None:
        partner = _known_partner(session, f, known, applicant)
        f.raise_if_invalid()
        assert start is not None and partner is not None
        running = [s for s in partner.benefit_spells if s.end_date is None and s.dossier_id is None]
        partner_spell = running[0] if running else None
        if partner_spell is None:
            partner_spell = BenefitSpell(
                candidate_id=partner.id, benefit_type=spell.benefit_type, start_date=start
            )
            session.add(partner_spell)
    else:
        assert start is not None or f.errors
        values, errors = clean_partner_after_intake(data, applicant, spell, start or today, today)
        for error in errors:
            f.fail(error.field, error.message)
        f.raise_if_invalid()
        partner, partner_spell = new_partner_registration(
            values, user, applicant.klantmanager_id, today
        )
        partner.team_id = applicant.team_id
        session.add_all([partner, partner_spell])
    join_dossier(session, dossier, partner, partner_spell)
    session.flush()
    record_change(
        session,
        user,
        "UPDATE",
        "benefit_dossier",
        dossier.id,
        purpose=f"Partner toegevoegd aan dossier (kandidaat {partner.id})",
    )
    return partner


def _known_partner(
    session: Session, f: Fields, known: Candidate, applicant: Candidate
) -> Candidate | None:
    """A registered candidate may become the partner when they are someone else in the same
    team, in no open dossier, and without a running NUO registration."""
    if known.id == applicant.id:
        f.fail("partner_bsn", "De partner heeft een ander BSN dan de aanvrager.")
        return None
    if known.team_id != applicant.team_id:
        f.fail("partner_bsn", "Er is al een kandidaat met dit BSN in een ander team.")
        return None
    in_open = session.scalar(
        select(DossierMember.dossier_id)
        .join(BenefitDossier, BenefitDossier.id == DossierMember.dossier_id)
        .where(DossierMember.candidate_id == known.id, BenefitDossier.closed_on.is_(None))
        .limit(1)
    )
    if in_open is not None:
        f.fail("partner_bsn", "Deze persoon staat al in een ander open uitkeringsdossier.")
        return None
    if any(s.end_date is None and not is_benefit(s.benefit_type) for s in known.benefit_spells):
        f.fail(
            "partner_bsn",
            "Deze persoon heeft een lopende NUO-registratie; beëindig die eerst.",
        )
        return None
    return known
