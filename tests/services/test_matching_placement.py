"""The pipeline's placement feeds the outcome KPIs, and stale work profiles reach the worklist.

Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.domain.errors import ValidationFailed
from werkpad.domain.worklist import Thresholds
from werkpad.matching.config import MatchSettings
from werkpad.services.matching import save_settings, save_work_profile
from werkpad.services.proposals import move_proposal, place_proposal, shortlist_candidate
from werkpad.services.snapshot import load_snapshot
from werkpad.services.worklist import build_worklist
from werkpad.store.models import Candidate, Placement, Referral, Route, Team, User, Vacancy

TODAY = date(2026, 3, 2)
PROFILE = {
    "wished_occupations": ["Orderpicker"],
    "wished_sectors": ["LOGISTICS"],
    "hours_min": 16,
    "hours_max": 32,
    "radius_km": 15,
    "transport": "FIETS",
    "language_level": "B1",
}


def _referred(session: Session, km: User, am: User, **kw: object) -> tuple[Candidate, Route]:
    team = session.get(Team, km.team_id)
    cand = f.make_candidate(session, team, km, postcode="2511 AB", education_level="VMBO", **kw)
    f.make_assessment(session, cand, segment="DH_A", ladder_step=4)
    route = f.make_route(session, cand, start_date=date(2025, 9, 1))
    session.add(
        Referral(
            candidate_id=cand.id, route_id=route.id, referred_on=date(2026, 1, 5), state="OPEN"
        )
    )
    save_work_profile(session, am, cand.id, today=TODAY, **PROFILE)
    return cand, route


def _vacancy(session: Session) -> Vacancy:
    employer = f.make_employer(session, postcode="2512 CD")
    return f.make_vacancy(session, employer, requirements={"language_min": "B1"})


def _job_exit_figures(engine: Engine) -> tuple[float, float]:
    """(part-time job exits started in 2026, routes ended with a job exit) from the KPIs."""
    snap = load_snapshot(engine, TODAY)
    kpis = compute_kpis(
        snap, KpiContext.for_snapshot(snap), ids=["job_exits_by_type", "route_end_reasons"]
    )

    def pick(kpi: str, **where: str) -> float:
        rows = kpis[kpis["kpi_id"] == kpi]
        for column, value in where.items():
            rows = rows[rows[column].astype(str) == value]
        return float(rows["value"].sum()) if not rows.empty else 0.0

    part_time = pick("job_exits_by_type", period="2026", measure="count")
    job_routes = pick("route_end_reasons", measure="count")
    return part_time, job_routes


def _earlier_job_exit(session: Session, km: User) -> None:
    """Another candidate who left for a full-time job in 2025 (the KPIs need one placement)."""
    other = f.make_candidate(session, session.get(Team, km.team_id), km)
    route = f.make_route(
        session, other, start_date=date(2024, 5, 1), end_date=date(2025, 4, 1), end_reason="JOB"
    )
    f.make_placement(session, other, route, f.make_employer(session), start_date=date(2025, 4, 1))


@pytest.fixture
def people(session: Session) -> tuple[User, User]:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    am = f.make_user(session, "ACCOUNTMANAGER", None)
    return km, am


def test_a_placement_recorded_from_the_pipeline_appears_in_the_job_exit_kpis(
    session: Session, engine: Engine, people: tuple[User, User]
) -> None:
    km, am = people
    cand, route = _referred(session, km, am)
    vacancy = _vacancy(session)
    _earlier_job_exit(session, km)
    session.commit()
    before = _job_exit_figures(engine)

    proposal = shortlist_candidate(session, am, vacancy.id, cand.id, today=TODAY)
    move_proposal(session, am, proposal, "PROPOSED", today=TODAY, consent=True)
    move_proposal(session, am, proposal, "INTERVIEW", today=TODAY)
    result = place_proposal(
        session,
        am,
        proposal,
        {
            "job_type": "4",
            "contract_type": "TEMPORARY",
            "hours_per_week": "24",
            "end_date": TODAY.isoformat(),
            "instruments": ["NO_RISK_POLIS", "WERKGEVERSCHEQUE"],
        },
        today=TODAY,
    )
    session.commit()

    assert result.route.id == route.id and result.route.end_reason == "JOB"
    assert result.placement is not None and result.placement.vacancy_id == vacancy.id
    assert len(result.follow_ups) == 3
    after = _job_exit_figures(engine)
    # The earlier exit (2025, full-time) is not in 2026's job exits but is an ended route.
    assert before == (0.0, 1.0)
    # One part-time job (type 4) started in 2026: counted in its type row and in Totaal.
    assert after == (2.0, 2.0)


def test_placing_a_candidate_without_an_open_route_is_refused_and_writes_nothing(
    session: Session, engine: Engine, people: tuple[User, User]
) -> None:
    km, am = people
    cand, route = _referred(session, km, am)
    route.end_date, route.end_reason = date(2026, 2, 1), "STOPPED"
    vacancy = _vacancy(session)
    proposal = shortlist_candidate(session, am, vacancy.id, cand.id, today=TODAY)
    move_proposal(session, am, proposal, "PROPOSED", today=TODAY, consent=True)
    move_proposal(session, am, proposal, "INTERVIEW", today=TODAY)
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        place_proposal(
            session,
            am,
            proposal,
            {"job_type": "4", "contract_type": "TEMPORARY", "hours_per_week": "24"},
            today=TODAY,
        )
    session.rollback()
    assert refused.value.errors[0].field == "route"
    assert proposal.state == "INTERVIEW"
    assert session.scalar(select(func.count()).select_from(Placement)) == 0


def test_stale_work_profile_of_a_referred_candidate_is_a_worklist_signal(
    session: Session, people: tuple[User, User]
) -> None:
    km, am = people
    _fresh, _ = _referred(session, km, am, last_name="Vers")
    stale, _ = _referred(session, km, am, last_name="Oud")
    save_work_profile(session, am, stale.id, today=date(2025, 10, 1))
    session.commit()

    def stale_ids(**kw: int) -> set[int]:
        items = build_worklist(session, km, today=TODAY, thresholds=Thresholds(), **kw)
        return {
            i.candidate_id for i in items if any(s.code == "STALE_WORK_PROFILE" for s in i.signals)
        }

    # Default: the matching setting stale_after_days (90); 2025-10-01 is 152 days ago.
    assert stale_ids() == {stale.id}
    assert stale_ids(stale_profile_days=200) == set()
    save_settings(session, MatchSettings.from_dict({"stale_after_days": 365}))
    session.commit()
    assert stale_ids() == set()
    assert stale_ids(stale_profile_days=0) == {stale.id}  # confirmed today: never stale
    signal = next(
        s
        for i in build_worklist(
            session, km, today=TODAY, thresholds=Thresholds(), stale_profile_days=30
        )
        if i.candidate_id == stale.id
        for s in i.signals
        if s.code == "STALE_WORK_PROFILE"
    )
    assert signal.label == "Werkprofiel verouderd"
    assert "01-10-2025" in signal.detail
