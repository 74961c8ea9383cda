"""The complete file of one candidate, loaded with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from werkpad.services.appointments import appointments_of_candidate
from werkpad.services.corrections import correctable_records, corrections_of
from werkpad.services.documents import all_documents, notes_of_candidate, visible_types
from werkpad.services.outbox import email_opted_out
from werkpad.services.referrals import work_profile_choices, work_profile_of
from werkpad.store.models import (
    BenefitDossier,
    Candidate,
    Contact,
    DossierMember,
    Exemption,
    Placement,
    Provision,
    Referral,
    Route,
)


@dataclass(frozen=True)
class DossierView:
    dossier: BenefitDossier
    role: str
    partners: list[Candidate]


@dataclass(frozen=True)
class CandidateFile:
    candidate: Candidate
    dossiers: list[DossierView]
    exemptions: list[Exemption]
    contacts: list[Contact]
    placements: list[Placement]

    @property
    def routes(self) -> list[Route]:
        return list(self.candidate.routes)


def mask_bsn(bsn: str) -> str:
    """Only the last three digits are shown: ``******123``."""
    return "*" * (len(bsn) - 3) + bsn[-3:]


def route_options() -> list[Any]:
    return [
        selectinload(Route.provisions).options(
            joinedload(Provision.provision_type), joinedload(Provision.provider)
        )
    ]


def load_candidate_file(session: Session, candidate: Candidate) -> CandidateFile:
    """Everything the candidate file page shows, with eager loading (no lazy loads later)."""
    loaded = session.scalars(
        select(Candidate)
        .where(Candidate.id == candidate.id)
        .options(
            joinedload(Candidate.team),
            joinedload(Candidate.klantmanager),
            selectinload(Candidate.benefit_spells),
            selectinload(Candidate.assessments),
            selectinload(Candidate.routes).options(*route_options()),
        )
        .execution_options(populate_existing=True)
    ).one()
    memberships = session.scalars(
        select(DossierMember)
        .where(DossierMember.candidate_id == candidate.id)
        .options(
            joinedload(DossierMember.dossier)
            .selectinload(BenefitDossier.members)
            .joinedload(DossierMember.candidate)
        )
    ).all()
    dossiers = [
        DossierView(
            dossier=m.dossier,
            role=m.member_role,
            partners=[o.candidate for o in m.dossier.members if o.candidate_id != candidate.id],
        )
        for m in memberships
    ]
    exemptions = session.scalars(
        select(Exemption)
        .where(Exemption.candidate_id == candidate.id)
        .order_by(Exemption.start_date)
    ).all()
    contacts = session.scalars(
        select(Contact)
        .where(Contact.candidate_id == candidate.id)
        .options(joinedload(Contact.user))
        .order_by(Contact.contact_date.desc(), Contact.id.desc())
    ).all()
    placements = session.scalars(
        select(Placement)
        .where(Placement.candidate_id == candidate.id)
        .options(joinedload(Placement.employer), selectinload(Placement.instruments))
        .order_by(Placement.start_date)
    ).all()
    return CandidateFile(loaded, dossiers, list(exemptions), list(contacts), list(placements))


def load_route(session: Session, route_id: int) -> Route | None:
    return session.scalars(
        select(Route).where(Route.id == route_id).options(*route_options())
    ).one_or_none()


def routes_of_candidate(session: Session, candidate_id: int) -> list[Route]:
    return list(
        session.scalars(
            select(Route)
            .where(Route.candidate_id == candidate_id)
            .options(*route_options())
            .order_by(Route.start_date, Route.id)
        )
    )


def file_extras(
    session: Session, file: CandidateFile, referrals: Sequence[Referral] = ()
) -> dict[str, Any]:
    """What the candidate file shows beyond ``CandidateFile``: the work profile matching reads
    with the choices of its form, and the corrections ("Wijzigingen") with what can be
    corrected (three queries, whatever the size of the file)."""
    candidate = file.candidate
    return {
        "work_profile": work_profile_of(session, candidate.id),
        "profile_choices": work_profile_choices(),
        "correction_history": corrections_of(session, candidate.id),
        "correctable": correctable_records(
            session, candidate, file.contacts, file.exemptions, file.placements, referrals
        ),
        "appointments": appointments_of_candidate(session, candidate.id),
        "email_opt_out": email_opted_out(session, candidate.id),
        "notes": notes_of_candidate(session, candidate.id),
        "documents": all_documents(session, candidate.id),
        "document_types_for": visible_types,
    }
