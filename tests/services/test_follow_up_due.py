"""Follow-up after a work exit: recorded on or after its due date only, and saying so when
the benefit data show a return (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.errors import ValidationFailed
from werkpad.services.exits import complete_follow_up
from werkpad.store.models import FollowUp, User

EXIT = date(2020, 1, 1)
TODAY = date(2021, 9, 1)


def _follow_up(session: Session, *, restart: date | None = None) -> tuple[User, FollowUp]:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    candidate = f.make_candidate(session, team, km)
    f.make_benefit_spell(session, candidate, end_date=date(2019, 12, 31), end_reason="WORK")
    if restart is not None:
        f.make_benefit_spell(session, candidate, start_date=restart, application_date=restart)
    route = f.make_route(session, candidate, end_date=EXIT, end_reason="JOB")
    placement = f.make_placement(session, candidate, route, f.make_employer(session))
    follow_up = FollowUp(placement_id=placement.id, months=12, due_date=date(2021, 1, 1))
    session.add(follow_up)
    session.commit()
    return km, follow_up


def test_twelve_month_follow_up_before_its_due_date_is_refused_with_the_date(
    session: Session,
) -> None:
    km, follow_up = _follow_up(session)
    with pytest.raises(ValidationFailed) as caught:
        complete_follow_up(
            session, km, follow_up, {"done_on": "2020-01-01", "still_working": "ja"}, today=TODAY
        )
    session.rollback()
    assert caught.value.as_dict() == [
        {
            "field": "done_on",
            "message": "De nazorg na 12 maanden kan pas vanaf 01-01-2021 worden vastgelegd.",
        }
    ]
    session.refresh(follow_up)
    assert follow_up.done_on is None
    complete_follow_up(
        session, km, follow_up, {"done_on": "2021-01-01", "still_working": "ja"}, today=TODAY
    )
    session.commit()
    assert follow_up.done_on == date(2021, 1, 1) and follow_up.back_on_benefit is None


def test_follow_up_says_so_when_the_benefit_data_show_a_return(session: Session) -> None:
    km, follow_up = _follow_up(session, restart=date(2020, 8, 1))
    complete_follow_up(
        session, km, follow_up, {"done_on": "2021-01-05", "still_working": "nee"}, today=TODAY
    )
    session.commit()
    assert follow_up.back_on_benefit is True
    assert follow_up.note == "Volgens de uitkeringsgegevens weer in de uitkering sinds 01-08-2020."
