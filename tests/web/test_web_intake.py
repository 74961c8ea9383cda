"""Intake through the form and the API: valid input registers, bad input explains itself in
Dutch (next to the field, or as a field-level 422) and writes nothing. Both backends."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from web_support import ClientFactory, World, csrf_of, session_csrf

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import BenefitSpell, Candidate


def intake(**overrides: str) -> dict[str, str]:
    data = {
        "bsn": "111222333",
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_date": "1988-04-12",
        "sex": "V",
        "benefit_type": "PW",
        "benefit_start_date": "2024-04-01",
        "postcode": "2512 AB",
        "city": "Den Haag",
    }
    data.update(overrides)
    return data


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        result = (
            s.scalar(select(func.count(Candidate.id))) or 0,
            s.scalar(select(func.count(BenefitSpell.id))) or 0,
        )
    engine.dispose()
    return result


def _post_form(client: Any, data: dict[str, str]) -> Any:
    token = csrf_of(client.get("/kandidaten/nieuw").text)
    return client.post(
        "/kandidaten/nieuw", data={**data, "csrf_token": token}, follow_redirects=False
    )


def test_intake_form_registers_and_opens_the_new_file(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    before = _counts(world.url)
    response = _post_form(client, intake())
    assert response.status_code == 303
    assert _counts(world.url) == (before[0] + 1, before[1] + 1)
    page = client.get(response.headers["location"])
    assert "Kandidaat Fatima El Amrani" in page.text
    assert "******333" in page.text


BAD_INPUT = [
    (
        {"bsn": "123456789"},
        "bsn",
        "BSN is ongeldig: het moet 9 cijfers hebben en voldoen aan de elfproef.",
    ),
    ({"benefit_end_date": "2024-03-01"}, "benefit_end_date", "Einddatum ligt vóór de startdatum."),
    ({"sex": "Q"}, "sex", "Geslacht: onbekende code &#39;Q&#39;."),
    (
        {"birth_date": "1890-01-01"},
        "birth_date",
        "Geboortedatum is niet aannemelijk: de leeftijd moet tussen 15 en 110 jaar liggen.",
    ),
]


@pytest.mark.parametrize(("override", "field", "message"), BAD_INPUT)
def test_intake_form_shows_the_dutch_error_next_to_the_field_and_keeps_the_input(
    world: World, client_for: ClientFactory, override: dict[str, str], field: str, message: str
) -> None:
    client = client_for(world, "km")
    before = _counts(world.url)
    response = _post_form(client, intake(**override))
    assert response.status_code == 422
    html = response.text
    assert f'<p class="error" id="{field}-error">{message}</p>' in html
    assert 'value="El Amrani"' in html  # what was typed stays in the form
    assert _counts(world.url) == before


def test_intake_form_refuses_a_duplicate_bsn(world: World, client_for: ClientFactory) -> None:
    client = client_for(world, "tl")
    assert _post_form(client, intake()).status_code == 303
    again = _post_form(client, intake(first_name="Ander"))
    assert again.status_code == 422
    assert "Er is al een kandidaat met dit BSN." in again.text
    assert _counts(world.url)[0] == len(world.team_a_candidates) + 1 + 1  # + team B stranger


def _post_api(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/api/candidates", json=body, headers={"X-CSRF-Token": session_csrf(client)})


def test_api_intake_creates_a_candidate(world: World, client_for: ClientFactory) -> None:
    client = client_for(world, "km")
    response = _post_api(client, intake())
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Fatima El Amrani"
    assert body["bsn_masked"] == "******333"
    detail = client.get(f"/api/candidates/{body['id']}").json()
    assert detail["benefit_spells"][0]["benefit_type"] == "PW"


@pytest.mark.parametrize(("override", "field", "message"), BAD_INPUT)
def test_api_intake_answers_422_with_field_level_dutch_reasons_and_writes_nothing(
    world: World, client_for: ClientFactory, override: dict[str, str], field: str, message: str
) -> None:
    client = client_for(world, "km")
    before = _counts(world.url)
    response = _post_api(client, intake(**override))
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"field": field, "message": message.replace("&#39;", "'")}]
    }
    assert _counts(world.url) == before


def test_api_intake_with_wrong_json_types_answers_in_the_same_format(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    before = _counts(world.url)
    response = _post_api(client, {**intake(), "bsn": ["111222333"], "statushouder": "misschien"})
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["detail"]}
    assert fields == {"bsn", "statushouder"}
    assert _counts(world.url) == before
