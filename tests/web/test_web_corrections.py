"""Corrections with history through the form and the API: a reason is mandatory, old and new
values stay visible under "Wijzigingen", imported data stay read-only, a mistaken exit can be
undone (asking what happens to the follow-ups), and deleting is refused where records depend."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import (
    AuditEntry,
    Candidate,
    Contact,
    Correction,
    FollowUp,
    Placement,
    Plan,
    Route,
)


def _scalar(url: str, statement: Any) -> Any:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        value = s.scalar(statement)
    engine.dispose()
    return value


def _corrections(url: str) -> int:
    return int(_scalar(url, select(func.count(Correction.id))) or 0)


def _post(client: Any, url: str, data: dict[str, str]) -> Any:
    token = session_csrf(client)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


def test_personal_data_correction_needs_a_reason_and_shows_old_and_new_under_wijzigingen(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    km = client_for(world, "km")
    url = f"/kandidaten/{cid}/correctie/candidate/{cid}"
    old_name = _scalar(world.url, select(Candidate.last_name).where(Candidate.id == cid))

    refused = _post(km, url, {"last_name": "Zwart-Jansen", "postcode": "12AB"})
    assert refused.status_code == 422
    assert "Reden van de correctie is verplicht." in refused.text
    assert "Postcode moet de vorm 1234 AB hebben." in refused.text
    assert 'id="correctie-postcode-error"' in refused.text
    assert _corrections(world.url) == 0
    assert _scalar(world.url, select(Candidate.last_name).where(Candidate.id == cid)) == old_name

    done = _post(
        km,
        url,
        {"last_name": "Zwart-Jansen", "postcode": "2512ab", "reason": "Typfout bij intake"},
    )
    assert done.status_code == 303, done.text[-600:]
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        person = s.get(Candidate, cid)
        assert person is not None
        assert (person.last_name, person.postcode) == ("Zwart-Jansen", "2512 AB")
        correction = s.scalars(select(Correction)).one()
        assert correction.changes["last_name"] == [old_name, "Zwart-Jansen"]
        assert correction.reason == "Typfout bij intake"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.object_type == "correction")).one()
        assert audit.object_id == correction.id and audit.user_id == correction.user_id
    engine.dispose()
    page = km.get(f"/kandidaten/{cid}").text
    assert 'id="wijzigingen"' in page
    assert f"Achternaam: {old_name} → Zwart-Jansen" in page and "Typfout bij intake" in page


def test_imported_personal_data_stay_read_only_on_screen_and_in_the_api(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[2]
    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        person = s.get(Candidate, cid)
        assert person is not None
        person.source_id = "GWS-1001"
    engine.dispose()
    km = client_for(world_sqlite, "km")
    url = f"/kandidaten/{cid}/correctie/candidate/{cid}"
    assert "uit de uitkeringsadministratie" in km.get(url).text
    refused = km.patch(
        f"/api/candidates/{cid}",
        json={"first_name": "Anders", "reason": "Test"},
        headers={"X-CSRF-Token": session_csrf(km)},
    )
    assert refused.status_code == 422
    assert "uitkeringsadministratie" in refused.json()["detail"][0]["message"]
    assert _corrections(world_sqlite.url) == 0


def test_api_corrects_and_deletes_a_contact_and_a_diagnosis_with_422_on_bad_input(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.full_candidate
    km = client_for(world_sqlite, "km")
    headers = {"X-CSRF-Token": session_csrf(km)}
    contact_id = _scalar(
        world_sqlite.url, select(func.min(Contact.id)).where(Contact.candidate_id == cid)
    )
    base = f"/api/candidates/{cid}/records"
    future = (date.today() + timedelta(days=400)).isoformat()
    bad = km.patch(
        f"{base}/contact/{contact_id}",
        json={"contact_date": future, "reason": "Datum"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == [
        {"field": "contact_date", "message": "Datum contact ligt in de toekomst."}
    ]
    ok = km.patch(
        f"{base}/contact/{contact_id}",
        json={"summary": "Telefonisch gesproken", "reason": "Verkeerde samenvatting"},
        headers=headers,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["changes"]["summary"][1] == "Telefonisch gesproken"

    from werkpad.store.models import Assessment

    assessment_id = _scalar(
        world_sqlite.url, select(func.max(Assessment.id)).where(Assessment.candidate_id == cid)
    )
    wrong = km.patch(
        f"{base}/assessment/{assessment_id}",
        json={"ladder_step": 7, "reason": "Trede"},
        headers=headers,
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "ladder_step"
    right = km.patch(
        f"{base}/assessment/{assessment_id}",
        json={"ladder_step": 3, "reason": "Trede verkeerd overgenomen"},
        headers=headers,
    )
    assert right.status_code == 200 and right.json()["changes"]["ladder_step"] == [4, 3]

    no_reason = km.post(f"{base}/contact/{contact_id}/delete", json={}, headers=headers)
    assert no_reason.status_code == 422
    gone = km.post(
        f"{base}/contact/{contact_id}/delete",
        json={"reason": "Bij de verkeerde kandidaat ingevoerd"},
        headers=headers,
    )
    assert gone.status_code == 200 and gone.json()["action"] == "DELETE"
    assert _scalar(world_sqlite.url, select(Contact.id).where(Contact.id == contact_id)) is None
    history = km.get(f"/api/candidates/{cid}/corrections").json()
    assert [h["action"] for h in history] == ["DELETE", "CORRECT", "CORRECT"]
    assert history[0]["changes"]["summary"][0] == "Telefonisch gesproken"


def test_deleting_is_refused_with_the_reason_where_other_records_depend(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[1]
    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        candidate = s.get(Candidate, cid)
        assert candidate is not None
        plan = Plan(candidate_id=cid, created_on=date(2024, 1, 1), goal="Werk")
        s.add(plan)
        s.flush()
        f.make_route(s, candidate, plan_id=plan.id)
        plan_id = plan.id
    engine.dispose()
    km = client_for(world_sqlite, "km")
    refused = _post(
        km,
        f"/kandidaten/{cid}/correctie/plan/{plan_id}/verwijderen",
        {"reason": "Dubbel ingevoerd"},
    )
    assert refused.status_code == 422
    assert "Verwijderen kan niet: Er hoort een route bij dit plan" in refused.text
    assert _scalar(world_sqlite.url, select(Plan.id).where(Plan.id == plan_id)) == plan_id


def test_accountmanager_may_not_correct_a_file(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[1]
    am = client_for(world_sqlite, "am")
    response = am.patch(
        f"/api/candidates/{cid}",
        json={"first_name": "X", "reason": "Test"},
        headers={"X-CSRF-Token": session_csrf(am)},
    )
    assert response.status_code == 403
    assert _corrections(world_sqlite.url) == 0


def _job_exit(world: World, km: Any, cid: int, end: date) -> int:
    """Start a route and end it with a job exit through the forms; returns the route id."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        employer_id = f.make_employer(s).id
    engine.dispose()
    token = session_csrf(km)
    url = f"/kandidaten/{cid}"
    started = km.post(
        f"{url}/route",
        data={
            "csrf_token": token,
            "route_type": "DIRECT_MEDIATION",
            "start_date": (end - timedelta(days=400)).isoformat(),
        },
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text[-500:]
    route_id = int(_scalar(world.url, select(func.max(Route.id)).where(Route.candidate_id == cid)))
    ended = km.post(
        f"{url}/einde/{route_id}",
        data={
            "csrf_token": token,
            "end_date": end.isoformat(),
            "end_reason": "JOB",
            "employer_id": str(employer_id),
            "job_type": "4",
            "contract_type": "TEMPORARY",
            "hours_per_week": "24",
        },
        follow_redirects=False,
    )
    assert ended.status_code == 303, ended.text[-800:]
    return route_id


def test_a_mistaken_exit_is_undone_asking_what_happens_to_its_follow_ups(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    km = client_for(world, "km")
    today = km.app.state.clock.today()  # type: ignore[attr-defined]
    route_id = _job_exit(world, km, cid, today - timedelta(days=3))
    assert _scalar(world.url, select(func.count(FollowUp.id))) == 3
    url = f"/kandidaten/{cid}/correctie/route/{route_id}"
    form = km.get(url).text
    assert "Uitstroom ongedaan maken" in form and 'name="follow_ups"' in form

    asked = _post(km, f"{url}/uitstroom-ongedaan", {"reason": "Verkeerde kandidaat"})
    assert asked.status_code == 422
    assert "Kies wat er gebeurt met de plaatsing en de nazorgmomenten." in asked.text
    undone = _post(
        km,
        f"{url}/uitstroom-ongedaan",
        {"reason": "Verkeerde kandidaat", "follow_ups": "verwijderen"},
    )
    assert undone.status_code == 303, undone.text[-600:]
    assert _scalar(world.url, select(Route.end_date).where(Route.id == route_id)) is None
    assert (
        _scalar(world.url, select(func.count(Placement.id)).where(Placement.route_id == route_id))
        == 0
    )
    assert _scalar(world.url, select(func.count(FollowUp.id))) == 0
    assert "Route uitstroom ongedaan" in km.get(f"/kandidaten/{cid}").text


def test_an_exit_older_than_the_undo_period_cannot_be_undone(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.full_candidate  # its job exit was on 1 January 2020
    route_id = _scalar(world_sqlite.url, select(Route.id).where(Route.candidate_id == cid))
    km = client_for(world_sqlite, "km")
    refused = km.post(
        f"/api/candidates/{cid}/routes/{route_id}/undo-exit",
        json={"reason": "Vergissing", "follow_ups": "behouden"},
        headers={"X-CSRF-Token": session_csrf(km)},
    )
    assert refused.status_code == 422
    assert "tot 30 dagen na het vastleggen" in refused.json()["detail"][0]["message"]


def test_correcting_an_exit_date_moves_its_follow_ups(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[1]
    km = client_for(world_sqlite, "km")
    today = km.app.state.clock.today()  # type: ignore[attr-defined]
    exit_on = today - timedelta(days=3)
    route_id = _job_exit(world_sqlite, km, cid, exit_on)
    earlier = date(today.year - 1, 12, 15)
    corrected = km.patch(
        f"/api/candidates/{cid}/records/route/{route_id}",
        json={"end_date": earlier.isoformat(), "reason": "Werk begon al in december"},
        headers={"X-CSRF-Token": session_csrf(km)},
    )
    assert corrected.status_code == 200, corrected.text
    due = _scalar(world_sqlite.url, select(func.min(FollowUp.due_date)))
    assert due == date(today.year, 6, 15)
