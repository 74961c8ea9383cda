"""The beheerder's one-time password link, and the page the link opens.

The beheerder makes the link on *Gebruikers* and passes it on (in person or by phone: werkpad
sends no mail); the page shows it once. Opening it needs no login; it works once and for a
day. Setting the password through it follows the policy and ends the user's sessions.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.services.password_reset import RESET_LIFETIME, create_reset_link, open_reset, use_reset
from werkpad.store.models import User
from werkpad.web.auth import ADMIN_ROLES, get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId
from werkpad.web.security import check_csrf
from werkpad.web.templating import templates

router = APIRouter()
LINK_INVALID = (
    "Deze link werkt niet (meer): hij is al gebruikt, verlopen of vervangen door een nieuwe. "
    "Vraag de beheerder om een nieuwe link."
)


@router.post("/beheer/herstellink/{user_id}", response_class=HTMLResponse)
def make_link(
    request: Request,
    user_id: DbId,
    acting: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    user = db.get(User, user_id)
    if user is None or not user.active:
        raise NotFound
    token = create_reset_link(db, acting, user)
    db.commit()
    link = str(request.base_url).rstrip("/") + f"/wachtwoord-herstellen/{token}"
    return templates.TemplateResponse(
        request,
        "password_reset_link.html",
        {"user": user, "link": link, "hours": int(RESET_LIFETIME.total_seconds() // 3600)},
    )


def _form(request: Request, token: str, errors: dict[str, str], status_code: int = 200) -> Response:
    return templates.TemplateResponse(
        request,
        "login_new_password.html",
        {
            "errors": errors,
            "values": {},
            "section": "pw",
            "action": f"/wachtwoord-herstellen/{token}",
        },
        status_code=status_code,
    )


def _invalid(request: Request, status_code: int) -> Response:
    return templates.TemplateResponse(
        request,
        "login.html",
        {"error": LINK_INVALID, "username": "", "next": ""},
        status_code=status_code,
    )


@router.get("/wachtwoord-herstellen/{token}", response_class=HTMLResponse)
def reset_form(request: Request, token: str, db: Session = Depends(get_session)) -> Response:
    if open_reset(db, token) is None:
        return _invalid(request, 200)
    return _form(request, token, {})


@router.post(
    "/wachtwoord-herstellen/{token}",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
def reset_submit(
    request: Request,
    token: str,
    password: str = Form(""),
    password_again: str = Form(""),
    db: Session = Depends(get_session),
) -> Response:
    row = open_reset(db, token)
    if row is None:
        return _invalid(request, 410)
    try:
        use_reset(db, row, password, password_again)
    except ValidationFailed as exc:
        db.rollback()
        return _form(request, token, {e.field: e.message for e in exc.errors}, 422)
    db.commit()
    return templates.TemplateResponse(
        request,
        "login.html",
        {
            "error": None,
            "notice": "Je nieuwe wachtwoord is ingesteld. Log hieronder in.",
            "username": row.user.username,
            "next": "",
        },
    )
