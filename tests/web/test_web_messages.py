"""Invitations, letters and message texts through the web, with a real SMTP server on
loopback receiving the MIME message (issue 16)."""

from __future__ import annotations

import html
import re

from day_support import TODAY, freeze, plan, planned_id
from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

from smtp_sink import SENDER, calendar_of, dead_server, smtp_sink
from werkpad.domain.messages import DEFAULT_TEXTS
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Appointment, Candidate, OutboxMessage, Setting


def _messages(url: str) -> list[OutboxMessage]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        s.expunge_all()
    engine.dispose()
    return rows


def _set_email(url: str, candidate_id: int, email: str | None) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        s.get_one(Candidate, candidate_id).email = email
    engine.dispose()


def test_the_invitation_with_its_ics_arrives_at_the_smtp_server(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    _set_email(world.url, world.full_candidate, "kandidaat@example.org")
    client = client_for(world, "km")
    with smtp_sink() as (sink, smtp):
        client.app.state.smtp = smtp  # type: ignore[attr-defined]
        appointment_id = planned_id(plan(client, world.full_candidate, start_time="10:30"))
    assert len(sink.messages) == 1
    mail = sink.messages[0]
    assert mail["To"] == "kandidaat@example.org" and mail["From"] == SENDER
    assert mail["Subject"] == "Uitnodiging: voortgangsgesprek op maandag 2 maart 2020"
    body = mail.get_body(("plain",))
    assert body is not None and "Waar: Stadhuis, Spui 70." in body.get_content()
    ics = calendar_of(mail)
    assert "METHOD:REQUEST" in ics
    assert "DTSTART:20200302T093000Z" in ics  # 10:30 in Amsterdam (winter time)
    assert "DTEND:20200302T101500Z" in ics
    assert f"UID:afspraak-{appointment_id}@werkpad.test" in ics
    [message] = _messages(world.url)
    assert message.status == "SENT" and message.message_id == mail["Message-ID"]
    page = client.get(f"/afspraken/{appointment_id}").text
    assert "Verstuurd" in page and html.escape(message.message_id or "-") in page


def test_when_smtp_is_down_the_appointment_is_saved_and_the_message_failed(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    _set_email(world.url, world.full_candidate, "kandidaat@example.org")
    client = client_for(world, "km")
    client.app.state.smtp = dead_server()  # type: ignore[attr-defined]
    appointment_id = planned_id(plan(client, world.full_candidate))
    [message] = _messages(world.url)
    assert message.status == "FAILED" and message.attempts == 1
    assert message.error and "ConnectionRefused" in message.error
    page = client.get(f"/afspraken/{appointment_id}").text
    assert "Mislukt" in page and "probeert het opnieuw" in page


def test_without_email_or_after_an_opt_out_the_invitation_is_a_printable_letter(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    _set_email(world.url, world.full_candidate, "kandidaat@example.org")
    client = client_for(world, "km")
    response = client.post(
        f"/kandidaten/{world.full_candidate}/berichtvoorkeur",
        data={"email_opt_out": "ja", "csrf_token": session_csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "de kandidaat wil geen e-mail" in client.get(f"/kandidaten/{world.full_candidate}").text
    with smtp_sink() as (sink, smtp):
        client.app.state.smtp = smtp  # type: ignore[attr-defined]
        appointment_id = planned_id(plan(client, world.full_candidate))
    assert sink.messages == []
    [message] = _messages(world.url)
    assert message.channel == "LETTER" and message.status == "QUEUED"
    page = client.get(f"/afspraken/{appointment_id}").text
    link = re.search(r'href="(/afspraken/\d+/brief/\d+\.pdf)"', page)
    assert link is not None
    pdf = client.get(link.group(1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _messages(world.url)[0].status == "PRINTED"


def test_a_template_with_an_unknown_placeholder_is_refused_and_nothing_is_stored(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "beheer")
    form = {**DEFAULT_TEXTS, "reminder_hours": "24", "csrf_token": session_csrf(client)}
    form["invitation_body"] = "Beste {naam}, uw afspraak is op {dattum}."
    response = client.post("/beheer/berichten", data=form)
    assert response.status_code == 422
    assert "onbekend invulveld {dattum}" in response.text
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        assert s.get(Setting, "messages") is None
    engine.dispose()
    form["invitation_body"] = "Beste {naam}, tot {datum} om {tijd}."
    assert client.post("/beheer/berichten", data=form, follow_redirects=False).status_code == 303
    assert "tot {datum} om {tijd}" in client.get("/beheer/berichten").text


def test_edited_texts_are_used_for_the_next_invitation(
    world: World, client_for: ClientFactory
) -> None:
    freeze(world.url)
    admin = client_for(world, "beheer")
    form = {**DEFAULT_TEXTS, "reminder_hours": "24", "csrf_token": session_csrf(admin)}
    form["invitation_body"] = "Beste {naam}, we zien u op {datum} om {tijd}."
    assert admin.post("/beheer/berichten", data=form, follow_redirects=False).status_code == 303
    km = client_for(world, "km")
    planned_id(plan(km, world.full_candidate, start_time="11:00"))
    [message] = _messages(world.url)
    assert "we zien u op maandag 2 maart 2020 om 11:00" in message.body
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        assert s.scalar(select(Appointment.day)) == TODAY
    engine.dispose()
