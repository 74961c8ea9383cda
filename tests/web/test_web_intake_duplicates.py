"""The intake form and API warn about a possible duplicate (similar name, same birth date)
and register only after the klantmanager confirms; the same BSN is refused. Both backends."""

from __future__ import annotations

from sqlalchemy import func, select
from web_support import ClientFactory, World, csrf_of, session_csrf

from werkpad.domain.bsn import bsn_from_stem
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, Candidate

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
    # The similar person is in another team: neither name nor team is shown (finding 3).
    assert "bij een ander team" in warned.text
    assert f"{first} {last}" not in warned.text and ", geboren" not in warned.text
    assert "Team Escamp" not in warned.text
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
    assert warned.json()["similar"] == []
    assert warned.json()["elsewhere"] == 1
    assert "Escamp" not in warned.text and f"{first} {last}" not in warned.text
    created = km.post("/api/candidates", json={**body, "allow_similar": True}, headers=headers)
    assert created.status_code == 201


def test_a_similar_person_in_the_own_team_is_named(world: World, client_for: ClientFactory) -> None:
    km_b = client_for(world, "km_b")
    first, last, birth, _ = _existing(world.url)
    token = csrf_of(km_b.get("/kandidaten/nieuw").text)
    warned = km_b.post(
        "/kandidaten/nieuw",
        data={**_form(first, last, birth, bsn_from_stem(55_566_677)), "csrf_token": token},
    )
    assert warned.status_code == 409
    assert f"{first} {last}, geboren" in warned.text


def _checks(url: str) -> list[tuple[int | None, int | None, str]]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = s.execute(
            select(AuditEntry.user_id, AuditEntry.object_id, AuditEntry.purpose)
            .where(AuditEntry.action == "DUPLICATE_CHECK")
            .order_by(AuditEntry.id)
        ).all()
    engine.dispose()
    return [(r[0], r[1], r[2] or "") for r in rows]


def test_every_duplicate_check_is_audited_even_when_nothing_is_written(
    world: World, client_for: ClientFactory
) -> None:
    """Probing whether a BSN is known here leaves a trace, whatever the answer (finding 3)."""
    first, last, birth, bsn = _existing(world.url)
    km = client_for(world, "km")
    token = csrf_of(km.get("/kandidaten/nieuw").text)
    # A known BSN with every other field empty: refused, and logged with the person found.
    km.post("/kandidaten/nieuw", data={"bsn": bsn, "csrf_token": token})
    # An unknown BSN with a similar name: 409, logged.
    km.post(
        "/kandidaten/nieuw",
        data={**_form(first, last, birth, bsn_from_stem(55_566_677)), "csrf_token": token},
    )
    # Through the API, an unknown BSN and an unknown person: no match, still logged.
    headers = {"X-CSRF-Token": session_csrf(km)}
    km.post("/api/candidates", json={"bsn": bsn_from_stem(44_455_566)}, headers=headers)
    checks = _checks(world.url)
    assert len(checks) == 3
    assert {user_id for user_id, _, _ in checks} == {world.km_a_id}
    assert checks[0][1] == world.team_b_candidate and "BSN bekend" in checks[0][2]
    assert checks[1][1] == world.team_b_candidate and "vergelijkbaar" in checks[1][2]
    assert checks[2][1] is None and "geen treffer" in checks[2][2]
    assert not [p for _, _, p in checks if bsn in p]
