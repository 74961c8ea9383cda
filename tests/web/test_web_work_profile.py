"""The structured work profile at the referral to matching, through the form and the API: the
candidate is in a vacancy's matches at once, bad input writes nothing, and confirming the
profile again clears the "werkprofiel verouderd" signal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.services.proposals import candidate_reference
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Referral, WorkProfile

PROFILE: dict[str, Any] = {
    "work_wishes": "Magazijnwerk in de buurt",
    "wished_occupations": ["Orderpicker", "Magazijnmedewerker"],
    "wished_sectors": ["LOGISTICS"],
    "skills": ["heftruckcertificaat", "nauwkeurig"],
    "hours_min": "20",
    "hours_max": "32",
    "days": ["MA", "DI", "WO", "DO", "VR"],
    "transport": "FIETS",
    "radius_km": "10",
    "driving_licence": "ja",
    "language_level": "B1",
    "available_from": "2026-01-05",
    "restriction_codes": ["NIGHT"],
    "restrictions": "Geen nachtdiensten in verband met de kinderen",
}


def _vacancy(url: str) -> int:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        employer = f.make_employer(s, postcode="2512 CD")
        vacancy_id = f.make_vacancy(s, employer).id
    engine.dispose()
    return vacancy_id


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        result = (
            int(s.scalar(select(func.count(Referral.id))) or 0),
            int(s.scalar(select(func.count(WorkProfile.id))) or 0),
        )
    engine.dispose()
    return result


def _refs(client: Any, vacancy_id: int) -> list[str]:
    response = client.get(f"/api/vacancies/{vacancy_id}/matches?top=100")
    assert response.status_code == 200, response.text
    return [m["candidate_ref"] for m in response.json()["matches"]]


def test_referral_with_work_profile_puts_the_candidate_in_a_vacancys_matches_at_once(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    vacancy_id = _vacancy(world.url)
    am = client_for(world, "am")
    assert candidate_reference(cid) not in _refs(am, vacancy_id)

    km = client_for(world, "km")
    today = km.app.state.clock.today()  # type: ignore[attr-defined]
    response = km.post(
        f"/kandidaten/{cid}/aanmelding",
        data={"csrf_token": session_csrf(km), **PROFILE, "confirmed_on": today.isoformat()},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[-800:]
    assert candidate_reference(cid) in _refs(am, vacancy_id)
    page = km.get(f"/kandidaten/{cid}").text
    assert "Magazijnmedewerker, Orderpicker" in page and "tot 10 km" in page

    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        profile = s.scalar(select(WorkProfile).where(WorkProfile.candidate_id == cid))
        assert profile is not None
        assert profile.restrictions == ["NIGHT"] and profile.driving_licence
        assert profile.available_from == date(2026, 1, 5)
        assert profile.last_confirmed_on == today
    engine.dispose()
    # The vacancy page of the accountmanager lists the candidate too.
    vacancy_page = am.get(f"/vacatures/{vacancy_id}")
    assert vacancy_page.status_code == 200
    assert f'data-candidate="{candidate_reference(cid)}"' in vacancy_page.text


def test_referral_without_a_work_profile_explains_each_field_and_writes_nothing(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[1]
    km = client_for(world_sqlite, "km")
    before = _counts(world_sqlite.url)
    response = km.post(
        f"/kandidaten/{cid}/aanmelding",
        data={"csrf_token": session_csrf(km), "work_wishes": "Magazijn", "days": []},
        follow_redirects=False,
    )
    assert response.status_code == 422
    for message in (
        "Kies minstens één gewenst beroep of één sector.",
        "Minimaal uren per week is verplicht.",
        "Vervoer is verplicht.",
        "Maximale reisafstand (km) is verplicht.",
        "Datum bevestigd met de kandidaat is verplicht.",
    ):
        assert message in response.text
    assert 'id="aanmelding-hours_min-error"' in response.text
    assert _counts(world_sqlite.url) == before


def test_api_referral_takes_the_profile_as_json_lists_and_answers_422_in_dutch(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[2]
    km = client_for(world_sqlite, "km")
    headers = {"X-CSRF-Token": session_csrf(km)}
    body = {**PROFILE, "confirmed_on": "2025-06-01", "hours_min": 40, "hours_max": 20}
    before = _counts(world_sqlite.url)
    bad = km.post(f"/api/candidates/{cid}/steps/aanmelding", json=body, headers=headers)
    assert bad.status_code == 422
    assert {
        "field": "hours_max",
        "message": "Maximaal uren per week is kleiner dan het minimum.",
    } in (bad.json()["detail"])
    assert _counts(world_sqlite.url) == before
    good = km.post(
        f"/api/candidates/{cid}/steps/aanmelding", json={**body, "hours_min": 16}, headers=headers
    )
    assert good.status_code == 201, good.text
    assert _counts(world_sqlite.url) == (before[0] + 1, before[1] + 1)


def test_confirming_the_work_profile_clears_the_stale_profile_signal(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[1]
    km = client_for(world_sqlite, "km")
    today = km.app.state.clock.today()  # type: ignore[attr-defined]
    old = (today - timedelta(days=400)).isoformat()
    token = session_csrf(km)
    referred = km.post(
        f"/kandidaten/{cid}/aanmelding",
        data={"csrf_token": token, **PROFILE, "confirmed_on": old},
        follow_redirects=False,
    )
    assert referred.status_code == 303, referred.text[-800:]
    assert "Werkprofiel verouderd" in km.get("/caseload").text

    confirmed = km.post(
        f"/kandidaten/{cid}/werkprofiel",
        data={"csrf_token": token, **PROFILE, "hours_max": "36", "confirmed_on": today.isoformat()},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303, confirmed.text[-800:]
    assert "Werkprofiel verouderd" not in km.get("/caseload").text
    page = km.get(f"/kandidaten/{cid}").text
    assert "20 tot 36" in page
