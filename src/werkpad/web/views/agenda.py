"""The agenda: plan an appointment from the candidate file, the day and week views of a
klantmanager or the team, and an appointment's page where its outcome is recorded."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.config import SmtpSettings, smtp_settings
from werkpad.domain.appointments import APPOINTMENT, OUTCOMES, PLANNED, outcome_allowed
from werkpad.domain.errors import ValidationFailed
from werkpad.domain.messages import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS
from werkpad.domain.normalise import parse_date
from werkpad.services.appointments import (
    agenda,
    cancel_appointment,
    plan_appointment,
    record_outcome,
)
from werkpad.services.audit import record_event, record_read
from werkpad.services.outbox import messages_of_appointment, queue_invitation, send_now
from werkpad.store.models import Appointment, Candidate, User
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, readable_candidate, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId
from werkpad.web.templating import LOCAL_ZONE, templates
from werkpad.web.views.chain import SubmittedData, render_candidate

router = APIRouter()
AGENDA_PURPOSE = "Agenda bekeken (web)"
APPOINTMENT_PURPOSE = "Afspraak ingezien (web)"
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def now_of(request: Request) -> time | None:
    """The local time of day, or None on a demo with a frozen date (then dates alone count)."""
    if request.app.state.clock.frozen() is not None:
        return None
    return datetime.now(LOCAL_ZONE).time().replace(second=0, microsecond=0)


def weekday_nl(day: date) -> str:
    return WEEKDAYS_NL[day.weekday()]


@router.get("/agenda", response_class=HTMLResponse)
def agenda_page(
    request: Request,
    dag: str = "",
    weergave: str = "dag",
    wie: str = "",
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    today: date = request.app.state.clock.today()
    try:
        day = parse_date(dag) or today
    except ValueError:
        day = today
    week = weergave == "week"
    team = (wie or ("team" if user.role == "TEAMLEIDER" else "mij")) == "team"
    start = day - timedelta(days=day.weekday()) if week else day
    length = 7 if week else 1
    items = agenda(db, user, start, length, team=team)
    record_event(db, user, "LIST", "list", purpose=AGENDA_PURPOSE, ip=client_ip(request))
    db.commit()
    days = [start + timedelta(days=i) for i in range(length)]
    by_day = {d: [i for i in items if i.appointment.day == d] for d in days}
    step = timedelta(days=7 if week else 1)
    return templates.TemplateResponse(
        request,
        "agenda.html",
        {
            "day": day,
            "today": today,
            "week": week,
            "team": team,
            "days": days,
            "by_day": by_day,
            "count": len(items),
            "previous": start - step,
            "next": start + step,
            "weekday_nl": weekday_nl,
            "view": "week" if week else "dag",
            "who": "team" if team else "mij",
        },
    )


@router.post("/kandidaten/{candidate_id}/afspraken", response_class=HTMLResponse)
def plan(
    request: Request,
    data: SubmittedData,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    try:
        appointment = plan_appointment(
            db, user, candidate, data, today=request.app.state.clock.today(), now=now_of(request)
        )
        invitation = queue_invitation(db, appointment)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        return _file_with_errors(request, db, user, candidate_id, exc, data)
    # After the commit: the appointment stands whatever the mail server answers.
    send_now(db, invitation, smtp_of(request))
    return RedirectResponse(f"/afspraken/{appointment.id}", status_code=303)


def smtp_of(request: Request) -> SmtpSettings:
    """The mail server: set on the app (tests, demo) or from the environment."""
    configured = getattr(request.app.state, "smtp", None)
    return configured if isinstance(configured, SmtpSettings) else smtp_settings()


def _file_with_errors(
    request: Request,
    db: Session,
    user: User,
    candidate_id: int,
    exc: ValidationFailed,
    data: dict[str, Any],
) -> Response:
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors.setdefault(error.field, error.message)
    candidate = readable_candidate(db, user, candidate_id)
    return render_candidate(
        request, db, user, candidate, section="afspraak", errors=errors, values=data,
        status_code=422,
    )  # fmt: skip


def _appointment(db: Session, user: User, appointment_id: int) -> Appointment:
    """The appointment: 404 when unknown, 403 when its candidate is outside the user's scope."""
    appointment = db.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound
    readable_candidate(db, user, appointment.candidate_id)
    return appointment


def appointment_page(
    request: Request,
    db: Session,
    user: User,
    appointment: Appointment,
    *,
    section: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    candidate: Candidate = appointment.candidate
    record_read(db, user, candidate.id, purpose=APPOINTMENT_PURPOSE, ip=client_ip(request))
    today: date = request.app.state.clock.today()
    context = {
        "a": appointment,
        "c": candidate,
        "today": today,
        "is_open": appointment.state == PLANNED,
        "outcome_due": appointment.state == PLANNED and outcome_allowed(appointment.day, today),
        "outcomes": [(o, APPOINTMENT.labels_nl[o]) for o in OUTCOMES],
        "weekday_nl": weekday_nl,
        "messages": messages_of_appointment(db, appointment.id),
        "message_kinds": KIND_LABELS,
        "message_channels": CHANNEL_LABELS,
        "message_statuses": STATUS_LABELS,
        "section": section,
        "errors": errors or {},
        "values": values or {},
    }
    db.commit()
    return templates.TemplateResponse(request, "appointment.html", context, status_code=status_code)


@router.get("/afspraken/{appointment_id}", response_class=HTMLResponse)
def appointment_detail(
    request: Request,
    appointment_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return appointment_page(request, db, user, _appointment(db, user, appointment_id))


STEPS = {"uitkomst": record_outcome, "annuleren": cancel_appointment}


@router.post("/afspraken/{appointment_id}/{step}", response_class=HTMLResponse)
def appointment_step(
    request: Request,
    data: SubmittedData,
    appointment_id: DbId,
    step: str,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    action = STEPS.get(step)
    if action is None:
        raise NotFound
    appointment = _appointment(db, user, appointment_id)
    try:
        action(db, user, appointment, data, today=request.app.state.clock.today())
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        appointment = _appointment(db, user, appointment_id)
        return appointment_page(
            request, db, user, appointment, section=step, errors=errors, values=data,
            status_code=422,
        )  # fmt: skip
    return RedirectResponse(f"/afspraken/{appointment_id}", status_code=303)
