"""Role changes (four-eyes for the beheerder role) and break-the-glass access to a file."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.services.access import AccessDenied, get_readable_candidate
from werkpad.services.roles import (
    BREAK_GLASS_HOURS,
    ROLES,
    break_glass,
    break_glass_for_teamleider,
    change_role,
    decide_role_change,
    mark_break_glass_seen,
    pending_role_changes,
)
from werkpad.store.models import Candidate, RoleChange, Team, User
from werkpad.web.auth import ADMIN_ROLES, CASE_ROLES, client_ip, get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId, db_id
from werkpad.web.templating import templates

router = APIRouter()
DECISIONS = {"goedkeuren": True, "afwijzen": False}


def _roles_page(
    request: Request,
    db: Session,
    acting: User,
    chosen: User | None,
    errors: dict[str, str],
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "admin_roles.html",
        {
            "pending": pending_role_changes(db),
            "chosen": chosen,
            "users": db.scalars(
                select(User).where(User.active.is_(True)).order_by(User.username)
            ).all(),
            "teams": db.scalars(select(Team).order_by(Team.name)).all(),
            "roles": [(code, code_list("role").label(code)) for code in ROLES],
            "errors": errors,
            "values": {},
            "section": "rol",
            "message": message,
        },
        status_code=status_code,
    )


@router.get("/beheer/rollen", response_class=HTMLResponse)
def roles_page(
    request: Request,
    gebruiker: str | None = None,
    acting: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    chosen_id = db_id(gebruiker) if gebruiker else None
    chosen = db.get(User, chosen_id) if chosen_id is not None else None
    return _roles_page(request, db, acting, chosen, {})


@router.post("/beheer/rollen/{user_id}", response_class=HTMLResponse)
def role_submit(
    request: Request,
    user_id: DbId,
    role: str = Form(""),
    team_id: str = Form(""),
    acting: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound
    team = db_id(team_id) if team_id.strip() else None
    try:
        change = change_role(db, acting, user, role, team)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _roles_page(request, db, acting, user, errors, status_code=422)
    message = (
        f"De beheerdersrol voor {user.full_name} wacht op goedkeuring door een tweede beheerder."
        if change.state == "PENDING"
        else f"De rol van {user.full_name} is gewijzigd; de sessies van die gebruiker zijn "
        "beëindigd."
    )
    return _roles_page(request, db, acting, None, {}, message=message)


@router.post("/beheer/rollen/verzoek/{change_id}/{decision}", response_class=HTMLResponse)
def role_decision(
    request: Request,
    change_id: DbId,
    decision: str,
    acting: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    change = db.get(RoleChange, change_id)
    if change is None or decision not in DECISIONS:
        raise NotFound
    try:
        decide_role_change(db, acting, change, DECISIONS[decision])
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {"decision": exc.errors[0].message}
        return _roles_page(request, db, acting, None, errors, status_code=422)
    word = "goedgekeurd" if DECISIONS[decision] else "afgewezen"
    return _roles_page(request, db, acting, None, {}, message=f"Verzoek {word}.")


# --- break the glass ---------------------------------------------------------------------


def _outside_scope(db: Session, user: User, candidate_id: int) -> Candidate:
    """The candidate when it exists and is outside the user's scope; 404 when unknown."""
    try:
        candidate = get_readable_candidate(db, user, candidate_id)
    except AccessDenied:
        found = db.get(Candidate, candidate_id)
        if found is None:
            raise NotFound from None
        return found
    if candidate is None:
        raise NotFound
    raise _InScope


class _InScope(Exception):
    pass


@router.get("/noodtoegang/{candidate_id}", response_class=HTMLResponse)
def break_glass_form(
    request: Request,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    in_scope = False
    try:
        _outside_scope(db, user, candidate_id)
    except _InScope:
        in_scope = True  # nothing to break: the page links to the file
    return templates.TemplateResponse(
        request,
        "break_glass.html",
        {
            "candidate_id": candidate_id,
            "hours": BREAK_GLASS_HOURS,
            "errors": {},
            "values": {},
            "section": "nood",
            "in_scope": in_scope,
        },
    )


@router.post("/noodtoegang/{candidate_id}", response_class=HTMLResponse)
def break_glass_submit(
    request: Request,
    candidate_id: DbId,
    reason: str = Form(""),
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    try:
        candidate = _outside_scope(db, user, candidate_id)
    except _InScope:
        return RedirectResponse(f"/kandidaten/{candidate_id}", status_code=303)
    try:
        break_glass(db, user, candidate, reason[:2000], ip=client_ip(request))
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        return templates.TemplateResponse(
            request,
            "break_glass.html",
            {
                "candidate_id": candidate_id,
                "hours": BREAK_GLASS_HOURS,
                "errors": {e.field: e.message for e in exc.errors},
                "values": {"reason": reason},
                "section": "nood",
            },
            status_code=422,
        )
    return RedirectResponse(f"/kandidaten/{candidate_id}", status_code=303)


@router.get("/team/noodtoegang", response_class=HTMLResponse)
def break_glass_list(
    request: Request,
    user: User = Depends(require_role("TEAMLEIDER")),
    db: Session = Depends(get_session),
) -> Response:
    return templates.TemplateResponse(
        request, "team_break_glass.html", {"rows": break_glass_for_teamleider(db, user)}
    )


@router.post("/team/noodtoegang/gezien")
def break_glass_seen(
    user: User = Depends(require_role("TEAMLEIDER")),
    db: Session = Depends(get_session),
) -> Response:
    mark_break_glass_seen(db, user)
    db.commit()
    return RedirectResponse("/team/noodtoegang", status_code=303)
