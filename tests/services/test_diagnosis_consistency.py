"""A contradictory diagnosis is saved only when confirmed with a reason; the warnings and the
reason are recorded, and a routing proposal no longer changes the route silently."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.errors import ValidationFailed
from werkpad.services.configuration import load_configuration
from werkpad.services.diagnosis import record_assessment
from werkpad.store.models import Assessment, Candidate, User

TODAY = date(2024, 6, 3)
CONTRADICTORY = {
    "ladder_step": "1",
    "segment": "DH_A",
    "loonwaarde_pct": "95",
    "months_to_work": "40",
    "reason": "Intake",
}


@pytest.fixture
def km_and_candidate(session: Session) -> tuple[User, Candidate]:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    candidate = f.make_candidate(session, team, km)
    session.commit()
    return km, candidate


def _assess(session: Session, km: User, candidate: Candidate, data: dict[str, Any]) -> Assessment:
    session.refresh(candidate)
    return record_assessment(
        session, km, candidate, data, today=TODAY, config=load_configuration(session)
    )


def test_contradictory_diagnosis_is_refused_until_confirmed_with_a_reason(
    session: Session, km_and_candidate: tuple[User, Candidate]
) -> None:
    km, candidate = km_and_candidate
    with pytest.raises(ValidationFailed) as caught:
        _assess(session, km, candidate, CONTRADICTORY)
    session.rollback()
    (error,) = caught.value.errors
    assert error.field == "consistency_reason"
    assert "Een loonwaarde van 80% of meer past niet bij trede 1 of 2." in error.message
    assert session.scalar(select(func.count()).select_from(Assessment)) == 0

    saved = _assess(
        session,
        km,
        candidate,
        {**CONTRADICTORY, "consistency_confirmed": "ja", "consistency_reason": "Net hersteld"},
    )
    session.commit()
    assert saved.consistency_override_reason == "Net hersteld"
    assert saved.consistency_warnings is not None
    assert "LOW_STEP_HIGH_LOONWAARDE" in saved.consistency_warnings


def test_a_proposal_that_changes_the_chosen_route_asks_for_confirmation(
    session: Session, km_and_candidate: tuple[User, Candidate]
) -> None:
    km, candidate = km_and_candidate
    first = _assess(
        session,
        km,
        candidate,
        {"ladder_step": "3", "segment": "DH_B", "loonwaarde_pct": "40", "reason": "Intake"},
    )
    session.commit()
    assert first.route_decision == "SUPPORTED_WORK"
    later = {
        "ladder_step": "5",
        "segment": "DH_B",
        "loonwaarde_pct": "85",
        "reason": "Herbeoordeling",
    }
    with pytest.raises(ValidationFailed) as caught:
        _assess(session, km, candidate, later)
    session.rollback()
    assert (
        "Het routevoorstel verandert van Werken naar vermogen (ondersteund) naar Directe "
        "bemiddeling" in caught.value.errors[0].message
    )
    saved = _assess(
        session,
        km,
        candidate,
        {**later, "consistency_confirmed": "ja", "consistency_reason": "Gaat goed vooruit"},
    )
    assert saved.route_decision == "DIRECT_MEDIATION"
    assert saved.consistency_warnings == ["ROUTE_CHANGED"]
