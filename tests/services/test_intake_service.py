"""register_candidate: a valid intake writes the candidate and the benefit spell; any invalid
field raises ValidationFailed with a Dutch message and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.errors import ValidationFailed
from werkpad.services.candidates import register_candidate
from werkpad.store.models import BenefitSpell, Candidate, User

TODAY = date(2024, 5, 1)


def valid_intake(**overrides: Any) -> dict[str, Any]:
    data = {
        "bsn": "111222333",
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_date": "1988-04-12",
        "sex": "V",
        "postcode": "2512ab",
        "city": "Den Haag",
        "benefit_type": "PW",
        "application_date": "2024-03-20",
        "benefit_start_date": "2024-04-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def klantmanager(session: Session) -> User:
    user = f.make_user(session, "KLANTMANAGER", f.make_team(session))
    session.commit()
    return user


def _counts(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count(Candidate.id))) or 0,
        session.scalar(select(func.count(BenefitSpell.id))) or 0,
    )


def _errors(session: Session, user: User, **overrides: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        register_candidate(session, valid_intake(**overrides), user, today=TODAY)
    session.rollback()
    assert _counts(session) == (0, 0), "nothing may be written on a validation error"
    return {e.field: e.message for e in caught.value.errors}


def test_register_candidate_writes_candidate_and_first_benefit_spell(
    session: Session, klantmanager: User
) -> None:
    candidate = register_candidate(session, valid_intake(), klantmanager, today=TODAY)
    session.commit()
    stored = session.scalars(select(Candidate)).one()
    assert stored.id == candidate.id
    assert stored.bsn == "111222333"
    assert stored.postcode == "2512 AB"
    assert stored.team_id == klantmanager.team_id
    assert stored.klantmanager_id == klantmanager.id
    assert stored.registered_on == TODAY
    spell = session.scalars(select(BenefitSpell)).one()
    assert (spell.candidate_id, spell.benefit_type, spell.start_date) == (
        candidate.id,
        "PW",
        date(2024, 4, 1),
    )


def test_register_rejects_invalid_bsn_and_writes_nothing(
    session: Session, klantmanager: User
) -> None:
    errors = _errors(session, klantmanager, bsn="123456789")
    assert errors == {
        "bsn": "BSN is ongeldig: het moet 9 cijfers hebben en voldoen aan de elfproef."
    }


def test_register_rejects_benefit_end_before_start_and_writes_nothing(
    session: Session, klantmanager: User
) -> None:
    errors = _errors(session, klantmanager, benefit_end_date="2024-03-31")
    assert errors == {"benefit_end_date": "Einddatum ligt vóór de startdatum."}


def test_register_rejects_unknown_codes_and_writes_nothing(
    session: Session, klantmanager: User
) -> None:
    errors = _errors(session, klantmanager, sex="Q", benefit_type="WW", education_level="PHD")
    assert errors == {
        "sex": "Geslacht: onbekende code 'Q'.",
        "benefit_type": "Soort uitkering: onbekende code 'WW'.",
        "education_level": "Opleidingsniveau: onbekende code 'PHD'.",
    }


def test_register_refuses_a_duplicate_bsn(session: Session, klantmanager: User) -> None:
    register_candidate(session, valid_intake(), klantmanager, today=TODAY)
    session.commit()
    with pytest.raises(ValidationFailed) as caught:
        register_candidate(session, valid_intake(first_name="Ander"), klantmanager, today=TODAY)
    session.rollback()
    assert caught.value.as_dict() == [
        {"field": "bsn", "message": "Er is al een kandidaat met dit BSN."}
    ]
    assert _counts(session) == (1, 1)


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("2030-01-01", "Geboortedatum ligt in de toekomst."),
        ("1900-01-01", "Geboortedatum is niet aannemelijk"),
        ("2015-01-01", "Geboortedatum is niet aannemelijk"),
        ("31-02-1990", "Geboortedatum is geen geldige datum"),
    ],
)
def test_register_rejects_implausible_birth_date(
    session: Session, klantmanager: User, birth_date: str, message: str
) -> None:
    errors = _errors(session, klantmanager, birth_date=birth_date)
    assert errors["birth_date"].startswith(message)


def test_register_reports_every_missing_required_field_at_once(
    session: Session, klantmanager: User
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        register_candidate(session, {}, klantmanager, today=TODAY)
    fields = {e.field for e in caught.value.errors}
    assert fields == {
        "bsn",
        "first_name",
        "last_name",
        "birth_date",
        "sex",
        "benefit_type",
        "benefit_start_date",
    }


def test_register_accepts_dutch_dates_and_eight_digit_bsn(
    session: Session, klantmanager: User
) -> None:
    # 11222335 is 011222335 with the leading zero dropped, as spreadsheets do.
    data = valid_intake(bsn="11222335", birth_date="12-04-1988", benefit_start_date="01-04-2024")
    candidate = register_candidate(session, data, klantmanager, today=TODAY)
    assert candidate.birth_date == date(1988, 4, 12)
    assert candidate.bsn == "011222335"


def test_teamleider_cannot_assign_a_klantmanager_of_another_team(session: Session) -> None:
    team, other_team = f.make_team(session), f.make_team(session)
    leader = f.make_user(session, "TEAMLEIDER", team)
    outsider = f.make_user(session, "KLANTMANAGER", other_team)
    session.commit()
    errors = _errors(session, leader, klantmanager_id=str(outsider.id))
    assert errors == {"klantmanager_id": "Onbekende klantmanager."}
