"""Worklist signals: the pure rules, and the service that gathers facts in bounded queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.worklist import (
    PARTICIPATION,
    CandidateFacts,
    Thresholds,
    signals,
    thresholds_from_mapping,
)
from werkpad.services.worklist import build_worklist
from werkpad.store.models import Candidate

TODAY = date(2024, 6, 3)


def _codes(facts: CandidateFacts, t: Thresholds | None = None) -> set[str]:
    return {s.code for s in signals(facts, TODAY, t or Thresholds())}


def test_a_fresh_candidate_without_diagnosis_only_misses_a_classification() -> None:
    facts = CandidateFacts(1, registered_on=date(2024, 5, 27))
    assert _codes(facts) == {"NO_CLASSIFICATION"}


def test_participation_needs_one_contact_a_year_reintegration_three() -> None:
    base = CandidateFacts(
        1,
        date(2020, 1, 1),
        has_classification=True,
        last_assessment=date(2024, 1, 1),
        contact_dates=(date(2024, 5, 1),),
    )
    assert "CONTACT_FREQUENCY" in _codes(base)
    assert "CONTACT_FREQUENCY" not in _codes(
        CandidateFacts(**{**base.__dict__, "track": PARTICIPATION})
    )


def test_thresholds_change_when_signals_fire() -> None:
    facts = CandidateFacts(
        1,
        date(2020, 1, 1),
        has_classification=True,
        last_assessment=date(2024, 1, 1),
        contact_dates=(date(2024, 1, 2), date(2024, 2, 1), date(2024, 3, 1)),
        has_open_route=True,
        open_route_start=date(2024, 4, 1),
        open_referral_dates=(date(2024, 5, 25),),
    )
    assert _codes(facts) == {"NO_CONTACT", "WAITING"}
    relaxed = thresholds_from_mapping(
        {
            "weeks_without_contact": "20",
            "weeks_between_provisions": "12",
            "days_referral_not_picked_up": "7",
        }
    )
    assert _codes(facts, relaxed) == {"REFERRAL_WAITING"}


def test_two_years_on_benefit_or_in_a_route_without_exit_are_signalled() -> None:
    facts = CandidateFacts(
        1,
        date(2020, 1, 1),
        has_classification=True,
        last_assessment=date(2021, 1, 1),
        contact_dates=(date(2024, 5, 1), date(2024, 3, 1), date(2024, 1, 10)),
        benefit_start=date(2020, 1, 1),
        has_open_route=True,
        open_route_start=date(2022, 1, 1),
        provisions=((date(2022, 1, 1), None),),
        follow_up_dues=(date(2024, 6, 10),),
        exemption_reviews=(date(2024, 6, 1),),
        classification_review=date(2024, 7, 1),
    )
    assert _codes(facts) == {
        "BENEFIT_NO_REEXAMINATION",
        "LONG_ROUTE",
        "FOLLOW_UP",
        "EXEMPTION_REVIEW",
    }


def test_worklist_query_count_does_not_grow_with_the_caseload(session: Session) -> None:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    counts = []
    for size in (2, 12):
        while (session.scalar(select(func.count(Candidate.id))) or 0) < size:
            c = f.make_candidate(session, team, km)
            f.make_benefit_spell(session, c)
            f.make_contact(session, c, km)
        session.commit()
        statements: list[str] = []
        engine = session.get_bind()
        listener = lambda *a: statements.append(a[2])  # noqa: E731, B023
        event.listen(engine, "before_cursor_execute", listener)
        items = build_worklist(session, km, today=TODAY, thresholds=Thresholds())
        event.remove(engine, "before_cursor_execute", listener)
        assert len(items) == size
        counts.append(len(statements))
    # One query per kind of fact (issue 16 added missed appointments and signal decisions).
    assert counts[0] == counts[1] <= 12
