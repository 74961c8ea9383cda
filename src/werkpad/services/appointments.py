"""Appointments with candidates: plan one from the candidate file, record what happened
afterwards (a held appointment becomes a contact), cancel one, and read the agenda of a
klantmanager or a team for a day or a week. Every step of the life cycle is logged
(``services.transitions``); the rules are in ``werkpad.domain.appointments``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.appointments import (
    APPOINTMENT,
    CANCELLED,
    HELD,
    MAX_MINUTES,
    MIN_MINUTES,
    OUTCOMES,
    PLANNED,
    contact_type_for,
    is_in_past,
    needs_third_party,
    outcome_allowed,
)
from werkpad.services.access import candidate_scope
from werkpad.services.audit import record_change, utc_now
from werkpad.services.fields import Fields
from werkpad.services.transitions import check_step, log_transition
from werkpad.store.models import Appointment, Candidate, Contact, User

OBJECT_TYPE = "appointment"
MAX_TEXT = 4000
DEFAULT_MINUTES = 45
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")


def parse_time(f: Fields, name: str, label: str, *, required: bool = False) -> time | None:
    """A time of day typed as ``9:30``, ``09:30`` or ``09.30``; a Dutch message otherwise."""
    raw = f.data.get(name)
    text = str(raw).strip() if raw is not None else ""
    if not text:
        if required:
            f.fail(name, f"{label} is verplicht.")
        return None
    match = _TIME.fullmatch(text[:5] if len(text) == 8 and text[5] == ":" else text)
    if match is None:
        f.fail(name, f"{label} is geen geldige tijd (gebruik uu:mm, bijvoorbeeld 09:30).")
        return None
    return time(int(match.group(1)), int(match.group(2)))


def plan_appointment(
    session: Session,
    user: User,
    candidate: Candidate,
    data: Mapping[str, Any],
    *,
    today: date,
    now: time | None = None,
) -> Appointment:
    """A new appointment with ``candidate``, held by the candidate's klantmanager (or the
    user when the candidate has none). Refused with Dutch messages, nothing written, when
    the date lies in the past, the kind is unknown, neither a place nor a video link is
    given, or a driegesprek does not say with whom."""
    f = Fields(data)
    kind = f.code("kind", "Soort afspraak", "appointment_kind", required=True)
    day = f.date("day", "Datum", required=True)
    start = parse_time(f, "start_time", "Tijd", required=True)
    minutes = f.integer(
        "duration_minutes", "Duur (minuten)", minimum=MIN_MINUTES, maximum=MAX_MINUTES
    )
    location = f.text("location", "Plaats", max_length=200)
    video_link = f.text("video_link", "Videolink", max_length=300)
    with_whom = f.text("with_whom", "Met wie", max_length=200)
    note = f.text("note", "Toelichting", max_length=MAX_TEXT)
    if day is not None and is_in_past(day, start, today, now):
        f.fail("day", "Deze datum en tijd liggen in het verleden. Kies vandaag of later.")
    if video_link is not None and not video_link.lower().startswith("https://"):
        f.fail("video_link", "Een videolink begint met https://.")
    if location is None and video_link is None:
        f.fail("location", "Vul een plaats in of een videolink.")
    if kind is not None and needs_third_party(kind) and with_whom is None:
        f.fail("with_whom", "Vul in met welke werkgever of aanbieder het driegesprek is.")
    f.raise_if_invalid()
    appointment = Appointment(
        candidate_id=candidate.id,
        staff_id=candidate.klantmanager_id or user.id,
        kind=kind,
        day=day,
        start_time=start,
        duration_minutes=minutes or DEFAULT_MINUTES,
        location=location,
        video_link=video_link,
        with_whom=with_whom,
        note=note,
        state=PLANNED,
        created_by_id=user.id,
        created_at=utc_now(),
    )
    session.add(appointment)
    session.flush()
    log_transition(session, user, OBJECT_TYPE, appointment.id, None, PLANNED, today=today)
    record_change(session, user, "CREATE", OBJECT_TYPE, appointment.id, purpose="Afspraak")
    return appointment


def record_outcome(
    session: Session,
    user: User,
    appointment: Appointment,
    data: Mapping[str, Any],
    *,
    today: date,
) -> Appointment:
    """What happened: took place (a contact on the file, dated on the appointment's day, with
    the summary), or the candidate did not attend with or without notice (no contact)."""
    f = Fields(data)
    outcome = str(data.get("outcome") or "").strip()
    if outcome not in OUTCOMES:
        f.fail("outcome", "Kies wat er gebeurde: plaatsgevonden of niet verschenen.")
    summary = f.text("summary", "Verslag", required=outcome == HELD, max_length=MAX_TEXT)
    if not outcome_allowed(appointment.day, today):
        f.fail("outcome", "De afspraak is nog niet geweest; leg de uitkomst daarna vast.")
    f.raise_if_invalid()
    check_step(APPOINTMENT, appointment.state, outcome)
    if outcome == HELD:
        contact = Contact(
            candidate_id=appointment.candidate_id,
            user_id=user.id,
            contact_date=appointment.day,
            contact_type=contact_type_for(appointment.kind, by_video=appointment.location is None),
            summary=summary,
        )
        session.add(contact)
        session.flush()
        appointment.contact_id = contact.id
        record_change(session, user, "CREATE", "contact", contact.id, purpose="Afspraak gehouden")
    return _step(session, user, appointment, outcome, summary, today=today)


def cancel_appointment(
    session: Session,
    user: User,
    appointment: Appointment,
    data: Mapping[str, Any],
    *,
    today: date,
) -> Appointment:
    f = Fields(data)
    reason = f.text("reason", "Reden", required=True, max_length=MAX_TEXT)
    f.raise_if_invalid()
    check_step(APPOINTMENT, appointment.state, CANCELLED)
    return _step(session, user, appointment, CANCELLED, reason, today=today)


def _step(
    session: Session,
    user: User,
    appointment: Appointment,
    target: str,
    note: str | None,
    *,
    today: date,
) -> Appointment:
    previous = appointment.state
    appointment.state = target
    appointment.outcome_note = note
    log_transition(
        session, user, OBJECT_TYPE, appointment.id, previous, target, today=today, reason=note
    )
    record_change(session, user, "UPDATE", OBJECT_TYPE, appointment.id, purpose="Afspraak")
    session.flush()
    return appointment


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    appointment: Appointment
    candidate_name: str
    staff_name: str


def appointment_of_candidate(
    session: Session, candidate: Candidate, appointment_id: int
) -> Appointment | None:
    found = session.get(Appointment, appointment_id)
    return found if found is not None and found.candidate_id == candidate.id else None


def appointments_of_candidate(session: Session, candidate_id: int) -> list[Appointment]:
    """All appointments of one candidate, the next one first, then the past ones."""
    return list(
        session.scalars(
            select(Appointment)
            .where(Appointment.candidate_id == candidate_id)
            .options(joinedload(Appointment.staff))
            .order_by(Appointment.day.desc(), Appointment.start_time.desc())
        )
    )


def agenda(
    session: Session,
    user: User,
    start: date,
    days: int,
    *,
    team: bool,
    include_cancelled: bool = False,
) -> list[AgendaItem]:
    """The appointments from ``start`` for ``days`` days, by day and time: the user's own
    (``team=False``) or those of the whole team, within the user's candidate scope. One query."""
    conditions = [
        candidate_scope(user),
        Appointment.day >= start,
        Appointment.day < start + timedelta(days=days),
    ]
    if not team:
        conditions.append(Appointment.staff_id == user.id)
    if not include_cancelled:
        conditions.append(Appointment.state != "CANCELLED")
    staff = User.__table__.alias("staff")
    rows = session.execute(
        select(Appointment, Candidate.first_name, Candidate.last_name, staff.c.full_name)
        .join(Candidate, Candidate.id == Appointment.candidate_id)
        .join(staff, staff.c.id == Appointment.staff_id)
        .where(*conditions)
        .order_by(Appointment.day, Appointment.start_time, Appointment.id)
    ).all()
    return [AgendaItem(a, f"{first} {last}", str(name)) for a, first, last, name in rows]


def appointments_today(session: Session, user: User, today: date) -> list[AgendaItem]:
    """Today's appointments that head the worklist: a klantmanager's own, a teamleider's
    team."""
    return agenda(session, user, today, 1, team=user.role == "TEAMLEIDER")
