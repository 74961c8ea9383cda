"""Moving a dossier between two municipalities of the service, finding a municipality by code
or name, and a user's municipality scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests import factories as f

from werkpad.domain.errors import ValidationFailed
from werkpad.services.municipalities import (
    add_municipality,
    find_municipality,
    move_dossier,
    municipalities,
    set_team_municipalities,
    set_user_scope,
    user_scope,
)
from werkpad.store.db import transaction
from werkpad.store.models import BenefitDossier, BenefitSpell, TeamMunicipality


def _service(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with transaction(factory) as session:
        hillegom = add_municipality(session, "Hillegom", "GM0534")
        lisse = add_municipality(session, "Lisse", "553")
        team = f.make_team(session)
        candidate = f.make_candidate(session, team)
        spell = f.make_benefit_spell(session, candidate)
        dossier = f.make_dossier(session, candidate, municipality_id=hillegom.id)
        spell.dossier_id = dossier.id
        return hillegom.id, lisse.id, dossier.id


def test_a_move_ends_the_dossier_with_moved_and_opens_a_linked_one_in_the_other_municipality(
    factory: sessionmaker[Session],
) -> None:
    _, lisse, dossier_id = _service(factory)
    with transaction(factory) as session:
        successor = move_dossier(session, dossier_id, lisse, date(2019, 7, 1))
        successor_id = successor.id
    with Session(factory.kw["bind"]) as session:
        old = session.get(BenefitDossier, dossier_id)
        new = session.get(BenefitDossier, successor_id)
        assert old is not None and new is not None
        assert old.closed_on == date(2019, 6, 30)
        assert (new.municipality_id, new.moved_from_dossier_id) == (lisse, dossier_id)
        assert [m.candidate_id for m in new.members] == [m.candidate_id for m in old.members]
        spells = session.scalars(select(BenefitSpell).order_by(BenefitSpell.id)).all()
        assert [(s.end_date, s.end_reason) for s in spells] == [
            (date(2019, 6, 30), "MOVED"),
            (None, None),
        ]
        assert spells[1].inflow_reason == "MOVED_IN" and spells[1].dossier_id == successor_id


def test_a_move_to_the_same_municipality_or_of_a_closed_dossier_is_refused(
    factory: sessionmaker[Session],
) -> None:
    hillegom, lisse, dossier_id = _service(factory)
    with pytest.raises(ValidationFailed) as same, transaction(factory) as session:
        move_dossier(session, dossier_id, hillegom, date(2019, 7, 1))
    assert "al bij deze gemeente" in same.value.errors[0].message
    with transaction(factory) as session:
        move_dossier(session, dossier_id, lisse, date(2019, 7, 1))
    with pytest.raises(ValidationFailed) as closed, transaction(factory) as session:
        move_dossier(session, dossier_id, lisse, date(2019, 8, 1))
    assert any("gesloten" in e.message for e in closed.value.errors)


def test_a_municipality_is_found_by_cbs_code_in_any_spelling_or_by_name(
    factory: sessionmaker[Session],
) -> None:
    _service(factory)
    with Session(factory.kw["bind"]) as session:
        rows = municipalities(session)
    for text in ("0534", "GM0534", "gm534", "Hillegom", "gemeente hillegom"):
        found = find_municipality(rows, text)
        assert found is not None and found.name == "Hillegom", text
    assert find_municipality(rows, "0575") is None
    assert [m.is_default for m in rows] == [True, False]  # the first one added


def test_a_duplicate_or_badly_coded_municipality_is_refused_in_dutch(
    factory: sessionmaker[Session],
) -> None:
    _service(factory)
    with pytest.raises(ValidationFailed) as wrong, transaction(factory) as session:
        add_municipality(session, "lisse", "12345")
    messages = {e.field: e.message for e in wrong.value.errors}
    assert messages == {
        "name": "Deze gemeente bestaat al.",
        "cbs_code": "De CBS-gemeentecode bestaat uit 4 cijfers.",
    }


def test_teams_serve_several_municipalities_and_users_can_be_scoped_to_one(
    factory: sessionmaker[Session],
) -> None:
    hillegom, lisse, _ = _service(factory)
    with transaction(factory) as session:
        team = f.make_team(session)
        analist = f.make_user(session, "ANALIST", None)
        set_team_municipalities(session, team.id, [hillegom, lisse])
        set_user_scope(session, analist.id, lisse)
        team_id, analist_id = team.id, analist.id
    with Session(factory.kw["bind"]) as session:
        served = session.scalars(
            select(TeamMunicipality.municipality_id).where(TeamMunicipality.team_id == team_id)
        ).all()
        assert sorted(served) == sorted([hillegom, lisse])
        assert user_scope(session, analist_id) == lisse
