"""The re-integration chain in the services: each step writes what it should, refuses invalid
input with a Dutch message and then writes nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.errors import ValidationFailed
from werkpad.domain.worklist import Thresholds
from werkpad.services.casework import add_contact, add_exemption
from werkpad.services.configuration import (
    choose_scheme,
    load_configuration,
    set_routing_threshold,
)
from werkpad.services.diagnosis import record_assessment
from werkpad.services.exits import end_benefit, end_route, restart_benefit, returns_of_candidate
from werkpad.services.plans import add_provision, create_plan, start_route
from werkpad.services.referrals import pick_up, refer, referred_pool, return_referral
from werkpad.services.team import caseload_per_fte, reassign
from werkpad.store.models import (
    Assessment,
    Candidate,
    Contact,
    Exemption,
    FollowUp,
    Placement,
    PlacementInstrument,
    Provision,
    Referral,
    Route,
    StateTransition,
    Team,
    User,
)

TODAY = date(2024, 6, 3)


@dataclass
class Case:
    team: Team
    km: User
    km2: User
    tl: User
    am: User
    candidate: Candidate


@pytest.fixture
def case(session: Session) -> Case:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    km2 = f.make_user(session, "KLANTMANAGER", team)
    tl = f.make_user(session, "TEAMLEIDER", team)
    am = f.make_user(session, "ACCOUNTMANAGER")
    candidate = f.make_candidate(session, team, km, registered_on=date(2024, 1, 8))
    f.make_benefit_spell(session, candidate, start_date=date(2024, 1, 8))
    session.commit()
    return Case(team, km, km2, tl, am, candidate)


def _count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _refused(session: Session, model: Any, call: Any) -> dict[str, str]:
    before = _count(session, model)
    with pytest.raises(ValidationFailed) as caught:
        call()
    session.rollback()
    assert _count(session, model) == before, "nothing may be written on a validation error"
    return {e.field: e.message for e in caught.value.errors}


def _assess(session: Session, case: Case, **data: Any) -> Assessment:
    return record_assessment(
        session, case.km, case.candidate, data, today=TODAY, config=load_configuration(session)
    )


def test_assessment_without_reason_is_refused_and_writes_nothing(
    session: Session, case: Case
) -> None:
    errors = _refused(
        session, Assessment, lambda: _assess(session, case, ladder_step="3", segment="DH_B")
    )
    assert errors == {"reason": "Reden van de (her)beoordeling is verplicht."}


def test_assessment_derives_segment_from_horizon_and_proposes_route_from_loonwaarde(
    session: Session, case: Case
) -> None:
    a = _assess(
        session, case, ladder_step="4", months_to_work="24", loonwaarde_pct="65", reason="Intake"
    )
    assert (a.scheme, a.segment) == ("DENHAAG", "DH_P")  # the 18-month rule
    assert a.proposed_route_type == a.route_decision == "WORK_12M"
    assert a.route_override_reason is None


def test_overriding_the_route_proposal_requires_a_reason(session: Session, case: Case) -> None:
    errors = _refused(
        session,
        Assessment,
        lambda: _assess(
            session,
            case,
            ladder_step="4",
            segment="DH_B",
            loonwaarde_pct="65",
            route_decision="ACTIVATION",
            reason="Intake",
        ),
    )
    assert "route_override_reason" in errors and "voorstel" in errors["route_override_reason"]
    a = _assess(
        session,
        case,
        ladder_step="4",
        segment="DH_B",
        loonwaarde_pct="65",
        route_decision="ACTIVATION",
        route_override_reason="Zorg eerst",
        reason="Intake",
    )
    assert (a.proposed_route_type, a.route_decision) == ("WORK_12M", "ACTIVATION")


def test_routing_threshold_and_scheme_preset_come_from_settings(
    session: Session, case: Case
) -> None:
    set_routing_threshold(session, "70")
    choose_scheme(session, "HAARLEMMERMEER")
    session.commit()
    errors = _refused(
        session,
        Assessment,
        lambda: _assess(session, case, ladder_step="3", segment="DH_B", reason="x"),
    )
    assert errors["segment"] == "Deze doelgroep/categorie hoort niet bij het gekozen schema."
    a = _assess(session, case, ladder_step="3", segment="HM_C", loonwaarde_pct="70", reason="x")
    assert a.proposed_route_type == "SPECIALISED_PROVIDER"


def test_route_refuses_a_basic_provision_out_of_phase_order(session: Session, case: Case) -> None:
    plan = create_plan(
        session,
        case.km,
        case.candidate,
        {"goal": "Werk in de zorg", "goals": "Taal B1\nStage"},
        today=TODAY,
    )
    assert plan.goals == {"items": ["Taal B1", "Stage"]}
    route = start_route(
        session,
        case.km,
        case.candidate,
        {"route_type": "WORK_12M", "start_date": "2024-02-01", "plan_id": str(plan.id)},
        today=TODAY,
    )
    mediate = f.make_provision_type(session, phase="MEDIATE", gos_code="PS5")
    diagnose = f.make_provision_type(session, phase="DIAGNOSE", gos_code="PS1")
    session.commit()
    provision = add_provision(
        session,
        case.km,
        route,
        {"provision_type_id": str(mediate.id), "start_date": "2024-02-05", "cost": "1.250,50"},
        today=TODAY,
    )
    session.commit()
    assert provision.cost is not None and float(provision.cost) == 1250.50
    session.refresh(route)
    errors = _refused(
        session,
        Provision,
        lambda: add_provision(
            session,
            case.km,
            route,
            {"provision_type_id": str(diagnose.id), "start_date": "2024-03-01"},
            today=TODAY,
        ),
    )
    assert errors["provision_type_id"].startswith("Volgorde: een voorziening voor diagnose")
    errors = _refused(
        session,
        Provision,
        lambda: add_provision(
            session,
            case.km,
            route,
            {"provision_type_id": "vrije tekst", "start_date": "2024-03-01"},
            today=TODAY,
        ),
    )
    assert set(errors) == {"provision_type_id"}
    errors = _refused(
        session,
        Route,
        lambda: start_route(
            session,
            case.km,
            case.candidate,
            {"route_type": "WORK_12M", "start_date": "2024-03-01"},
            today=TODAY,
        ),
    )
    assert errors["route_type"] == "Er loopt al een route; beëindig die eerst."


def test_contact_and_exemption_are_validated(session: Session, case: Case) -> None:
    errors = _refused(
        session,
        Contact,
        lambda: add_contact(
            session,
            case.km,
            case.candidate,
            {"contact_date": "2099-01-01", "contact_type": "BRIEF", "summary": ""},
            today=TODAY,
        ),
    )
    assert set(errors) == {"contact_date", "contact_type", "summary"}
    add_contact(
        session,
        case.km,
        case.candidate,
        {"contact_date": "03-06-2024", "contact_type": "PHONE", "summary": "Gebeld"},
        today=TODAY,
    )
    session.commit()
    errors = _refused(
        session,
        Exemption,
        lambda: add_exemption(
            session,
            case.km,
            case.candidate,
            {"exemption_type": "TEMPORARY_URGENT", "start_date": "2024-06-01"},
        ),
    )
    assert errors == {"review_date": "Vul een einddatum of een datum van herbeoordeling in."}
    errors = _refused(
        session,
        Exemption,
        lambda: add_exemption(
            session,
            case.km,
            case.candidate,
            {
                "exemption_type": "TEMPORARY_URGENT",
                "start_date": "2024-06-01",
                "end_date": "2026-01-01",
            },
        ),
    )
    assert "maximaal 12 maanden" in errors["end_date"]
    add_exemption(
        session,
        case.km,
        case.candidate,
        {
            "exemption_type": "TEMPORARY_URGENT",
            "start_date": "2024-06-01",
            "review_date": "2024-12-01",
        },
    )
    session.commit()
    assert _count(session, Exemption) == 1 and _count(session, Contact) == 1


def test_job_exit_records_placement_with_instruments_one_claimant_and_follow_ups(
    session: Session, case: Case
) -> None:
    route = f.make_route(session, case.candidate, start_date=date(2024, 2, 1))
    employer = f.make_employer(session)
    session.commit()
    job = {
        "end_date": "2024-05-31",
        "end_reason": "JOB",
        "employer_id": str(employer.id),
        "job_type": "6",
        "contract_type": "TEMPORARY",
        "hours_per_week": "32",
        "instruments": ["LKS", "JOBCOACH"],
    }
    errors = _refused(
        session, Placement, lambda: end_route(session, case.km, route, job, today=TODAY)
    )
    assert errors == {"lks_loonwaarde": "Loonkostensubsidie vraagt een vastgestelde loonwaarde."}
    session.refresh(route)
    assert route.end_date is None
    result = end_route(session, case.km, route, {**job, "lks_loonwaarde": "55"}, today=TODAY)
    session.commit()
    placement = session.scalars(select(Placement)).one()
    assert (placement.claimed_by_team_id, placement.claimed_by_provider_id) == (case.team.id, None)
    assert sorted(
        (i.instrument, i.loonwaarde_pct) for i in session.scalars(select(PlacementInstrument))
    ) == [("JOBCOACH", None), ("LKS", 55)]
    dues = [
        (u.months, u.due_date) for u in session.scalars(select(FollowUp).order_by(FollowUp.months))
    ]
    assert dues == [(6, date(2024, 11, 30)), (12, date(2025, 5, 31)), (18, date(2025, 11, 30))]
    assert result.route.end_reason == "JOB"
    assert session.scalars(select(StateTransition.to_state)).all() == ["ENDED"]


def test_stopped_route_needs_a_coded_reason_and_creates_no_follow_up(
    session: Session, case: Case
) -> None:
    route = f.make_route(session, case.candidate, start_date=date(2024, 2, 1))
    session.commit()
    errors = _refused(
        session,
        StateTransition,
        lambda: end_route(
            session,
            case.km,
            route,
            {"end_date": "2024-05-31", "end_reason": "gestopt"},
            today=TODAY,
        ),
    )
    assert errors == {"end_reason": "Reden einde: onbekende code 'gestopt'."}
    end_route(
        session, case.km, route, {"end_date": "2024-05-31", "end_reason": "STOPPED"}, today=TODAY
    )
    session.commit()
    assert _count(session, FollowUp) == 0 and _count(session, Placement) == 0


def test_benefit_restart_within_twelve_months_of_a_work_exit_is_flagged_as_return(
    session: Session, case: Case
) -> None:
    f.make_route(
        session,
        case.candidate,
        start_date=date(2024, 1, 10),
        end_date=date(2024, 2, 1),
        end_reason="JOB",
    )
    spell = case.candidate.benefit_spells[0]
    session.commit()
    errors = _refused(
        session,
        StateTransition,
        lambda: restart_benefit(
            session,
            case.km,
            case.candidate,
            {"benefit_type": "PW", "start_date": "2024-05-01"},
            today=TODAY,
        ),
    )
    assert errors == {"start_date": "Er loopt nog een uitkering; beëindig die eerst."}
    end_benefit(
        session, case.km, spell, {"end_date": "2024-02-01", "end_reason": "WORK"}, today=TODAY
    )
    session.commit()
    _, is_return = restart_benefit(
        session,
        case.km,
        case.candidate,
        {"benefit_type": "PW", "start_date": "2024-05-01"},
        today=TODAY,
    )
    session.commit()
    session.refresh(case.candidate)
    assert is_return is True
    assert [(r.exit_date, r.restart_date) for r in returns_of_candidate(case.candidate)] == [
        (date(2024, 2, 1), date(2024, 5, 1))
    ]


def test_referral_is_picked_up_and_returned_with_a_reason_and_pool_hides_benefit_file(
    session: Session, case: Case
) -> None:
    errors = _refused(
        session,
        Referral,
        lambda: refer(session, case.km, case.candidate, {"work_wishes": ""}, today=TODAY),
    )
    assert set(errors) == {
        "wished_occupations", "days", "hours_min", "hours_max", "transport", "radius_km",
        "confirmed_on",
    }  # fmt: skip
    referral = refer(
        session,
        case.km,
        case.candidate,
        {"work_wishes": "Magazijn", "availability": "32 uur", **f.WORK_PROFILE_FORM},
        today=TODAY,
    )
    session.commit()
    pool = referred_pool(session, today=TODAY)
    assert [p.candidate_id for p in pool] == [case.candidate.id]
    assert not hasattr(pool[0], "bsn") and not hasattr(pool[0], "benefit_spells")
    pick_up(session, case.am, referral, today=TODAY)
    session.commit()
    errors = _refused(
        session,
        StateTransition,
        lambda: return_referral(session, case.am, referral, {"note": ""}, today=TODAY),
    )
    assert errors == {"note": "Reden van teruglegging is verplicht."}
    return_referral(session, case.am, referral, {"note": "Eerst taal"}, today=TODAY)
    session.commit()
    assert referral.state == "RETURNED" and referred_pool(session, today=TODAY) == []
    states = session.scalars(select(StateTransition.to_state).order_by(StateTransition.id)).all()
    assert states == ["OPEN", "PICKED_UP", "RETURNED"]


def test_teamleider_reassigns_within_the_team_only(session: Session, case: Case) -> None:
    other_team_km = f.make_user(session, "KLANTMANAGER", f.make_team(session))
    session.commit()
    errors = _refused(
        session,
        StateTransition,
        lambda: reassign(
            session,
            case.tl,
            [case.candidate.id],
            {"klantmanager_id": str(other_team_km.id), "reason": "Verlof"},
            today=TODAY,
        ),
    )
    assert errors == {"klantmanager_id": "Kies een actieve klantmanager van je eigen team."}
    loads = {r.name: r.candidates for r in caseload_per_fte(session, case.tl, today=TODAY)}
    assert loads[case.km.full_name] == 1
    assert (
        reassign(
            session,
            case.tl,
            [case.candidate.id],
            {"klantmanager_id": str(case.km2.id), "reason": "Verlof"},
            today=TODAY,
        ).count
        == 1
    )
    session.commit()
    session.refresh(case.candidate)
    assert case.candidate.klantmanager_id == case.km2.id
    logged = session.scalars(
        select(StateTransition.at).where(
            StateTransition.object_type == "candidate_klantmanager",
            StateTransition.object_id == case.candidate.id,
        )
    ).all()
    assert [at.date() for at in logged] == [TODAY]  # werkpad's today, not the wall clock
    loads = {r.name: r.candidates for r in caseload_per_fte(session, case.tl, today=TODAY)}
    assert (loads[case.km.full_name], loads[case.km2.full_name]) == (0, 1)


def test_thresholds_default(session: Session) -> None:
    assert load_configuration(session).thresholds == Thresholds()
