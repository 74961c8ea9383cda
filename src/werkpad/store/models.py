"""SQLAlchemy 2 models for the whole re-integration chain.

Codes (end reasons, job types, segments, ...) are stored as short strings that refer to the code
lists in ``werkpad.domain.codelists`` (mirrored in the ``code`` table); services validate them
before writing, and check constraints guard the invariants that must never break.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    insert,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from werkpad.config import default_municipality
from werkpad.store.sealed_secret import SealedSecret

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(12, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, Decimal: Money}


# --- reference data ------------------------------------------------------------------------


class CodeEntry(Base):
    """A row of a code list, mirrored from the CSV files so SQL reports can join labels."""

    __tablename__ = "code"
    list_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Setting(Base):
    """A municipality-wide setting (e.g. the frozen clock of a demo database), as JSON."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class FiguresVersion(Base):
    """One row: a counter bumped in the same transaction as every write that changes the
    figures (routes, exits, spells, ...). Each worker process compares it with the version of
    its cached figures to know when they are stale (``werkpad.store.figures_version``)."""

    __tablename__ = "figures_version"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    fte: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(
            "role IN ('KLANTMANAGER','ACCOUNTMANAGER','TEAMLEIDER','ANALIST','BEHEERDER')",
            name="role_known",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    fte: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("1.00"))
    # A municipality scope (issue 12): this user sees that municipality's figures and lists
    # only. None: the whole service.
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    team: Mapped[Team | None] = relationship()


class Provider(Base):
    """Who delivers a provision: the municipality itself, the WSP, a sheltered company..."""

    __tablename__ = "provider"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))


class ProvisionType(Base):
    """An entry of the provision catalogue (voorzieningencatalogus)."""

    __tablename__ = "provision_type"
    __table_args__ = (
        CheckConstraint("unit_cost >= 0", name="unit_cost_not_negative"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))  # BASIC | SUPPORTING (flankerend)
    gos_code: Mapped[str] = mapped_column(String(8))
    srg_code: Mapped[str] = mapped_column(String(4))
    phase: Mapped[str] = mapped_column(String(12))
    is_language: Mapped[bool] = mapped_column(Boolean, default=False)
    is_work_directed_training: Mapped[bool] = mapped_column(Boolean, default=False)
    default_provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    unit_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    typical_weeks: Mapped[int] = mapped_column(Integer, default=12)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Places the provision offers at one time, where the beheerder knows it (None: unknown).
    capacity: Mapped[int | None] = mapped_column(Integer)

    default_provider: Mapped[Provider | None] = relationship()


# --- person and benefit ---------------------------------------------------------------------


