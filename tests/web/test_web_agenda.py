"""Appointments through the web: planned from the candidate file, shown in the agenda and at
the head of the worklist, their outcome recorded afterwards (issue 16)."""

from __future__ import annotations

from datetime import timedelta

from day_support import TODAY, freeze, plan, planned_id, step
from sqlalchemy import func, select
from web_support import ClientFactory, World

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import Appointment, Contact, StateTransition


def _count(url: str, model: type) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        n = s.scalar(select(func.count()).select_from(model)) or 0
    engine.dispose()
    return int(n)


def test_planned_appointment_shows_in_the_agenda_and_heads_the_worklist(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    cid = world.full_candidate
    appointment_id = planned_id(plan(client, cid, kind="INTAKE", start_time="09:15"))
    page = client.get(f"/afspraken/{appointment_id}").text
    assert "Intakegesprek met" in page and "Gepland" in page
    day = client.get("/agenda").text
    assert "09:15" in day and "Intakegesprek" in day
    caseload = client.get("/caseload").text
    head = caseload.index('id="vandaag"')
    assert head < caseload.index("Zoek op naam of BSN")
    assert f'href="/afspraken/{appointment_id}"' in caseload
    file = client.get(f"/kandidaten/{cid}").text
    assert f'href="/afspraken/{appointment_id}"' in file
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        logged = s.scalars(
            select(StateTransition.to_state).where(
                StateTransition.object_type == "appointment",
                StateTransition.object_id == appointment_id,
            )
        ).all()
    engine.dispose()
    assert logged == ["PLANNED"]


def test_an_appointment_in_the_past_is_refused_in_dutch_and_nothing_is_written(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    response = plan(client, world.full_candidate, day=(TODAY - timedelta(days=1)).isoformat())
    assert response.status_code == 422
    assert "Deze datum en tijd liggen in het verleden" in response.text
    assert _count(world.url, Appointment) == 0


def test_planning_without_place_or_link_or_third_party_is_refused_at_the_fields(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    response = plan(
        client, world.full_candidate, kind="TRIPARTITE_EMPLOYER", location="", start_time="25:00"
    )
    assert response.status_code == 422
    text = response.text
    assert "Vul een plaats in of een videolink." in text
    assert "met welke werkgever of aanbieder" in text
    assert "geen geldige tijd" in text
    assert _count(world.url, Appointment) == 0


def test_a_held_appointment_becomes_a_contact_and_a_no_show_does_not(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    contacts = _count(world.url, Contact)
    held = planned_id(plan(client, world.full_candidate))
    missed = planned_id(plan(client, world.full_candidate, start_time="14:00"))
    assert step(client, held, "uitkomst", outcome="HELD").status_code == 422  # no report
    assert step(client, held, "uitkomst", outcome="HELD", summary="Cv besproken").status_code == 303
    assert step(client, missed, "uitkomst", outcome="NO_SHOW_NOTICE").status_code == 303
    assert _count(world.url, Contact) == contacts + 1
    file = client.get(f"/kandidaten/{world.full_candidate}").text
    assert "Cv besproken" in file
    assert "Niet verschenen (met bericht)" in file
    # A recorded outcome is final: the life cycle refuses a second one.
    again = step(client, held, "uitkomst", outcome="NO_SHOW")
    assert again.status_code == 422 and "niet toegestaan" in again.text


def test_the_outcome_waits_for_the_appointments_day(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    later = planned_id(plan(client, world.full_candidate, day=(TODAY + timedelta(days=3))))
    response = step(client, later, "uitkomst", outcome="NO_SHOW")
    assert response.status_code == 422
    assert "nog niet geweest" in response.text
    assert step(client, later, "annuleren", reason="Kandidaat ziek").status_code == 303
    assert "Geannuleerd" in client.get(f"/afspraken/{later}").text


def test_repeated_no_shows_without_notice_become_a_worklist_signal(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    cid = world.team_a_candidates[1]
    first = planned_id(plan(client, cid))
    assert step(client, first, "uitkomst", outcome="NO_SHOW").status_code == 303
    assert 'data-code="REPEATED_NO_SHOW"' not in client.get("/caseload").text
    second = planned_id(plan(client, cid, start_time="15:00"))
    assert step(client, second, "uitkomst", outcome="NO_SHOW").status_code == 303
    assert 'data-code="REPEATED_NO_SHOW"' in client.get("/caseload").text


def test_another_team_can_neither_plan_nor_open_an_appointment(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    own = client_for(world, "km")
    appointment_id = planned_id(plan(own, world.full_candidate))
    stranger = client_for(world, "km_b")
    assert stranger.get(f"/afspraken/{appointment_id}").status_code == 403
    assert step(stranger, appointment_id, "annuleren", reason="x").status_code == 403
    assert plan(stranger, world.full_candidate).status_code == 403
    assert "Spui 70" not in stranger.get("/agenda?wie=team").text


def test_teamleider_sees_the_teams_week(world: World, client_for: ClientFactory) -> None:
    freeze(world.url)
    km = client_for(world, "km")
    planned_id(plan(km, world.full_candidate, day=(TODAY + timedelta(days=2)).isoformat()))
    leader = client_for(world, "tl")
    week = leader.get(f"/agenda?dag={TODAY.isoformat()}&weergave=week").text
    assert "Karin Klant" in week and "Voortgangsgesprek" in week
    assert "woensdag 4 maart 2020" in week.lower()
