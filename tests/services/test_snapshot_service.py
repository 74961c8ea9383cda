"""load_snapshot: pseudonymised frames as of a reference date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

import factories as f
from werkpad.services.snapshot import load_snapshot


def test_snapshot_frames_hold_no_bsn_or_names(session: Session, engine: Engine) -> None:
    team = f.make_team(session)
    f.make_full_candidate(session, team)
    session.commit()
    snap = load_snapshot(engine, date(2024, 1, 1))
    frames = [snap.routes, snap.provisions, snap.placements, snap.benefit_spells]
    columns = {c for frame in frames for c in frame.columns}
    assert not columns & {"bsn", "first_name", "last_name", "street", "email", "phone"}
    assert len(snap.routes) == 1
    assert len(snap.provisions) == 2
    assert len(snap.placements) == 1


def test_snapshot_treats_later_events_as_not_yet_happened(session: Session, engine: Engine) -> None:
    team = f.make_team(session)
    candidate = f.make_candidate(session, team)
    f.make_route(
        session, candidate, start_date=date(2020, 1, 1), end_date=date(2021, 1, 1), end_reason="JOB"
    )
    f.make_route(session, candidate, start_date=date(2022, 1, 1))
    session.commit()
    snap = load_snapshot(engine, date(2020, 6, 30))
    assert len(snap.routes) == 1
    assert snap.routes["end_date"].isna().all()
    assert snap.routes["end_reason"].isna().all()