class Candidate(Base):
    """A person known to the re-integration service (kandidaat), with or without benefit."""

    __tablename__ = "candidate"
    __table_args__ = (
        CheckConstraint("length(bsn) = 9", name="bsn_nine_digits"),
        Index("ix_candidate_name", "last_name", "first_name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    street: Mapped[str | None] = mapped_column(String(120))
    house_number: Mapped[str | None] = mapped_column(String(12))
    postcode: Mapped[str | None] = mapped_column(String(7))
    city: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(120))
    migration_background: Mapped[str | None] = mapped_column(String(10))
    statushouder: Mapped[bool] = mapped_column(Boolean, default=False)
    education_level: Mapped[str | None] = mapped_column(String(10))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    klantmanager_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    team: Mapped[Team | None] = relationship()
    klantmanager: Mapped[User | None] = relationship()
    benefit_spells: Mapped[list[BenefitSpell]] = relationship(
        back_populates="candidate", order_by="BenefitSpell.start_date"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="candidate", order_by="Assessment.assessed_on"
    )
    routes: Mapped[list[Route]] = relationship(
        back_populates="candidate", order_by="Route.start_date"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class BenefitDossier(Base):
    """A benefit dossier (uitkeringsdossier); one dossier can cover two partners."""

    __tablename__ = "benefit_dossier"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_number: Mapped[str] = mapped_column(String(30), unique=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # The municipality whose benefit this is (issue 12); left out, the installation's default.
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id"), index=True, default=lambda ctx: default_municipality_id(ctx)
    )
    # After a move within the service: the dossier in the municipality the person came from.
    moved_from_dossier_id: Mapped[int | None] = mapped_column(
        ForeignKey("benefit_dossier.id"), unique=True
    )

    members: Mapped[list[DossierMember]] = relationship(back_populates="dossier")


class DossierMember(Base):
    __tablename__ = "dossier_member"
    __table_args__ = (
        CheckConstraint("member_role IN ('APPLICANT','PARTNER')", name="member_role_known"),
        UniqueConstraint("dossier_id", "member_role", name="uq_dossier_member_role"),
    )
    dossier_id: Mapped[int] = mapped_column(ForeignKey("benefit_dossier.id"), primary_key=True)
    # Indexed on its own: "is this person in a dossier" is asked per candidate (caseload).
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id"), primary_key=True, index=True
    )
    member_role: Mapped[str] = mapped_column(String(10))

    dossier: Mapped[BenefitDossier] = relationship(back_populates="members")
    candidate: Mapped[Candidate] = relationship()


class BenefitSpell(Base):
    """A period on benefit (bijstand, IOAW, IOAZ) or registered without benefit (NUO)."""

    __tablename__ = "benefit_spell"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("benefit_dossier.id"), index=True)
    benefit_type: Mapped[str] = mapped_column(String(8))
    application_date: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    monthly_amount: Mapped[Decimal | None] = mapped_column(Money)
    # Why the spell began (code list ``benefit_inflow_reason``, the ISD's reasons; issue 12).
    inflow_reason: Mapped[str | None] = mapped_column(String(20))

    candidate: Mapped[Candidate] = relationship(back_populates="benefit_spells")
    dossier: Mapped[BenefitDossier | None] = relationship()


class Assessment(Base):
    """A dated diagnosis (segmentation) of a candidate; the history is kept, never overwritten."""

    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint("ladder_step IS NULL OR ladder_step BETWEEN 1 AND 6", name="ladder_1_6"),
        CheckConstraint(
            "loonwaarde_pct IS NULL OR loonwaarde_pct BETWEEN 0 AND 100", name="loonwaarde_pct"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    scheme: Mapped[str | None] = mapped_column(String(20))
    segment: Mapped[str | None] = mapped_column(String(10))
    ladder_step: Mapped[int | None] = mapped_column(Integer)
    loonwaarde_pct: Mapped[int | None] = mapped_column(Integer)
    loonwaarde_measured: Mapped[bool] = mapped_column(Boolean, default=False)
    language_level: Mapped[str | None] = mapped_column(String(4))
    work_disability: Mapped[bool | None] = mapped_column(Boolean)
    zrm_scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    proposed_route_type: Mapped[str | None] = mapped_column(String(30))
    # The klantmanager's decision on the proposal: the same route type (confirmed) or another
    # one with route_override_reason ("the tool is not leading").
    route_decision: Mapped[str | None] = mapped_column(String(30))
    route_override_reason: Mapped[str | None] = mapped_column(Text)
    months_to_work: Mapped[int | None] = mapped_column(Integer)
    # Consistency rules (code list ``diagnosis_rule``) that warned when this diagnosis was
    # saved, and the klantmanager's reason to save it anyway.
    consistency_warnings: Mapped[list[str] | None] = mapped_column(JSON)
    consistency_override_reason: Mapped[str | None] = mapped_column(Text)
    review_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    candidate: Mapped[Candidate] = relationship(back_populates="assessments")
    assessed_by: Mapped[User | None] = relationship()


class Exemption(Base):
    """Ontheffing from the duty to apply for work, with an end or review date."""

    __tablename__ = "exemption"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    exemption_type: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)


# --- plan, route, provisions ----------------------------------------------------------------


