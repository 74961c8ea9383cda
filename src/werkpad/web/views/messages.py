"""Messages to candidates: the letter to print, the opt-out of e-mail on the candidate file,
and the beheerder's page with the texts of invitations and reminders."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.domain.messages import PLACEHOLDERS, TEMPLATES
from werkpad.reports.letters import letter_pdf
from werkpad.services.audit import record_read
from werkpad.services.outbox import (
    load_message_settings,
    mark_printed,
    save_message_settings,
    set_email_opt_out,
)
from werkpad.store.models import OutboxMessage, User
from werkpad.web.auth import (
    ADMIN_ROLES,
    CASE_ROLES,
    client_ip,
    get_session,
    readable_candidate,
    require_role,
)
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates

router = APIRouter()
LETTER_PURPOSE = "Brief afgedrukt (web)"


@router.get("/afspraken/{appointment_id}/brief/{message_id}.pdf")
def letter(
    request: Request,
    appointment_id: DbId,
    message_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """The letter as PDF; opening it marks it printed."""
    message = db.get(OutboxMessage, message_id)
    if message is None or message.appointment_id != appointment_id:
        raise NotFound
    candidate = readable_candidate(db, user, message.candidate_id)
    record_read(db, user, candidate.id, purpose=LETTER_PURPOSE, ip=client_ip(request))
    pdf = letter_pdf(message, candidate, today=request.app.state.clock.today())
    mark_printed(db, user, message)
    db.commit()
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="brief-{message.id}.pdf"'},
    )


@router.post("/kandidaten/{candidate_id}/berichtvoorkeur", response_class=HTMLResponse)
def message_preference(
    request: Request,
    form: PostedForm,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    set_email_opt_out(db, user, candidate, form.get("email_opt_out") == "ja")
    db.commit()
    return RedirectResponse(f"/kandidaten/{candidate_id}#afspraken", status_code=303)


def _texts_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "admin_messages.html",
        {
            "templates_": TEMPLATES,
            "placeholders": PLACEHOLDERS,
            "values": values,
            "errors": errors,
            "saved": saved,
        },
        status_code=status_code,
    )


@router.get("/beheer/berichten", response_class=HTMLResponse)
def message_texts(
    request: Request,
    opgeslagen: str = "",
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    settings = load_message_settings(db)
    values = {**settings.texts, "reminder_hours": str(settings.reminder_hours)}
    return _texts_page(request, values, {}, saved=opgeslagen == "ja")


@router.post("/beheer/berichten", response_class=HTMLResponse)
def save_texts(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        save_message_settings(db, user, values)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        return _texts_page(request, values, errors, status_code=422)
    return RedirectResponse("/beheer/berichten?opgeslagen=ja", status_code=303)
