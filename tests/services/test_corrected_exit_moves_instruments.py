"""A corrected exit date moves the job's start and, with it, the instruments that started with
the job (found by the two-way proof: the placement moved, its LKS and jobcoach did not)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

import factories as f
from werkpad.services.corrections import correct_record
from werkpad.store.models import PlacementInstrument


def test_correcting_an_exit_date_moves_the_placement_and_its_instruments(session: Session) -> None:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    candidate = f.make_candidate(session, team, km)
    exit_day, corrected = date(2024, 1, 8), date(2023, 12, 28)
    route = f.make_route(
        session, candidate, start_date=date(2023, 1, 1), end_date=exit_day, end_reason="JOB"
    )
    placement = f.make_placement(
        session, candidate, route, f.make_employer(session), start_date=exit_day
    )
    lks = PlacementInstrument(
        placement_id=placement.id, instrument="LKS", loonwaarde_pct=60, start_date=exit_day
    )
    later = PlacementInstrument(
        placement_id=placement.id, instrument="JOBCOACH", start_date=date(2024, 3, 1)
    )
    session.add_all([lks, later])
    session.commit()
    correct_record(
        session,
        km,
        candidate,
        "route",
        route,
        {"end_date": corrected.isoformat(), "reason": "Verkeerde datum"},
        today=date(2024, 1, 10),
    )
    session.commit()
    assert placement.start_date == corrected
    assert lks.start_date == corrected
    assert later.start_date == date(2024, 3, 1)  # started later on its own: stays