class Plan(Base):
    """Ontwikkelplan / plan van aanpak with its goal."""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    created_on: Mapped[date] = mapped_column(Date)
    goal: Mapped[str] = mapped_column(Text)
    goals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="ACTIVE")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Route(Base):
    """A re-integration route (traject) with a start, an end and a coded end reason."""

    __tablename__ = "route"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint(
            "(end_date IS NULL AND end_reason IS NULL) OR "
            "(end_date IS NOT NULL AND end_reason IS NOT NULL)",
            name="ended_has_reason",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    route_type: Mapped[str] = mapped_column(String(30))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(30))

    candidate: Mapped[Candidate] = relationship(back_populates="routes")
    team: Mapped[Team | None] = relationship()
    provisions: Mapped[list[Provision]] = relationship(
        back_populates="route", order_by="Provision.start_date"
    )

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class Provision(Base):
    """A provision (voorziening) used within a route, with provider, dates, cost and result."""

    __tablename__ = "provision"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("cost IS NULL OR cost >= 0", name="cost_not_negative"),
        CheckConstraint(
            "state IN ('REQUESTED','PLANNED','STARTED','COMPLETED','STOPPED','CANCELLED')",
            name="state_known",
        ),
        CheckConstraint(
            "(state IN ('COMPLETED','STOPPED') AND end_date IS NOT NULL) OR "
            "(state NOT IN ('COMPLETED','STOPPED') AND end_date IS NULL)",
            name="ended_has_end_date",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("route.id"), index=True)
    provision_type_id: Mapped[int] = mapped_column(ForeignKey("provision_type.id"), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    cost: Mapped[Decimal | None] = mapped_column(Money)
    result: Mapped[str | None] = mapped_column(String(20))
    # PROVISION life cycle (``domain.lifecycle``), transitions logged as 'provision'; the start
    # date of a provision not yet started is its expected start.
    state: Mapped[str] = mapped_column(String(12), default="STARTED")
    # Why it stopped early or was cancelled, in the klantmanager's words.
    state_reason: Mapped[str | None] = mapped_column(Text)

    route: Mapped[Route] = relationship(back_populates="provisions")
    provision_type: Mapped[ProvisionType] = relationship()
    provider: Mapped[Provider | None] = relationship()


class Contact(Base):
    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    contact_date: Mapped[date] = mapped_column(Date)
    contact_type: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)

    user: Mapped[User | None] = relationship()


class Referral(Base):
    """A referral to matching (aanmelding bij werkgeversdienstverlening), with a state."""

    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    route_id: Mapped[int | None] = mapped_column(ForeignKey("route.id"))
    referred_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="OPEN")
    work_wishes: Mapped[str | None] = mapped_column(Text)
    availability: Mapped[str | None] = mapped_column(Text)
    restrictions: Mapped[str | None] = mapped_column(Text)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    picked_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    picked_up_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class StateTransition(Base):
    """Logged transition of any object with a life cycle (referral, route, placement...)."""

    __tablename__ = "state_transition"
    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_state_transition_object", "object_type", "object_id"),)


# --- employers, vacancies, placements -------------------------------------------------------


