"""The worklist that can be worked off: signals by urgency, marked handled or snoozed, back
only when their cause changes; the teamleider's team worklist (issue 16)."""

from __future__ import annotations

import re
from datetime import timedelta

from day_support import TODAY, freeze, plan, planned_id, step
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import ClientFactory, World, session_csrf

from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Appointment, OutboxMessage, SignalDecision


def _no_shows(client: TestClient, candidate_id: int, times: list[str]) -> None:
    for at in times:
        appointment = planned_id(plan(client, candidate_id, start_time=at))
        assert step(client, appointment, "uitkomst", outcome="NO_SHOW").status_code == 303


def _signals_of(page: str, candidate_id: int) -> list[str]:
    part = page.split(f'href="/kandidaten/{candidate_id}"', 1)
    if len(part) < 2:
        return []
    block = part[1].split('class="worklist-item"', 1)[0]
    return re.findall(r'class="signal-row" data-code="([A-Z_]+)"', block)


def _decide(client: TestClient, candidate_id: int, **values: str) -> int:
    data = {"csrf_token": session_csrf(client), **values}
    return client.post(f"/werklijst/{candidate_id}", data=data, follow_redirects=False).status_code


def _decisions(url: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        n = s.scalar(select(func.count()).select_from(SignalDecision)) or 0
    engine.dispose()
    return int(n)


def test_signals_are_sorted_by_urgency_with_priority_and_due_date(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    cid = world.team_a_candidates[1]
    _no_shows(client, cid, ["09:00", "10:00"])
    page = client.get("/werklijst").text
    priorities = [
        int(p)
        for p in re.findall(r'class="worklist-item">\s*<h3>.*?data-priority="(\d)"', page, re.S)
    ]
    assert priorities == sorted(priorities) and priorities[0] == 1
    assert "REPEATED_NO_SHOW" in _signals_of(page, cid)
    assert "prioriteit hoog" in page and "uiterlijk" in page


def test_a_handled_signal_stays_handled_until_its_cause_changes(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    cid = world.team_a_candidates[1]
    _no_shows(client, cid, ["09:00", "10:00"])
    assert _decide(client, cid, code="REPEATED_NO_SHOW", action="HANDLED", reason="Gebeld") == 303
    assert "REPEATED_NO_SHOW" not in _signals_of(client.get("/werklijst").text, cid)
    assert "REPEATED_NO_SHOW" not in _signals_of(client.get("/werklijst").text, cid)
    _no_shows(client, cid, ["11:00"])  # a third no-show: the cause changed
    assert "REPEATED_NO_SHOW" in _signals_of(client.get("/werklijst").text, cid)


def test_a_snoozed_signal_returns_after_its_date(world: World, client_for: ClientFactory) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    cid = world.team_a_candidates[1]
    codes = _signals_of(client.get("/werklijst").text, cid)
    assert codes
    until = (TODAY + timedelta(days=7)).isoformat()
    assert _decide(client, cid, code=codes[0], action="SNOOZED", snoozed_until=until) == 303
    assert codes[0] not in _signals_of(client.get("/werklijst").text, cid)
    freeze(world.url, TODAY + timedelta(days=7))
    later = client_for(world, "km")
    assert codes[0] in _signals_of(later.get("/werklijst").text, cid)


def test_bad_decisions_get_a_dutch_message_and_write_nothing(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    cid = world.team_a_candidates[1]
    code = _signals_of(client.get("/werklijst").text, cid)[0]
    response = client.post(
        f"/werklijst/{cid}",
        data={"csrf_token": session_csrf(client), "code": code, "action": "HANDLED"},
    )
    assert response.status_code == 422 and "Reden is verplicht." in response.text
    past = (TODAY - timedelta(days=1)).isoformat()
    assert _decide(client, cid, code=code, action="SNOOZED", snoozed_until=past) == 422
    assert _decide(client, cid, code="ONBEKEND", action="HANDLED", reason="x") == 422
    assert _decisions(world.url) == 0
    stranger = client_for(world, "km_b")
    assert _decide(stranger, cid, code=code, action="HANDLED", reason="x") == 403


def test_the_teamleider_sees_the_team_worklist_with_counts_per_klantmanager(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    leader = client_for(world, "tl")
    page = leader.get("/werklijst").text
    assert "Per klantmanager" in page
    table = page.split('id="per-klantmanager"', 1)[1].split("</table>", 1)[0]
    assert "Karin Klant" in table and "Kees Klant" in table
    assert "Bert Beek" not in page  # another team's klantmanager


def test_the_no_show_signal_says_whether_each_invitation_was_delivered(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    client = client_for(world, "km")
    cid = world.team_a_candidates[1]
    _no_shows(client, cid, ["09:00", "10:00", "11:00", "12:00"])
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        invitations = s.scalars(
            select(OutboxMessage)
            .join(Appointment, Appointment.id == OutboxMessage.appointment_id)
            .where(OutboxMessage.candidate_id == cid, OutboxMessage.kind == "INVITATION")
            .order_by(Appointment.start_time)
        ).all()
        assert len(invitations) == 4
        invitations[0].status = "SENT"
        invitations[1].status = "FAILED"
        invitations[2].status = "PRINTED"
        # the fourth stays queued: not sent
    engine.dispose()
    page = client.get("/werklijst").text
    block = page.split(f'href="/kandidaten/{cid}"', 1)[1].split('class="worklist-item"', 1)[0]
    row = block.split('data-code="REPEATED_NO_SHOW"', 1)[1].split("</p>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    day = "02-03-2020"
    assert "4 keer niet verschenen zonder bericht" in text
    for label in ("verzonden", "mislukt", "afgedrukt", "niet verstuurd"):
        assert f"{day}: {label}" in text, text
    assert "QUEUED" not in text and "SENT" not in text
