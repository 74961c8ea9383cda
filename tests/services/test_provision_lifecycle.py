"""A provision's life cycle in the services: planned, started, ended with a result, stopped
early with a reason or cancelled, every step logged; the exit decides for each open provision.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.errors import ValidationFailed
from werkpad.services.exits import end_route
from werkpad.services.plans import (
    add_provision,
    cancel_provision,
    change_provision_dates,
    complete_provision,
    start_provision,
    start_route,
    stop_provision,
)
from werkpad.store.models import Provision, Route, StateTransition, User

TODAY = date(2024, 6, 3)


@dataclass
class Case:
    km: User
    route: Route
    type_id: int


@pytest.fixture
def case(session: Session) -> Case:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    candidate = f.make_candidate(session, team, km, registered_on=date(2024, 1, 8))
    ptype = f.make_provision_type(session, phase="DEVELOP", gos_code="PS3")
    session.commit()
    route = start_route(
        session, km, candidate, {"route_type": "WORK_12M", "start_date": "2024-02-01"}, today=TODAY
    )
    session.commit()
    return Case(km, route, ptype.id)


def _add(session: Session, case: Case, **data: Any) -> Provision:
    provision = add_provision(
        session, case.km, case.route, {"provision_type_id": str(case.type_id), **data}, today=TODAY
    )
    session.commit()
    return provision


def _refused(session: Session, call: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        call()
    session.rollback()
    return {e.field: e.message for e in caught.value.errors}


def _steps(session: Session, provision: Provision) -> list[tuple[str | None, str]]:
    rows = session.execute(
        select(StateTransition.from_state, StateTransition.to_state)
        .where(
            StateTransition.object_type == "provision", StateTransition.object_id == provision.id
        )
        .order_by(StateTransition.id)
    )
    return [(a, b) for a, b in rows]


def test_provision_starting_after_today_is_planned_and_starts_later(
    session: Session, case: Case
) -> None:
    planned = _add(session, case, start_date="2024-07-01")
    assert planned.state == "PLANNED"
    errors = _refused(
        session,
        lambda: start_provision(
            session, case.km, planned, {"start_date": "2024-06-10"}, today=TODAY
        ),
    )
    assert errors == {
        "start_date": "Startdatum ligt in de toekomst: de voorziening is nog niet gestart."
    }
    start_provision(session, case.km, planned, {"start_date": "2024-06-03"}, today=TODAY)
    session.commit()
    assert planned.state == "STARTED" and planned.start_date == TODAY
    assert _steps(session, planned) == [(None, "PLANNED"), ("PLANNED", "STARTED")]


def test_started_provision_ends_with_a_result_from_the_code_list(
    session: Session, case: Case
) -> None:
    running = _add(session, case, start_date="2024-02-05")
    assert running.state == "STARTED"
    errors = _refused(
        session,
        lambda: complete_provision(
            session,
            case.km,
            running,
            {"end_date": "2024-05-01", "result": "STOPPED_EARLY"},
            today=TODAY,
        ),
    )
    assert errors == {
        "result": "Dit resultaat hoort bij voortijdig stoppen: kies 'Voortijdig stoppen'."
    }
    complete_provision(
        session, case.km, running, {"end_date": "2024-05-01", "result": "COMPLETED"}, today=TODAY
    )
    session.commit()
    assert (running.state, running.result, running.end_date) == (
        "COMPLETED",
        "COMPLETED",
        date(2024, 5, 1),
    )
    assert _steps(session, running)[-1] == ("STARTED", "COMPLETED")


def test_stopping_early_needs_a_reason_and_an_end_within_the_route(
    session: Session, case: Case
) -> None:
    running = _add(session, case, start_date="2024-02-05")
    errors = _refused(
        session,
        lambda: stop_provision(session, case.km, running, {"end_date": "2024-02-01"}, today=TODAY),
    )
    assert errors == {
        "end_date": "Einddatum ligt vóór de startdatum (05-02-2024).",
        "reason": "Reden van stoppen is verplicht.",
    }
    stop_provision(
        session,
        case.km,
        running,
        {"end_date": "2024-03-01", "reason": "Ziek geworden"},
        today=TODAY,
    )
    session.commit()
    assert (running.state, running.result, running.state_reason) == (
        "STOPPED",
        "STOPPED_EARLY",
        "Ziek geworden",
    )


def test_only_a_provision_not_yet_started_can_be_cancelled(session: Session, case: Case) -> None:
    running = _add(session, case, start_date="2024-02-05")
    errors = _refused(
        session, lambda: cancel_provision(session, case.km, running, {"reason": "x"}, today=TODAY)
    )
    assert errors["state"].startswith("Alleen een voorziening die nog niet gestart is")
    planned = _add(session, case, planned_start="2024-08-01")
    assert planned.state == "PLANNED"
    cancel_provision(session, case.km, planned, {"reason": "Aanbieder vol"}, today=TODAY)
    session.commit()
    assert planned.state == "CANCELLED" and planned.end_date is None


def test_changed_dates_are_checked_against_the_route(session: Session, case: Case) -> None:
    running = _add(session, case, start_date="2024-02-05")
    errors = _refused(
        session,
        lambda: change_provision_dates(
            session, case.km, running, {"start_date": "2024-01-15"}, today=TODAY
        ),
    )
    assert errors == {"start_date": "Startdatum ligt vóór de start van de route (01-02-2024)."}
    change_provision_dates(
        session,
        case.km,
        running,
        {"start_date": "2024-02-12", "planned_end": "2024-09-01"},
        today=TODAY,
    )
    session.commit()
    assert running.start_date == date(2024, 2, 12) and running.planned_end == date(2024, 9, 1)


def test_exit_asks_what_becomes_of_each_open_provision_and_writes_nothing_without(
    session: Session, case: Case
) -> None:
    running = _add(session, case, start_date="2024-02-05")
    planned = _add(session, case, start_date="2024-09-01")
    exit_data = {"end_date": "2024-06-01", "end_reason": "STOPPED"}
    errors = _refused(
        session, lambda: end_route(session, case.km, case.route, exit_data, today=TODAY)
    )
    assert set(errors) == {f"voorziening_{running.id}", f"voorziening_{planned.id}"}
    assert "kies wat er met deze voorziening gebeurt" in errors[f"voorziening_{running.id}"]
    session.refresh(case.route)
    assert case.route.end_date is None

    # A planned provision that starts after the exit can only be cancelled, not ended.
    errors = _refused(
        session,
        lambda: end_route(
            session,
            case.km,
            case.route,
            {
                **exit_data,
                f"voorziening_{running.id}": "afronden",
                f"voorziening_{planned.id}": "afronden",
            },
            today=TODAY,
        ),
    )
    assert list(errors) == [f"voorziening_{planned.id}"]
    assert errors[f"voorziening_{planned.id}"].endswith(
        "start pas op 01-09-2024, na de einddatum: annuleer deze voorziening."
    )

    end_route(
        session,
        case.km,
        case.route,
        {
            **exit_data,
            f"voorziening_{running.id}": "afronden",
            f"voorziening_{running.id}_result": "COMPLETED",
            f"voorziening_{planned.id}": "annuleren",
            f"voorziening_{planned.id}_reason": "Route gestopt",
        },
        today=TODAY,
    )
    session.commit()
    assert case.route.end_date == date(2024, 6, 1)
    assert (running.state, running.result, running.end_date) == (
        "COMPLETED",
        "COMPLETED",
        date(2024, 6, 1),
    )
    assert (planned.state, planned.state_reason) == ("CANCELLED", "Route gestopt")
    blank = session.scalar(
        select(func.count())
        .select_from(Provision)
        .where(Provision.end_date.is_not(None), Provision.result.is_(None))
    )
    assert blank == 0, "no provision is closed with an empty result"
