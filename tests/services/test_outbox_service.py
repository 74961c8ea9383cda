"""``werkpad outbox send``: reminders once, retries of failed mail, and no message sent twice
by two senders (issue 16)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import factories as f
from smtp_sink import calendar_of, dead_server, smtp_sink
from werkpad.domain.messages import calendar_file, check_templates, placeholders_in
from werkpad.services.outbox import (
    MAX_ATTEMPTS,
    claim_messages,
    queue_invitation,
    run_outbox,
    send_now,
)
from werkpad.store.models import Appointment, OutboxMessage

DAY = date(2020, 3, 2)


def _appointment(s: Session, *, email: str | None = "k@example.org", at: time = time(10)) -> int:
    team = f.make_team(s)
    km = f.make_user(s, "KLANTMANAGER", team)
    candidate = f.make_candidate(s, team, km, email=email)
    appointment = Appointment(
        candidate_id=candidate.id,
        staff_id=km.id,
        kind="INTAKE",
        day=DAY,
        start_time=at,
        location="Spui 70",
        created_at=datetime(2020, 2, 1),
    )
    s.add(appointment)
    s.flush()
    return appointment.id


def test_a_failed_invitation_is_retried_by_the_next_run_and_then_sent(
    factory: sessionmaker[Session],
) -> None:
    with factory() as s:
        appointment_id = _appointment(s)
        message = queue_invitation(s, s.get_one(Appointment, appointment_id))
        s.commit()
        send_now(s, message, dead_server())
        assert message.status == "FAILED"
        with smtp_sink() as (sink, smtp):
            run = run_outbox(s, smtp, datetime(2020, 2, 20, 9))
        assert (run.claimed, run.sent, run.reminders_queued) == (1, 1, 0)
        assert len(sink.messages) == 1 and "Intakegesprek" not in sink.messages[0]["Subject"]
        assert "BEGIN:VEVENT" in calendar_of(sink.messages[0])
        s.refresh(message)
        assert message.status == "SENT" and message.attempts == 2


def test_the_reminder_goes_once_at_the_configured_time_before(
    factory: sessionmaker[Session],
) -> None:
    with factory() as s:
        _appointment(s, at=time(10))
        s.commit()
        with smtp_sink() as (sink, smtp):
            early = run_outbox(s, smtp, datetime(2020, 3, 1, 9, 59))  # 24h + 1 minute before
            due = run_outbox(s, smtp, datetime(2020, 3, 1, 10, 0))
            again = run_outbox(s, smtp, datetime(2020, 3, 1, 12, 0))
        assert (early.reminders_queued, due.reminders_queued, again.reminders_queued) == (0, 1, 0)
        assert [m["Subject"] for m in sink.messages] == [
            "Herinnering: intakegesprek op maandag 2 maart 2020"
        ]


def test_a_message_claimed_by_one_sender_is_not_claimed_by_another(
    factory: sessionmaker[Session],
) -> None:
    with factory() as first, factory() as second:
        appointment_id = _appointment(first)
        queue_invitation(first, first.get_one(Appointment, appointment_id))
        first.commit()
        mine = claim_messages(first)
        assert len(mine) == 1
        assert claim_messages(second) == []


def test_a_message_that_keeps_failing_stops_after_the_maximum_attempts(
    factory: sessionmaker[Session],
) -> None:
    with factory() as s:
        appointment_id = _appointment(s)
        queue_invitation(s, s.get_one(Appointment, appointment_id))
        s.commit()
        down = dead_server()
        for _ in range(MAX_ATTEMPTS + 2):
            run_outbox(s, down, datetime(2020, 2, 20, 9))
        message = s.scalars(select(OutboxMessage)).one()
        assert message.status == "FAILED" and message.attempts == MAX_ATTEMPTS


def test_templates_refuse_unknown_placeholders_and_loose_braces() -> None:
    assert placeholders_in("Beste {naam}, op {datum}") == ["naam", "datum"]
    texts = {
        "invitation_subject": "Uitnodiging {soort}",
        "invitation_body": "Beste {naam}, {dattum}",
        "reminder_subject": "Herinnering {",
        "reminder_body": "Tot {datum}",
    }
    try:
        check_templates(texts)
    except Exception as exc:  # ValidationFailed
        fields = {e.field for e in exc.errors}  # type: ignore[attr-defined]
    assert fields == {"invitation_body", "reminder_subject"}


def test_the_calendar_file_folds_long_lines_and_escapes_text() -> None:
    ics = calendar_file(
        uid="afspraak-1@werkpad.test",
        day=date(2020, 7, 1),
        start=time(9),
        minutes=60,
        summary="Gesprek; met, komma",
        location="Spui 70",
        description="x" * 200,
        organizer="a@werkpad.test",
        stamp=datetime(2020, 6, 1),
    )
    assert "DTSTART:20200701T070000Z" in ics  # summer time
    assert "SUMMARY:Gesprek\\; met\\, komma" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
