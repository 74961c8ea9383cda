from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from werkpad.domain.codelists import all_code_lists
from werkpad.store.models import Candidate, CodeEntry, Route


def _candidate(bsn: str = "111222333") -> Candidate:
    return Candidate(
        bsn=bsn,
        first_name="Fatima",
        last_name="El Amrani",
        birth_date=date(1985, 3, 2),
        sex="V",
        registered_on=date(2019, 1, 7),
    )


def test_migrations_mirror_every_code_list_into_the_database(session: Session) -> None:
    count = session.scalar(sa.select(sa.func.count()).select_from(CodeEntry))
    assert count == sum(len(codes) for codes in all_code_lists().values())
    labels = session.scalars(
        sa.select(CodeEntry.label_nl).where(CodeEntry.list_name == "route_end_reason")
    ).all()
    assert "Dagopleiding" in labels


def test_route_end_before_start_is_refused_by_the_database(session: Session) -> None:
    cand = _candidate()
    session.add(cand)
    session.flush()
    session.add(
        Route(
            candidate_id=cand.id,
            route_type="WORK_12M",
            start_date=date(2020, 5, 1),
            end_date=date(2020, 4, 1),
            end_reason="JOB",
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_ended_route_without_end_reason_is_refused(session: Session) -> None:
    cand = _candidate()
    session.add(cand)
    session.flush()
    session.add(
        Route(
            candidate_id=cand.id,
            route_type="WORK_12M",
            start_date=date(2020, 5, 1),
            end_date=date(2020, 6, 1),
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_same_bsn_twice_is_refused(session: Session) -> None:
    session.add(_candidate())
    session.flush()
    session.add(_candidate())
    with pytest.raises(IntegrityError):
        session.flush()
