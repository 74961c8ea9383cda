"""The intake form and API warn about a possible duplicate (similar name, same birth date)
and register only after the klantmanager confirms; the same BSN is refused. Both backends."""

from __future__ import annotations

from sqlalchemy import func, select
from web_support import ClientFactory, World, csrf_of, session_csrf

from werkpad.domain.bsn import bsn_from_stem
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import Candidate

# The world's team B candidate is "Vreemd Persoon"; factories give a fixed birth date.


def _existing(url: str) -> tuple[str, str, str, str]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        c = s.scalars(select(Candidate).where(Candidate.first_name == "Vreemd")).one()
        found = (c.first_name, c.last_name, c.birth_date.isoformat(), c.bsn)
    engine.dispose()
    return found


def _count(url: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        n = int(s.scalar(select(func.count(Candidate.id))) or 0)
    engine.dispose()
    return n


def _form(first: str, last: str, birth: str, bsn: str) -> dict[str, str]:
    return {
        "bsn": bsn,
        "first_name": first,
        "last_name": last,
        "birth_date": birth,
        "sex": "M",
        "benefit_type": "PW",
        "benefit_start_date": "2024-04-01",
    }


def test_intake_form_warns_about_a_similar_person_and_registers_after_confirmation(
    world: World, client_for: ClientFactory
) -> None:
    first, last, birth, _ = _existing(world.url)
    km = client_for(world, "km")
    before = _count(world.url)
    token = csrf_of(km.get("/kandidaten/nieuw").text)
    data = _form(first.upper(), last + "e", birth, bsn_from_stem(55_566_677))

    warned = km.post("/kandidaten/nieuw", data={**data, "csrf_token": token})
    assert warned.status_code == 409
    assert "Mogelijk dubbele inschrijving." in warned.text
    assert f"{first} {last}, geboren" in warned.text
    assert 'name="bevestig_ander_persoon"' in warned.text
    assert f'value="{last}e"' in warned.text  # what was typed stays
    assert _count(world.url) == before

    confirmed = km.post(
        "/kandidaten/nieuw",
        data={**data, "csrf_token": token, "bevestig_ander_persoon": "ja"},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert _count(world.url) == before + 1


def test_intake_form_refuses_a_known_bsn_even_when_confirmed(
    world: World, client_for: ClientFactory
) -> None:
    _, _, _, bsn = _existing(world.url)
    km = client_for(world, "km")
    before = _count(world.url)
    token = csrf_of(km.get("/kandidaten/nieuw").text)
    data = _form("Ander", "Mens", "1970-01-01", bsn)
    refused = km.post(
        "/kandidaten/nieuw", data={**data, "csrf_token": token, "bevestig_ander_persoon": "ja"}
    )
    assert refused.status_code == 422
    assert "Er is al een kandidaat met dit BSN." in refused.text
    assert _count(world.url) == before


def test_api_answers_409_for_a_similar_person_until_allow_similar(
    world: World, client_for: ClientFactory
) -> None:
    first, last, birth, _ = _existing(world.url)
    km = client_for(world, "km")
    headers = {"X-CSRF-Token": session_csrf(km)}
    body = _form(first, last, birth, bsn_from_stem(55_566_677))
    warned = km.post("/api/candidates", json=body, headers=headers)
    assert warned.status_code == 409
    assert warned.json()["similar"] == [
        {"name": f"{first} {last}", "birth_date": birth, "team": "Team Escamp"}
    ]
    created = km.post("/api/candidates", json={**body, "allow_similar": True}, headers=headers)
    assert created.status_code == 201
