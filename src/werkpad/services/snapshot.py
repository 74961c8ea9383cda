"""The one place that reads the operational store into analysis frames.

The frames are pseudonymised: a person is the internal candidate id under the column ``person``;
no BSN, name, address or contact details leave this module. The type itself lives with the
engine (``werkpad.analytics.snapshot``); ``werkpad.analytics`` works on these frames only.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from werkpad.analytics.snapshot import Snapshot
from werkpad.domain.lifecycle import USED_PROVISION_STATES
from werkpad.store.models import (
    Assessment,
    BenefitDossier,
    BenefitSpell,
    Budget,
    Candidate,
    Contact,
    CostLine,
    DossierMember,
    Exemption,
    Municipality,
    MunicipalityFte,
    Placement,
    PlacementInstrument,
    Provision,
    ProvisionType,
    Route,
    Team,
    User,
)

_DATES = (
    "start_date",
    "end_date",
    "assessed_on",
    "opened_on",
    "closed_on",
    "booked_on",
    "registered_on",
    "application_date",
    "contact_date",
)


def _frame(engine: Engine, statement: object, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(statement).all()  # type: ignore[call-overload]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for name in _DATES:
        if name in frame.columns:
            frame[name] = pd.to_datetime(frame[name])
    return frame


def load_snapshot(engine: Engine, reference_date: date | None = None) -> Snapshot:
    """Routes, provisions, placements and benefit spells as of ``reference_date`` (default
    today): rows that start after the reference date are left out, and ends after it are
    treated as still open."""
    ref = reference_date or date.today()
    routes = _routes(engine, ref)
    provisions = _provisions(engine, ref)
    placements = _placements(engine, ref)
    spells = _benefit_spells(engine, ref)
    ref_ts = pd.Timestamp(ref)
    for frame in (routes, provisions, placements, spells):
        frame.loc[frame["end_date"] > ref_ts, "end_date"] = pd.NaT
    routes.loc[routes["end_date"].isna(), "end_reason"] = None
    spells.loc[spells["end_date"].isna(), "end_reason"] = None
    provisions["cost"] = pd.to_numeric(provisions["cost"], errors="coerce")
    for flag in ("is_language", "is_work_directed_training"):
        provisions[flag] = provisions[flag].fillna(False).astype(bool)
    return Snapshot(
        ref,
        routes,
        provisions,
        placements,
        spells,
        persons=_persons(engine, ref),
        assessments=_assessments(engine, ref),
        exemptions=_exemptions(engine, ref_ts),
        dossiers=_dossiers(engine, ref_ts),
        budgets=_budgets(engine),
        cost_lines=_cost_lines(engine, ref),
        teams=_frame(engine, select(Team.id, Team.fte), ["team_id", "fte"]).astype(
            {"fte": "float64"}
        ),
        staff=_frame(
            engine,
            select(User.team_id, User.role, User.fte).where(User.active.is_(True)),
            ["team_id", "role", "fte"],
        ).astype({"fte": "float64"}),
        contacts=_frame(
            engine,
            select(Contact.candidate_id, Contact.contact_date).where(Contact.contact_date <= ref),
            ["person", "contact_date"],
        ),
        placement_instruments=_placement_instruments(engine, ref),
        life_domains=_life_domains(engine, ref),
        municipalities=_frame(
            engine,
            select(Municipality.id, Municipality.name, Municipality.cbs_code).order_by(
                Municipality.id
            ),
            ["municipality_id", "name", "cbs_code"],
        ),
        municipality_fte=_frame(
            engine,
            select(MunicipalityFte.municipality_id, MunicipalityFte.year, MunicipalityFte.fte),
            ["municipality_id", "year", "fte"],
        ).astype({"fte": "float64"}),
    )


def _routes(engine: Engine, ref: date) -> pd.DataFrame:
    return _frame(
        engine,
        select(
            Route.id,
            Route.candidate_id,
            Route.team_id,
            Route.route_type,
            Route.start_date,
            Route.end_date,
            Route.end_reason,
        ).where(Route.start_date <= ref),
        ["route_id", "person", "team_id", "route_type", "start_date", "end_date", "end_reason"],
    )


def _provisions(engine: Engine, ref: date) -> pd.DataFrame:
    return _frame(
        engine,
        select(
            Provision.id,
            Provision.route_id,
            ProvisionType.code,
            ProvisionType.gos_code,
            Provision.start_date,
            Provision.end_date,
            Provision.cost,
            Provision.result,
            ProvisionType.kind,
            ProvisionType.is_language,
            ProvisionType.is_work_directed_training,
            ProvisionType.name,
            ProvisionType.srg_code,
        )
        .join(ProvisionType, ProvisionType.id == Provision.provision_type_id)
        # Planned, requested or cancelled provisions were not used: they count nowhere.
        .where(Provision.start_date <= ref, Provision.state.in_(USED_PROVISION_STATES)),
        [
            "provision_id",
            "route_id",
            "provision_type",
            "gos_code",
            "start_date",
            "end_date",
            "cost",
            "result",
            "kind",
            "is_language",
            "is_work_directed_training",
            "provision_name",
            "srg_code",
        ],
    )


def _placements(engine: Engine, ref: date) -> pd.DataFrame:
    return _frame(
        engine,
        select(
            Placement.id,
            Placement.candidate_id,
            Placement.route_id,
            Placement.start_date,
            Placement.end_date,
            Placement.job_type,
            Placement.contract_type,
            Placement.hours_per_week,
        ).where(Placement.start_date <= ref),
        [
            "placement_id",
            "person",
            "route_id",
            "start_date",
            "end_date",
            "job_type",
            "contract_type",
            "hours_per_week",
        ],
    )


def _benefit_spells(engine: Engine, ref: date) -> pd.DataFrame:
    return _frame(
        engine,
        select(
            BenefitSpell.candidate_id,
            BenefitSpell.benefit_type,
            BenefitSpell.start_date,
            BenefitSpell.end_date,
            BenefitSpell.dossier_id,
            BenefitSpell.end_reason,
            BenefitSpell.application_date,
            BenefitSpell.inflow_reason,
        ).where(BenefitSpell.start_date <= ref),
        [
            "person",
            "benefit_type",
            "start_date",
            "end_date",
            "dossier_id",
            "end_reason",
            "application_date",
            "inflow_reason",
        ],
    )


def _persons(engine: Engine, ref: date) -> pd.DataFrame:
    frame = _frame(
        engine,
        select(
            Candidate.id,
            Candidate.birth_date,
            Candidate.sex,
            Candidate.migration_background,
            Candidate.statushouder,
            Candidate.team_id,
            Candidate.registered_on,
            Candidate.klantmanager_id,
        ).where(Candidate.registered_on <= ref),
        [
            "person",
            "birth_date",
            "sex",
            "migration_background",
            "statushouder",
            "team_id",
            "registered_on",
            "klantmanager_id",
        ],
    )
    # Only the birth year leaves the store: enough for age bands, less identifying.
    frame["birth_year"] = pd.to_datetime(frame["birth_date"]).dt.year.astype("Int64")
    frame["statushouder"] = frame["statushouder"].fillna(False).astype(bool)
    return frame.drop(columns="birth_date")


def _assessments(engine: Engine, ref: date) -> pd.DataFrame:
    frame = _frame(
        engine,
        select(
            Assessment.candidate_id,
            Assessment.assessed_on,
            Assessment.scheme,
            Assessment.segment,
            Assessment.ladder_step,
            Assessment.language_level,
        ).where(Assessment.assessed_on <= ref),
        ["person", "assessed_on", "scheme", "segment", "ladder_step", "language_level"],
    )
    frame["ladder_step"] = frame["ladder_step"].astype("Int64")
    return frame


def _exemptions(engine: Engine, ref_ts: pd.Timestamp) -> pd.DataFrame:
    frame = _frame(
        engine,
        select(
            Exemption.candidate_id,
            Exemption.exemption_type,
            Exemption.start_date,
            Exemption.end_date,
        ).where(Exemption.start_date <= ref_ts.date()),
        ["person", "exemption_type", "start_date", "end_date"],
    )
    frame.loc[frame["end_date"] > ref_ts, "end_date"] = pd.NaT
    return frame


def _dossiers(engine: Engine, ref_ts: pd.Timestamp) -> pd.DataFrame:
    frame = _frame(
        engine,
        select(
            BenefitDossier.id,
            DossierMember.candidate_id,
            BenefitDossier.opened_on,
            BenefitDossier.closed_on,
            BenefitDossier.municipality_id,
            BenefitDossier.moved_from_dossier_id,
        )
        .join(DossierMember, DossierMember.dossier_id == BenefitDossier.id)
        .where(DossierMember.member_role == "APPLICANT")
        .where(BenefitDossier.opened_on <= ref_ts.date()),
        [
            "dossier_id",
            "person",
            "opened_on",
            "closed_on",
            "municipality_id",
            "moved_from_dossier_id",
        ],
    )
    frame.loc[frame["closed_on"] > ref_ts, "closed_on"] = pd.NaT
    frame["moved_from_dossier_id"] = frame["moved_from_dossier_id"].astype("Int64")
    return frame


def _placement_instruments(engine: Engine, ref: date) -> pd.DataFrame:
    frame = _frame(
        engine,
        select(
            PlacementInstrument.placement_id,
            PlacementInstrument.instrument,
            PlacementInstrument.loonwaarde_pct,
        )
        .join(Placement, Placement.id == PlacementInstrument.placement_id)
        .where(Placement.start_date <= ref),
        ["placement_id", "instrument", "loonwaarde_pct"],
    )
    frame["loonwaarde_pct"] = pd.to_numeric(frame["loonwaarde_pct"]).astype("Float64")
    return frame


def _life_domains(engine: Engine, ref: date) -> pd.DataFrame:
    """One row per scored ZRM life domain of an assessment (the scores are a JSON column)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Assessment.candidate_id, Assessment.assessed_on, Assessment.zrm_scores).where(
                Assessment.assessed_on <= ref, Assessment.zrm_scores.is_not(None)
            )
        ).all()
    records = [
        (person, day, str(domain), int(score))
        for person, day, scores in rows
        if isinstance(scores, dict)
        for domain, score in scores.items()
        if isinstance(score, int | float) and not isinstance(score, bool)
    ]
    frame = pd.DataFrame(records, columns=["person", "assessed_on", "domain", "score"])
    frame["assessed_on"] = pd.to_datetime(frame["assessed_on"])
    return frame


def _budgets(engine: Engine) -> pd.DataFrame:
    frame = _frame(
        engine,
        select(Budget.year, Budget.cost_item, Budget.amount, Budget.municipality_id),
        ["year", "cost_item", "amount", "municipality_id"],
    )
    frame["amount"] = pd.to_numeric(frame["amount"]).astype("float64")
    return frame


def _cost_lines(engine: Engine, ref: date) -> pd.DataFrame:
    frame = _frame(
        engine,
        select(
            CostLine.booked_on,
            CostLine.cost_item,
            CostLine.amount,
            CostLine.provision_id,
            CostLine.municipality_id,
        ).where(CostLine.booked_on <= ref),
        ["booked_on", "cost_item", "amount", "provision_id", "municipality_id"],
    )
    frame["amount"] = pd.to_numeric(frame["amount"]).astype("float64")
    return frame
