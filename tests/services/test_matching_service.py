"""Matching against the database: work profiles, rankings, centroids, settings, proposals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.errors import ValidationFailed
from werkpad.matching.config import MatchSettings, Weights
from werkpad.services.matching import (
    candidates_for_vacancy,
    import_centroids,
    load_geo,
    load_settings,
    save_settings,
    save_work_profile,
    vacancies_for_candidate,
)
from werkpad.services.proposals import move_proposal, shortlist
from werkpad.store.models import Proposal, Referral, StateTransition, User, Vacancy

TODAY = date(2026, 3, 1)
PROFILE = {
    "wished_occupations": ["Orderpicker"],
    "wished_sectors": ["LOGISTICS"],
    "skills": ["VCA"],
    "days": ["MA", "DI", "WO", "DO", "VR"],
    "hours_min": 16,
    "hours_max": 32,
    "radius_km": 10,
    "transport": "FIETS",
    "language_level": "B1",
}


def _referred(session: Session, user: User, state: str = "OPEN", **profile: object) -> int:
    cand = f.make_candidate(session, postcode="2511 AB", education_level="VMBO")
    session.add(Referral(candidate_id=cand.id, referred_on=date(2026, 1, 5), state=state))
    save_work_profile(session, user, cand.id, today=TODAY, **{**PROFILE, **profile})
    return cand.id


def _vacancy(session: Session, **kw: object) -> Vacancy:
    employer = f.make_employer(session)
    values: dict[str, object] = {
        "employer_id": employer.id,
        "title": "Orderpicker (24 uur)",
        "occupation": "Orderpicker",
        "sector": "LOGISTICS",
        "hours_per_week": 24,
        "postcode": "2512 CD",
        "opened_on": date(2026, 1, 1),
        "requirements": {"language_min": "B1", "skills": ["VCA"], "driving_licence": False},
        **kw,
    }
    vacancy = Vacancy(**values)
    session.add(vacancy)
    session.flush()
    return vacancy


def test_vacancy_ranks_referred_candidates_with_explanations(session: Session) -> None:
    am = f.make_user(session, role="ACCOUNTMANAGER")
    good = _referred(session, am)
    weaker = _referred(session, am, wished_sectors=["CARE"], wished_occupations=[])
    excluded = _referred(session, am, hours_min=30, hours_max=40)
    _closed = _referred(session, am, state="CLOSED")
    vacancy = _vacancy(session)
    match = candidates_for_vacancy(session, vacancy.id, today=TODAY, top=10)
    assert match.pool_size == 3  # the closed referral is not in the pool
    assert [r.candidate_id for r in match.results] == [good, weaker]
    assert excluded not in [r.candidate_id for r in match.results]
    texts = [ln.text for ln in match.results[0].lines]
    assert "sector past (Logistiek)" in texts
    assert any(t.startswith("reistijd ") and t.endswith("km)") for t in texts)
    assert match.results[0].warning == ""


def test_candidate_gets_only_open_vacancies(session: Session) -> None:
    am = f.make_user(session, role="ACCOUNTMANAGER")
    cand = _referred(session, am)
    open_one = _vacancy(session)
    _vacancy(session, closed_on=date(2026, 2, 1))
    results = vacancies_for_candidate(session, cand, today=TODAY)
    assert [r.vacancy_id for r in results] == [open_one.id]


def test_unknown_vacancy_or_missing_profile_is_refused_in_dutch(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="Vacature 999 bestaat niet"):
        candidates_for_vacancy(session, 999, today=TODAY)
    cand = f.make_candidate(session)
    with pytest.raises(ValidationFailed, match="geen werkprofiel"):
        vacancies_for_candidate(session, cand.id, today=TODAY)


def test_work_profile_with_bad_hours_or_codes_is_refused_and_not_written(session: Session) -> None:
    am = f.make_user(session, role="ACCOUNTMANAGER")
    cand = f.make_candidate(session)
    with pytest.raises(ValidationFailed, match="uren"):
        save_work_profile(session, am, cand.id, today=TODAY, **{**PROFILE, "hours_min": 40})
    with pytest.raises(ValidationFailed, match="onbekende code"):
        save_work_profile(session, am, cand.id, today=TODAY, **{**PROFILE, "restrictions": ["X"]})
    with pytest.raises(ValidationFailed):
        vacancies_for_candidate(session, cand.id, today=TODAY)


def test_saving_a_profile_confirms_it_today(session: Session) -> None:
    am = f.make_user(session, role="ACCOUNTMANAGER")
    cand = f.make_candidate(session)
    first = save_work_profile(session, am, cand.id, today=date(2025, 1, 1), **PROFILE)
    again = save_work_profile(session, am, cand.id, today=TODAY, radius_km=5)
    assert again.id == first.id
    assert (again.last_confirmed_on, again.radius_km, again.hours_max) == (TODAY, 5, 32)


def test_imported_centroids_replace_the_demo_table(session: Session, tmp_path: Path) -> None:
    assert "2511" in load_geo(session).xy  # packaged demo table while nothing is imported
    csv = tmp_path / "pc.csv"
    csv.write_text("postcode4,lat,lon,place\n1011,52.37,4.90,Amsterdam\n1012,52.38,4.89,A\n")
    assert import_centroids(session, csv) == 2
    geo = load_geo(session)
    assert set(geo.xy) == {"1011", "1012"}
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode4,lat,lon\n1011,12.0,4.9\n")
    with pytest.raises(ValidationFailed, match="buiten Nederland"):
        import_centroids(session, bad)


def test_weights_are_stored_as_a_setting(session: Session) -> None:
    assert load_settings(session) == MatchSettings()
    save_settings(session, MatchSettings(weights=Weights(travel=40), stale_after_days=30))
    session.flush()
    loaded = load_settings(session)
    assert (loaded.weights.travel, loaded.stale_after_days) == (40, 30)


def test_proposal_needs_consent_and_logs_every_step(session: Session) -> None:
    am = f.make_user(session, role="ACCOUNTMANAGER")
    cand = _referred(session, am)
    vacancy = _vacancy(session)
    proposal = shortlist(session, am, vacancy.id, cand, today=TODAY, score_milli=80_000)
    with pytest.raises(ValidationFailed, match="toestemming"):
        move_proposal(session, am, proposal, "PROPOSED", today=TODAY)
    with pytest.raises(ValidationFailed, match="niet toegestaan"):
        move_proposal(session, am, proposal, "PLACED", today=TODAY)
    move_proposal(session, am, proposal, "PROPOSED", today=TODAY, consent=True)
    move_proposal(session, am, proposal, "INTERVIEW", today=TODAY)
    assert (proposal.state, proposal.consent_on) == ("INTERVIEW", TODAY)
    steps = session.scalars(
        select(StateTransition.to_state)
        .where(StateTransition.object_type == "proposal", StateTransition.object_id == proposal.id)
        .order_by(StateTransition.id)
    ).all()
    assert steps == ["SHORTLISTED", "PROPOSED", "INTERVIEW"]
    with pytest.raises(ValidationFailed, match="al bij deze vacature"):
        shortlist(session, am, vacancy.id, cand, today=TODAY)


def test_database_refuses_a_proposal_beyond_the_shortlist_without_consent(
    session: Session,
) -> None:
    am = f.make_user(session, role="ACCOUNTMANAGER")
    cand = _referred(session, am)
    vacancy = _vacancy(session)
    session.add(
        Proposal(vacancy_id=vacancy.id, candidate_id=cand, state="PROPOSED", created_on=TODAY)
    )
    with pytest.raises(IntegrityError):
        session.flush()
