"""Appointments (afspraken) with a candidate: their kinds, their life cycle and the rules on
their outcome. Pure: the service ``werkpad.services.appointments`` reads and writes them.

An appointment is planned, then it took place (and becomes a contact on the file), the
candidate did not attend with or without notice (not a contact), or it was cancelled. The
labels of the states and kinds are the code lists ``appointment_state`` and
``appointment_kind``, so the life cycle and the screens use the same words.
"""

from __future__ import annotations

from datetime import date, time

from werkpad.domain.codelists import code_list
from werkpad.domain.lifecycle import StateMachine

PLANNED = "PLANNED"
HELD = "HELD"
NO_SHOW_NOTICE = "NO_SHOW_NOTICE"
NO_SHOW = "NO_SHOW"
CANCELLED = "CANCELLED"
OUTCOMES = (HELD, NO_SHOW_NOTICE, NO_SHOW)
APPOINTMENT_STATES = (PLANNED, HELD, NO_SHOW_NOTICE, NO_SHOW, CANCELLED)

APPOINTMENT = StateMachine(
    name="Afspraak",
    initial=PLANNED,
    transitions={
        PLANNED: frozenset({HELD, NO_SHOW_NOTICE, NO_SHOW, CANCELLED}),
        HELD: frozenset(),
        NO_SHOW_NOTICE: frozenset(),
        NO_SHOW: frozenset(),
        CANCELLED: frozenset(),
    },
    labels_nl={c.code: c.label_nl for c in code_list("appointment_state")},
)

MIN_MINUTES, MAX_MINUTES = 5, 480
VIDEO_CONTACT_TYPE = "VIDEO"


def contact_type_for(kind: str, *, by_video: bool) -> str:
    """The contact type a held appointment becomes: beeldbellen when held by video, else the
    kind's ``contact_type`` attribute (a home visit stays a home visit)."""
    if by_video:
        return VIDEO_CONTACT_TYPE
    entry = code_list("appointment_kind").get(kind)
    return str(entry.attr("contact_type") or "FACE_TO_FACE") if entry else "FACE_TO_FACE"


def needs_third_party(kind: str) -> bool:
    """A driegesprek names the employer or provider who takes part."""
    entry = code_list("appointment_kind").get(kind)
    return bool(entry and entry.attr("needs_third_party"))


def is_in_past(day: date, start: time | None, today: date, now: time | None) -> bool:
    """Whether an appointment on ``day`` at ``start`` lies before the moment (today, now).

    ``now`` is None when the clock is frozen on a demo date: then only the date counts.
    """
    if day != today:
        return day < today
    return now is not None and start is not None and start < now


def outcome_allowed(day: date, today: date) -> bool:
    """An outcome is recorded once the appointment's day has come (not before)."""
    return day <= today


def repeated_no_shows(no_show_days: tuple[date, ...], today: date, window_days: int) -> list[date]:
    """The no-shows without notice within ``window_days`` before today (oldest first)."""
    return sorted(d for d in no_show_days if 0 <= (today - d).days <= window_days)
