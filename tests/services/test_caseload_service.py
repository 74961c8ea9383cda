"""list_caseload: team scoping, search, filters, latest assessment, paging."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

import factories as f
from werkpad.services.caseload import CaseloadFilter, list_caseload
from werkpad.store.models import User

TODAY = date(2024, 6, 1)


@pytest.fixture
def caseload(session: Session) -> dict[str, object]:
    team, other = f.make_team(session), f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    km2 = f.make_user(session, "KLANTMANAGER", team)
    leader = f.make_user(session, "TEAMLEIDER", team)
    analist = f.make_user(session, "ANALIST")
    anna = f.make_candidate(
        session,
        team,
        km,
        first_name="Anna",
        last_name="Aalbers",
        bsn="111222333",
        birth_date=date(1990, 6, 2),
    )
    f.make_assessment(session, anna, assessed_on=date(2023, 1, 1), segment="DH_C", ladder_step=2)
    f.make_assessment(session, anna, assessed_on=date(2024, 1, 1), segment="DH_A", ladder_step=5)
    f.make_route(session, anna, start_date=date(2024, 2, 1))
    f.make_contact(session, anna, km, contact_date=date(2024, 5, 2))
    f.make_contact(session, anna, km, contact_date=date(2024, 3, 1))
    bram = f.make_candidate(session, team, km2, first_name="Bram", last_name="Bos")
    f.make_assessment(session, bram, segment="DH_B", ladder_step=3)
    f.make_route(
        session, bram, start_date=date(2023, 1, 1), end_date=date(2023, 6, 1), end_reason="STOPPED"
    )
    f.make_candidate(session, other, None, first_name="Anna", last_name="Anders")
    session.commit()
    return {"km": km, "leader": leader, "analist": analist, "anna": anna, "bram": bram}


def _names(session: Session, user: object, **kw: object) -> list[str]:
    assert isinstance(user, User)
    page = list_caseload(session, user, CaseloadFilter(**kw), today=TODAY)  # type: ignore[arg-type]
    return [r.name for r in page.rows]


def test_caseload_shows_only_the_users_team(session: Session, caseload: dict) -> None:
    assert _names(session, caseload["leader"]) == ["Anna Aalbers", "Bram Bos"]


def test_caseload_shows_nothing_to_roles_without_a_caseload(
    session: Session, caseload: dict
) -> None:
    assert _names(session, caseload["analist"]) == []


def test_caseload_row_uses_latest_assessment_open_route_and_last_contact(
    session: Session, caseload: dict
) -> None:
    page = list_caseload(session, caseload["leader"], CaseloadFilter(q="aalbers"), today=TODAY)
    (row,) = page.rows
    assert (row.segment, row.trede) == ("DH_A", 5)
    assert row.open_route_type == "WORK_12M"
    assert row.last_contact == date(2024, 5, 2)
    assert row.days_since_contact == 30
    assert row.age == 33  # turns 34 the day after the reference date


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"q": "anna"}, ["Anna Aalbers"]),
        ({"q": "111222333"}, ["Anna Aalbers"]),
        ({"q": "11122"}, ["Anna Aalbers"]),
        ({"segment": "DH_B"}, ["Bram Bos"]),
        ({"segment": "DH_C"}, []),  # an older assessment does not count
        ({"trede": 5}, ["Anna Aalbers"]),
        ({"open_route": True}, ["Anna Aalbers"]),
        ({"open_route": False}, ["Bram Bos"]),
    ],
)
def test_caseload_filters(session: Session, caseload: dict, kw: dict, expected: list[str]) -> None:
    assert _names(session, caseload["leader"], **kw) == expected


def test_caseload_filters_on_klantmanager(session: Session, caseload: dict) -> None:
    km = caseload["km"]
    assert _names(session, caseload["leader"], klantmanager_id=km.id) == ["Anna Aalbers"]


def test_caseload_pages_through_the_team(session: Session, caseload: dict) -> None:
    first = list_caseload(session, caseload["leader"], CaseloadFilter(page_size=1), today=TODAY)
    second = list_caseload(
        session, caseload["leader"], CaseloadFilter(page=2, page_size=1), today=TODAY
    )
    assert (first.total, first.pages) == (2, 2)
    assert [r.name for r in first.rows + second.rows] == ["Anna Aalbers", "Bram Bos"]
