"""Comparing two versions of the plan van aanpak (issue 16): what changed in the goals, the
agreements and the provisions, side by side; audited as a read of the file; another
candidate's plan is not found."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry, Candidate, Plan


def _new_plan(client: object, cid: int, goal: str, goals: str, on: str) -> None:
    response = client.post(  # type: ignore[attr-defined]
        f"/kandidaten/{cid}/plan",
        data={"goal": goal, "goals": goals, "created_on": on, "csrf_token": session_csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_two_plan_versions_side_by_side_show_what_changed_and_the_read_is_audited(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    cid = world.full_candidate
    _new_plan(client, cid, "Werk in de zorg", "Taalcursus volgen\nStage zoeken", "2020-01-06")
    _new_plan(client, cid, "Werk in de logistiek", "Taalcursus volgen\nHeftruck", "2020-02-03")
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        old, new = s.scalars(
            select(Plan).where(Plan.candidate_id == cid).order_by(Plan.id.desc()).limit(2)
        ).all()[::-1]
        candidate = s.get(Candidate, cid)
        assert candidate is not None
        kept = f.make_provision_type(s, name="Sollicitatietraining")
        added = f.make_provision_type(s, name="Heftruckopleiding")
        start = date(2020, 2, 10)
        f.make_provision(s, f.make_route(s, candidate, plan_id=old.id, start_date=start), kept)
        route = f.make_route(s, candidate, plan_id=new.id, start_date=start)
        f.make_provision(s, route, kept)
        f.make_provision(s, route, added)
        old_id, new_id = old.id, new.id
    engine.dispose()
    file = client.get(f"/kandidaten/{cid}").text
    assert f"/kandidaten/{cid}/plannen/vergelijk?van={old_id}&amp;naar={new_id}" in file
    page = client.get(f"/kandidaten/{cid}/plannen/vergelijk?van={old_id}&naar={new_id}")
    assert page.status_code == 200
    html = page.text
    goal_row = _text(html.split('class="compare-goal"', 1)[1].split("</tr>", 1)[0])
    assert "Werk in de zorg" in goal_row and "Werk in de logistiek" in goal_row
    assert "Gewijzigd" in goal_row
    goals_row = _text(html.split('class="compare-goals"', 1)[1].split("</tr>", 1)[0])
    assert "Stage zoeken (vervalt)" in goals_row and "Heftruck (nieuw)" in goals_row
    assert "1 nieuw, 1 vervallen" in goals_row
    assert "Gelijk" in _text(html.split('class="compare-agreements"', 1)[1].split("</tr>")[0])
    provisions = _text(html.split('class="compare-provisions"', 1)[1].split("</tr>", 1)[0])
    assert "Heftruckopleiding" in provisions and "(nieuw)" in provisions
    assert "Sollicitatietraining" in provisions and "1 nieuw, 0 vervallen" in provisions
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        reads = s.scalars(
            select(AuditEntry).where(
                AuditEntry.purpose == "Versies plan van aanpak vergeleken",
                AuditEntry.object_id == cid,
            )
        ).all()
    engine.dispose()
    assert len(reads) == 1 and reads[0].action == "READ"


def test_another_candidates_plan_is_not_found_and_another_team_is_refused(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    cid, other = world.full_candidate, world.team_a_candidates[1]
    assert cid != other
    _new_plan(client, cid, "Werk in de zorg", "", "2020-01-06")
    _new_plan(client, other, "Werk in de bouw", "", "2020-01-06")
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        own = s.scalars(select(Plan.id).where(Plan.candidate_id == cid)).first()
        foreign = s.scalars(select(Plan.id).where(Plan.candidate_id == other)).first()
    engine.dispose()
    url = f"/kandidaten/{cid}/plannen/vergelijk?van={own}&naar={foreign}"
    assert client.get(url).status_code == 404
    assert (
        client.get(f"/kandidaten/{cid}/plannen/vergelijk?van={foreign}&naar={own}").status_code
        == 404
    )
    assert (
        client_for(world, "km_b")
        .get(f"/kandidaten/{cid}/plannen/vergelijk?van={own}&naar={own}")
        .status_code
        == 403
    )
