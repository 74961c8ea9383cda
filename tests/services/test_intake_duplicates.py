"""Intake duplicates: the same BSN is refused; a similar name with the same birth date warns
(nothing written) until the intaker confirms it is another person."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.bsn import bsn_from_stem
from werkpad.domain.errors import ValidationFailed
from werkpad.services.candidates import PossibleDuplicate, names_similar, register_candidate
from werkpad.store.models import Candidate, User

TODAY = date(2024, 5, 1)


def intake(**overrides: Any) -> dict[str, Any]:
    data = {
        "bsn": bsn_from_stem(11_122_233),
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_date": "1988-04-12",
        "sex": "V",
        "benefit_type": "PW",
        "benefit_start_date": "2024-04-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def klantmanager(session: Session) -> User:
    user = f.make_user(session, "KLANTMANAGER", f.make_team(session))
    session.commit()
    return user


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(Candidate.id))) or 0)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Fatima", "El Amrani", True),
        ("fatima", "el-amrani", True),
        ("Fatma", "Amrani", True),
        ("F.", "El Amrany", True),
        ("Fátima", "El Ámrani", True),
        ("Karim", "El Amrani", False),
        ("Fatima", "Bakker", False),
    ],
)
def test_names_are_similar_despite_case_accents_prefixes_and_a_typo(
    first: str, last: str, expected: bool
) -> None:
    assert names_similar("Fatima", "El Amrani", first, last) is expected


def test_same_bsn_is_refused_in_dutch_and_writes_nothing(
    session: Session, klantmanager: User
) -> None:
    register_candidate(session, intake(), klantmanager, today=TODAY)
    session.commit()
    with pytest.raises(ValidationFailed) as caught:
        register_candidate(
            session,
            intake(first_name="Iemand", last_name="Anders", birth_date="1970-01-01"),
            klantmanager,
            today=TODAY,
            allow_similar=True,
        )
    session.rollback()
    assert {e.field: e.message for e in caught.value.errors} == {
        "bsn": "Er is al een kandidaat met dit BSN."
    }
    assert _count(session) == 1


def test_similar_name_and_same_birth_date_warns_and_writes_nothing_until_confirmed(
    session: Session, klantmanager: User
) -> None:
    first = register_candidate(session, intake(), klantmanager, today=TODAY)
    session.commit()
    second = intake(bsn=bsn_from_stem(22_233_344), first_name="Fatma", last_name="Amrani")
    with pytest.raises(PossibleDuplicate) as caught:
        register_candidate(session, second, klantmanager, today=TODAY)
    session.rollback()
    assert [c.id for c in caught.value.similar] == [first.id]
    assert _count(session) == 1

    confirmed = register_candidate(session, second, klantmanager, today=TODAY, allow_similar=True)
    session.commit()
    assert confirmed.id != first.id
    assert _count(session) == 2


def test_similar_name_with_another_birth_date_registers_without_warning(
    session: Session, klantmanager: User
) -> None:
    register_candidate(session, intake(), klantmanager, today=TODAY)
    session.commit()
    register_candidate(
        session,
        intake(bsn=bsn_from_stem(22_233_344), birth_date="1988-04-13"),
        klantmanager,
        today=TODAY,
    )
    session.commit()
    assert _count(session) == 2
