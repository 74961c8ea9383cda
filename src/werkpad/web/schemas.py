"""Pydantic models of the JSON API (responses and the intake request)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from werkpad.domain.codelists import code_list
from werkpad.services.candidate_file import CandidateFile, mask_bsn
from werkpad.services.caseload import CaseloadRow
from werkpad.store.models import Correction, Provision, Route


class FieldMessage(BaseModel):
    field: str
    message: str


class ValidationErrorOut(BaseModel):
    detail: list[FieldMessage]


class CandidateSummary(BaseModel):
    id: int
    name: str
    age: int
    segment: str | None
    segment_label: str | None
    trede: int | None
    open_route_type: str | None
    last_contact: date | None
    days_since_contact: int | None
    klantmanager: str | None

    @classmethod
    def from_row(cls, row: CaseloadRow) -> CandidateSummary:
        return cls(
            id=row.id,
            name=row.name,
            age=row.age,
            segment=row.segment,
            segment_label=code_list("segment").label(row.segment) if row.segment else None,
            trede=row.trede,
            open_route_type=row.open_route_type,
            last_contact=row.last_contact,
            days_since_contact=row.days_since_contact,
            klantmanager=row.klantmanager_name,
        )


class CandidatePage(BaseModel):
    items: list[CandidateSummary]
    total: int
    page: int
    page_size: int


class ProvisionOut(BaseModel):
    id: int
    type_code: str
    type_name: str
    gos_code: str
    provider: str | None
    start_date: date
    end_date: date | None
    cost: Decimal | None
    result: str | None
    result_label: str | None

    @classmethod
    def of(cls, p: Provision) -> ProvisionOut:
        return cls(
            id=p.id,
            type_code=p.provision_type.code,
            type_name=p.provision_type.name,
            gos_code=p.provision_type.gos_code,
            provider=p.provider.name if p.provider else None,
            start_date=p.start_date,
            end_date=p.end_date,
            cost=p.cost,
            result=p.result,
            result_label=code_list("provision_result").label(p.result) if p.result else None,
        )


class RouteOut(BaseModel):
    id: int
    candidate_id: int
    route_type: str
    route_type_label: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    end_reason_label: str | None
    provisions: list[ProvisionOut]

    @classmethod
    def of(cls, r: Route) -> RouteOut:
        return cls(
            id=r.id,
            candidate_id=r.candidate_id,
            route_type=r.route_type,
            route_type_label=code_list("route_type").label(r.route_type),
            start_date=r.start_date,
            end_date=r.end_date,
            end_reason=r.end_reason,
            end_reason_label=(
                code_list("route_end_reason").label(r.end_reason) if r.end_reason else None
            ),
            provisions=[ProvisionOut.of(p) for p in r.provisions],
        )


class BenefitSpellOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    benefit_type: str
    start_date: date
    end_date: date | None
    end_reason: str | None


class AssessmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    assessed_on: date
    scheme: str | None
    segment: str | None
    ladder_step: int | None
    loonwaarde_pct: int | None
    reason: str


class ExemptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    exemption_type: str
    start_date: date
    end_date: date | None
    review_date: date | None


class ContactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    contact_date: date
    contact_type: str
    summary: str


class PlacementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    route_id: int | None
    start_date: date
    end_date: date | None
    job_type: str
    contract_type: str
    hours_per_week: int | None


class FollowUpOut(BaseModel):
    """A follow-up (nazorgmoment) after a work exit, with what the benefit data say."""

    id: int
    placement_id: int
    months: int
    due_date: date
    done_on: date | None
    still_working: bool | None
    back_on_benefit: bool | None
    note: str | None
    benefit_return_since: date | None = Field(
        None,
        description="start of a benefit spell after the work exit and on or before the "
        "follow-up (its due date, or the day it was done): the benefit data show a return",
    )


class CandidateDetail(BaseModel):
    id: int
    bsn_masked: str = Field(description="BSN with only the last three digits shown")
    first_name: str
    last_name: str
    birth_date: date
    sex: str
    postcode: str | None
    city: str | None
    team: str | None
    klantmanager: str | None
    registered_on: date
    benefit_spells: list[BenefitSpellOut]
    assessments: list[AssessmentOut]
    exemptions: list[ExemptionOut]
    routes: list[RouteOut]
    contacts: list[ContactOut]
    placements: list[PlacementOut]
    follow_ups: list[FollowUpOut] = []

    @classmethod
    def of(
        cls, file: CandidateFile, follow_ups: list[FollowUpOut] | None = None
    ) -> CandidateDetail:
        c = file.candidate
        return cls(
            id=c.id,
            bsn_masked=mask_bsn(c.bsn),
            first_name=c.first_name,
            last_name=c.last_name,
            birth_date=c.birth_date,
            sex=c.sex,
            postcode=c.postcode,
            city=c.city,
            team=c.team.name if c.team else None,
            klantmanager=c.klantmanager.full_name if c.klantmanager else None,
            registered_on=c.registered_on,
            benefit_spells=[BenefitSpellOut.model_validate(s) for s in c.benefit_spells],
            assessments=[AssessmentOut.model_validate(a) for a in c.assessments],
            exemptions=[ExemptionOut.model_validate(e) for e in file.exemptions],
            routes=[RouteOut.of(r) for r in c.routes],
            contacts=[ContactOut.model_validate(x) for x in file.contacts],
            placements=[PlacementOut.model_validate(p) for p in file.placements],
            follow_ups=follow_ups or [],
        )


class CandidateCreated(BaseModel):
    id: int
    name: str
    bsn_masked: str


class PartnerIn(BaseModel):
    """The partner in the same benefit dossier (registered as a candidate as well)."""

    bsn: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: str | None = Field(None, description="jjjj-mm-dd of dd-mm-jjjj")
    sex: str | None = Field(None, description="code list sex: M, V, X")


class IntakeIn(BaseModel):
    """Intake of a new candidate; the service checks every field and answers in Dutch."""

    bsn: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: str | None = Field(None, description="jjjj-mm-dd of dd-mm-jjjj")
    sex: str | None = Field(None, description="code list sex: M, V, X")
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    phone: str | None = None
    email: str | None = None
    migration_background: str | None = None
    education_level: str | None = None
    statushouder: bool = False
    benefit_type: str | None = Field(None, description="code list benefit_type: PW, IOAW, ...")
    application_date: str | None = None
    benefit_start_date: str | None = None
    benefit_end_date: str | None = None
    klantmanager_id: int | None = None
    partner: PartnerIn | None = Field(
        None, description="a partner in the same benefit dossier (not with NUO)"
    )
    join_dossier_number: str | None = Field(
        None, description="join this open dossier of the team as the partner"
    )
    allow_similar: bool = Field(
        False,
        description="true once checked that a candidate with a similar name and the same "
        "birth date is another person (otherwise 409)",
    )


def intake_values(body: IntakeIn) -> dict[str, object]:
    """The intake fields as the service reads them (the partner as ``partner_*`` fields)."""
    values = body.model_dump(exclude={"partner", "allow_similar"})
    if body.partner is not None:
        values.update({f"partner_{k}": v for k, v in body.partner.model_dump().items()})
    return values


class CorrectionOut(BaseModel):
    """A correction of the file: per field ``[old, new]`` (a deletion: ``[old, null]``)."""

    id: int
    object_type: str
    object_id: int
    action: str = Field(description="CORRECT, DELETE or UNDO_EXIT")
    changes: dict[str, Any]
    reason: str
    at: datetime

    @classmethod
    def of(cls, c: Correction) -> CorrectionOut:
        return cls(
            id=c.id,
            object_type=c.object_type,
            object_id=c.object_id,
            action=c.action,
            changes=c.changes,
            reason=c.reason,
            at=c.at,
        )


class MatchCriterionOut(BaseModel):
    criterion: str
    label: str
    points: float
    max_points: float
    text: str


class CandidateMatchOut(BaseModel):
    """A ranked candidate by pseudonymous reference: no name, no internal id, no BSN (fields
    of ``MatchResult.as_dict`` that are not declared here are dropped)."""

    model_config = ConfigDict(extra="ignore")

    rank: int
    candidate_ref: str
    score_pct: float
    summary: str
    warning: str
    criteria: list[MatchCriterionOut]


class VacancyMatchesOut(BaseModel):
    vacancy_id: int
    title: str
    pool_size: int
    matches: list[CandidateMatchOut]