class Employer(Base):
    __tablename__ = "employer"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    sector: Mapped[str] = mapped_column(String(20))
    size_class: Mapped[str | None] = mapped_column(String(10))
    contact_person: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(7))
    city: Mapped[str | None] = mapped_column(String(80))
    agreements: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    accountmanager_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Vacancy(Base):
    __tablename__ = "vacancy"
    __table_args__ = (CheckConstraint("hours_per_week BETWEEN 1 AND 60", name="hours_range"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    occupation: Mapped[str | None] = mapped_column(String(120))
    sector: Mapped[str] = mapped_column(String(20))
    hours_per_week: Mapped[int] = mapped_column(Integer)
    postcode: Mapped[str | None] = mapped_column(String(7))
    start_date: Mapped[date | None] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    requirements: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    suitable_for_lks: Mapped[bool] = mapped_column(Boolean, default=False)
    suitable_for_garantiebaan: Mapped[bool] = mapped_column(Boolean, default=False)

    employer: Mapped[Employer] = relationship()


class Placement(Base):
    """A job placement; exactly one team or provider claims it (no double claims)."""

    __tablename__ = "placement"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND 60", name="hours"),
        CheckConstraint(
            "(claimed_by_team_id IS NULL) <> (claimed_by_provider_id IS NULL)",
            name="exactly_one_claimant",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    route_id: Mapped[int | None] = mapped_column(ForeignKey("route.id"), unique=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancy.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    job_type: Mapped[str] = mapped_column(String(4))
    contract_type: Mapped[str] = mapped_column(String(12))
    hours_per_week: Mapped[int | None] = mapped_column(Integer)
    claimed_by_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    claimed_by_provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))

    employer: Mapped[Employer | None] = relationship()
    instruments: Mapped[list[PlacementInstrument]] = relationship(back_populates="placement")


class PlacementInstrument(Base):
    """An instrument that supports a placement: LKS (with loonwaarde), no-risk polis, jobcoach."""

    __tablename__ = "placement_instrument"
    __table_args__ = (
        CheckConstraint(
            "loonwaarde_pct IS NULL OR loonwaarde_pct BETWEEN 0 AND 100", name="loonwaarde_pct"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(20))
    loonwaarde_pct: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Money)

    placement: Mapped[Placement] = relationship(back_populates="instruments")


class FollowUp(Base):
    """Follow-up of a work exit at 6, 12 or 18 months: still working, back on benefit?"""

    __tablename__ = "follow_up"
    __table_args__ = (
        CheckConstraint("months IN (6, 12, 18)", name="months_6_12_18"),
        UniqueConstraint("placement_id", "months", name="uq_follow_up_placement_months"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    still_working: Mapped[bool | None] = mapped_column(Boolean)
    back_on_benefit: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)


# --- money ----------------------------------------------------------------------------------


class Budget(Base):
    __tablename__ = "budget"
    __table_args__ = (
        UniqueConstraint("municipality_id", "year", "cost_item", name="uq_budget_year_item"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id"), default=lambda ctx: default_municipality_id(ctx)
    )
    year: Mapped[int] = mapped_column(Integer)
    cost_item: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money)


class CostLine(Base):
    """An actual cost or income booking, optionally tied to a provision."""

    __tablename__ = "cost_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    booked_on: Mapped[date] = mapped_column(Date, index=True)
    cost_item: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id"), index=True, default=lambda ctx: default_municipality_id(ctx)
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    provision_id: Mapped[int | None] = mapped_column(ForeignKey("provision.id"), index=True)
    description: Mapped[str | None] = mapped_column(String(200))


# --- matching -------------------------------------------------------------------------------


class WorkProfile(Base):
    """What matching may know of a referred candidate: wishes, availability, limits.

    Lists (occupations, sectors, experience, skills, days MA..ZO, restrictions such as
    HEAVY_LIFTING) are JSON arrays; the profile is stale when last_confirmed_on is too old.
    """

    __tablename__ = "work_profile"
    __table_args__ = (
        CheckConstraint("hours_min BETWEEN 1 AND 60", name="hours_min_range"),
        CheckConstraint("hours_max BETWEEN hours_min AND 60", name="hours_max_range"),
        CheckConstraint("radius_km >= 0", name="radius_not_negative"),
        CheckConstraint("transport IN ('LOPEN','FIETS','OV','AUTO')", name="transport_known"),
        CheckConstraint(
            "loonwaarde_pct IS NULL OR loonwaarde_pct BETWEEN 0 AND 100", name="loonwaarde_pct"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), unique=True)
    wished_occupations: Mapped[list[str]] = mapped_column(JSON, default=list)
    wished_sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    experience: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    days: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_min: Mapped[int] = mapped_column(Integer)
    hours_max: Mapped[int] = mapped_column(Integer)
    radius_km: Mapped[int] = mapped_column(Integer)
    transport: Mapped[str] = mapped_column(String(8))
    driving_licence: Mapped[bool] = mapped_column(Boolean, default=False)
    language_level: Mapped[str | None] = mapped_column(String(4))
    loonwaarde_pct: Mapped[int | None] = mapped_column(Integer)
    restrictions: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    available_from: Mapped[date | None] = mapped_column(Date)
    last_confirmed_on: Mapped[date | None] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    candidate: Mapped[Candidate] = relationship()


class PostcodeCentroid(Base):
    """Centre of a 4-digit postcode area, for travel distances (importable by the beheerder)."""

    __tablename__ = "postcode_centroid"
    postcode4: Mapped[str] = mapped_column(String(4), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    place: Mapped[str | None] = mapped_column(String(80))


class Proposal(Base):
    """A candidate on a vacancy's shortlist and onwards (PROPOSAL life cycle, transitions logged
    as StateTransition with object_type 'proposal'); proposing needs the candidate's consent."""

    __tablename__ = "proposal"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "candidate_id", name="uq_proposal_vacancy_candidate"),
        CheckConstraint(
            "state IN ('SHORTLISTED','PROPOSED','INTERVIEW','TRIAL','PLACED','REJECTED',"
            "'WITHDRAWN')",
            name="state_known",
        ),
        CheckConstraint(
            "state IN ('SHORTLISTED','WITHDRAWN') OR consent_on IS NOT NULL",
            name="proposed_needs_consent",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="SHORTLISTED")
    score_milli: Mapped[int | None] = mapped_column(Integer)
    created_on: Mapped[date] = mapped_column(Date)
    consent_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


# --- corrections ----------------------------------------------------------------------------


class Correction(Base):
    """A correction of a record on a candidate's file: which fields changed from what to what,
    who did it, when and why. ``changes`` maps a field to ``[old, new]`` (dates as ISO text);
    a deletion keeps the removed record's values as ``[old, None]``. The audit log points here
    (object type ``correction``), so retention can anonymise the values without breaking it."""

    __tablename__ = "correction"
    __table_args__ = (
        CheckConstraint("action IN ('CORRECT','DELETE','UNDO_EXIT')", name="action_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(12))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User | None] = relationship()


# --- audit ----------------------------------------------------------------------------------


class AuditEntry(Base):
    """Who read or changed which candidate file, when and why."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int | None] = mapped_column(Integer, index=True)
    purpose: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User | None] = relationship()


class AuditSeal(Base):
    """One sealed block of audit entries, a link in a keyed HMAC chain (services/audit_chain.py).

    ``mac`` covers the block number, the previous block's MAC and every entry with an id from
    ``first_entry_id`` to ``last_entry_id``; the key is kept outside the database, so an edited,
    deleted or reordered entry cannot be sealed again by someone with database access only.
    ``number`` is assigned, not generated: two sealers racing for the same number cannot fork
    the chain, the second one fails and retries later.
    """

    __tablename__ = "audit_seal"
    __table_args__ = (
        CheckConstraint("last_entry_id >= first_entry_id", name="entry_range"),
        CheckConstraint("entries >= 1", name="not_empty"),
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_entry_id: Mapped[int] = mapped_column(Integer, unique=True)
    last_entry_id: Mapped[int] = mapped_column(Integer, unique=True)
    entries: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(DateTime)
    last_at: Mapped[datetime] = mapped_column(DateTime)
    sealed_at: Mapped[datetime] = mapped_column(DateTime)
    key_fingerprint: Mapped[str] = mapped_column(String(32))
    previous_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class WebSession(Base):
    """A logged-in browser session. The cookie holds only a random token; the table keeps its
    SHA-256 hash (a copied database cannot be replayed as cookies), the role and team the
    session was opened with (a changed role ends it), and when it was last used."""

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(Integer)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    ip: Mapped[str | None] = mapped_column(String(45))
    # The message of the last completed action, shown once on the next page (a bulk move).
    flash: Mapped[str | None] = mapped_column(String(500))

    user: Mapped[User] = relationship()


# --- municipalities of a shared service (issue 12) -------------------------------------------


class Municipality(Base):
    """A municipality (gemeente) the service works for, with its CBS code (4 digits, as in
    the SRG delivery: Hillegom 0534). A single-municipality installation has one, the default;
    a regional service (ISD Bollenstreek) has several, each with its own council and budget."""

    __tablename__ = "municipality"
    __table_args__ = (
        CheckConstraint("cbs_code IS NULL OR length(cbs_code) = 4", name="cbs_code_four"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    cbs_code: Mapped[str | None] = mapped_column(String(4), unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class TeamMunicipality(Base):
    """A team serves one or more municipalities of the service (many-to-many)."""

    __tablename__ = "team_municipality"
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id"), primary_key=True, index=True
    )


class MunicipalityFte(Base):
    """The klantmanager formation (FTE) that works for one municipality in a year, as the
    ISD Bollenstreek states it per council (KplusV 2018, Tabel 7): the denominator of that
    municipality's caseload per FTE. Staff of the service work across its municipalities, so
    without a row here a municipality has no caseload per FTE of its own."""

    __tablename__ = "municipality_fte"
    __table_args__ = (CheckConstraint("fte > 0", name="fte_positive"),)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    fte: Mapped[Decimal] = mapped_column(Numeric(6, 2))


class MunicipalityTarget(Base):
    """A target of ``analytics/targets.csv`` as the beheerder sets it for one municipality of
    the service (or, without a municipality, for the service as a whole): its years and its
    minimum and/or maximum. A municipality's figures show its own targets only."""

    __tablename__ = "municipality_target"
    __table_args__ = (
        CheckConstraint("first_year <= last_year", name="years_ordered"),
        CheckConstraint("minimum IS NOT NULL OR maximum IS NOT NULL", name="has_bound"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    target_id: Mapped[str] = mapped_column(String(40))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    minimum: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    maximum: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))


def default_municipality_id(context: Any) -> int:
    """The id of the default municipality, created on first use from the configuration
    (``werkpad.config.default_municipality``): a column default, so every writer of a dossier,
    budget or cost line that names no municipality keeps working as in a single-municipality
    installation, in its own transaction."""
    return ensure_default_municipality(context.connection)


def ensure_default_municipality(conn: Any) -> int:
    """The default municipality's id on connection ``conn``, created when there is none."""
    table = Municipality.__table__
    statement = select(table.c.id).where(table.c.is_default.is_(True)).order_by(table.c.id)
    found = conn.execute(statement.limit(1)).scalar()
    if found is None:
        name, code = default_municipality()
        conn.execute(insert(Municipality).values(name=name, cbs_code=code, is_default=True))
        found = conn.execute(statement.limit(1)).scalar_one()
    return int(found)


# --- the klantmanager's working day: appointments (issue 16) ----------------------------------


class Appointment(Base):
    """An appointment with a candidate (APPOINTMENT life cycle in ``domain.appointments``,
    transitions logged as 'appointment'). Held, it points to the contact it became."""

    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint(
            "state IN ('PLANNED','HELD','NO_SHOW_NOTICE','NO_SHOW','CANCELLED')",
            name="state_known",
        ),
        CheckConstraint("duration_minutes BETWEEN 5 AND 480", name="duration_range"),
        CheckConstraint("location IS NOT NULL OR video_link IS NOT NULL", name="has_place_or_link"),
        Index("ix_appointment_staff_day", "staff_id", "day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    # Who holds the appointment for werkpad (usually the candidate's klantmanager).
    staff_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(24))
    day: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=45)
    location: Mapped[str | None] = mapped_column(String(200))
    video_link: Mapped[str | None] = mapped_column(String(300))
    with_whom: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="PLANNED")
    outcome_note: Mapped[str | None] = mapped_column(Text)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    candidate: Mapped[Candidate] = relationship()
    staff: Mapped[User] = relationship(foreign_keys=[staff_id])


class OutboxMessage(Base):
    """An invitation or reminder to a candidate, by e-mail or as a printed letter, with its
    delivery: queued, sending (claimed by one ``werkpad outbox send``), sent (accepted by the
    SMTP server, with the Message-ID), failed (with the error; retried) or printed."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(
            "status IN ('QUEUED','SENDING','SENT','FAILED','PRINTED')", name="status_known"
        ),
        CheckConstraint("kind IN ('INVITATION','REMINDER')", name="kind_known"),
        CheckConstraint("channel IN ('EMAIL','LETTER')", name="channel_known"),
        # One invitation and one reminder per appointment, however many senders run.
        UniqueConstraint("appointment_id", "kind", name="uq_outbox_message_appointment_kind"),
        Index("ix_outbox_message_status", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id"))
    kind: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="QUEUED")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(250))
    claim: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)


class MessagePreference(Base):
    """A candidate who wants no e-mail gets letters instead."""

    __tablename__ = "message_preference"
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), primary_key=True)
    email_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SignalDecision(Base):
    """A klantmanager's decision on a worklist signal of a candidate: handled (with a short
    reason) or snoozed until a date. It holds for the signal's cause as it was then
    (``fingerprint``): when the cause changes, the signal is open again."""

    __tablename__ = "signal_decision"
    __table_args__ = (
        CheckConstraint("action IN ('HANDLED','SNOOZED')", name="action_known"),
        CheckConstraint("action = 'HANDLED' OR snoozed_until IS NOT NULL", name="snooze_has_date"),
        UniqueConstraint("candidate_id", "code", name="uq_signal_decision_candidate_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"))
    code: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(DateTime)


# --- notes and documents on the file (issue 16) ---------------------------------------------


class FileNote(Base):
    """A note on the candidate file, typed (code list ``note_type``)."""

    __tablename__ = "file_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    note_type: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User | None] = relationship()


class Document(Base):
    """An uploaded document (code list ``document_type``: who may see it, how long it is kept).
    The file lies on disk under the configured data directory as ``storage_key``; the database
    keeps its checksum, type found by content, size and the date it may be removed."""

    __tablename__ = "document"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="not_empty"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    document_type: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    retain_until: Mapped[date] = mapped_column(Date, index=True)


# --- sign-in, second factor and passwords (issue 15) ---


class UserCredential(Base):
    """A user's second factor and password state, beside ``app_user`` (one row per user, made
    when first needed). ``totp_secret`` is set once an enrolment is confirmed with a code;
    ``totp_last_step`` is the 30-second step of the last accepted code, so a code works once."""

    __tablename__ = "user_credential"
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    totp_secret: Mapped[str | None] = mapped_column(SealedSecret())  # encrypted at rest
    totp_pending_secret: Mapped[str | None] = mapped_column(SealedSecret())
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)


class RecoveryCode(Base):
    """A single-use recovery code for the second factor; only its SHA-256 hash is kept."""

    __tablename__ = "recovery_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginChallenge(Base):
    """A login between its steps: the password was right, the second factor (or its
    enrolment, ``stage`` ENROL) is still to come. The browser holds a random token in a
    short-lived cookie; the table keeps its hash. It ends on success, after too many wrong
    codes, or when it is older than a few minutes."""

    __tablename__ = "login_challenge"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    next_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class PasswordReset(Base):
    """A one-time link the beheerder made for a user to set a new password: only the hash of
    its token is kept; it expires and works once."""

    __tablename__ = "password_reset"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RoleChange(Base):
    """A change of a user's role by a beheerder. Giving the beheerder role waits (PENDING)
    until a second beheerder approves it (four-eyes); other changes apply at once (APPLIED)."""

    __tablename__ = "role_change"
    __table_args__ = (
        CheckConstraint(
            "state IN ('PENDING','APPLIED','REJECTED')", name="role_change_state_known"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    from_role: Mapped[str] = mapped_column(String(20))
    to_role: Mapped[str] = mapped_column(String(20))
    to_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    state: Mapped[str] = mapped_column(String(10))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])


class BreakGlass(Base):
    """ "Break the glass": a case worker opened a file outside their team, with a stated reason,
    for ``BREAK_GLASS_HOURS``; shown to the teamleider of the file's team."""

    __tablename__ = "break_glass"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    seen_by_teamleider_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class OidcIdentity(Base):
    """Which werkpad user an account at the organisation's identity provider is (issue 15):
    the provider's stable subject (``sub``, never the name or e-mail, which can change or be
    reused) within its issuer. Made at the first OpenID Connect sign-in."""

    __tablename__ = "oidc_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_oidc_identity_subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
