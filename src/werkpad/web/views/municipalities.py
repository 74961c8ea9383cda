"""Beheer → Gemeenten: the municipalities of a regional service (name, CBS code), the teams
that serve each, and a user's municipality scope (docs/municipalities.md).

The same services as ``werkpad gemeente``; every change is a ``CONFIGURE`` entry in the audit
log, and a scope change ends that user's sessions (as a role change does), so the next
request is made with the new scope.
"""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.services.audit import record_event
from werkpad.services.municipalities import (
    add_municipality,
    municipalities,
    municipality_ftes,
    set_municipality_fte,
    set_team_municipalities,
    set_user_scope,
    team_municipalities,
    update_municipality,
)
from werkpad.services.sessions import end_user_sessions
from werkpad.services.targets import save_target, set_targets, target_definitions
from werkpad.store.models import Team, User
from werkpad.web.auth import ADMIN_ROLES, get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId, db_id
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates

router = APIRouter(prefix="/beheer/gemeenten")
PAGE = "/beheer/gemeenten"
SCOPE_CHANGED = "SCOPE_CHANGED"  # web_session.end_reason after a municipality scope change


def _page(
    request: Request,
    db: Session,
    *,
    section: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    places = municipalities(db)
    names = {m.id: m.name for m in places}
    users = db.scalars(select(User).options(joinedload(User.team)).order_by(User.username)).all()
    return templates.TemplateResponse(
        request,
        "admin_municipalities.html",
        {
            "places": places,
            "teams": db.scalars(select(Team).order_by(Team.name)).all(),
            "served": team_municipalities(db),
            "ftes": municipality_ftes(db),
            "names": names,
            "place_options": [(m.id, m.name) for m in places],
            "target_options": [(t.id, t.label_nl) for t in target_definitions()],
            "set_targets": set_targets(db),
            "users": users,
            "scoped": [(u, names.get(u.municipality_id, "")) for u in users if u.municipality_id],
            "role_name": code_list("role").label,
            "section": section,
            "errors": errors or {},
            "values": values or {},
            "saved": request.query_params.get("opgeslagen", ""),
        },
        status_code=status_code,
    )


def _messages(failed: ValidationFailed) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in failed.errors:
        errors.setdefault(error.field, error.message)
    return errors


def _done(what: str) -> RedirectResponse:
    return RedirectResponse(f"{PAGE}?opgeslagen={what}", status_code=303)


@router.get("", response_class=HTMLResponse)
def overview(
    request: Request,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _page(request, db)


@router.post("", response_class=HTMLResponse)
def municipality_add(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values = {k: str(form.get(k) or "").strip() for k in ("name", "cbs_code")}
    try:
        place = add_municipality(db, values["name"], values["cbs_code"] or None)
        record_event(
            db,
            user,
            "CONFIGURE",
            "municipality",
            object_id=place.id,
            purpose=f"Gemeente {place.name} toegevoegd",
        )
        db.commit()
    except ValidationFailed as failed:
        db.rollback()
        return _page(
            request, db, section="nieuw", errors=_messages(failed), values=values, status_code=422
        )
    return _done("gemeente")


@router.post("/team/{team_id}", response_class=HTMLResponse)
def team_places(
    request: Request,
    team_id: DbId,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    team = db.get(Team, team_id)
    if team is None:
        raise NotFound
    chosen = [str(v) for v in form.getlist("municipality")]
    section = f"team-{team.id}"
    ids = [db_id(v) for v in chosen]
    try:
        if any(i is None for i in ids):
            raise ValidationFailed([FieldError("municipalities", "Onbekende gemeente gekozen.")])
        set_team_municipalities(db, team.id, [i for i in ids if i is not None])
        names = [m.name for m in municipalities(db) if str(m.id) in chosen]
        record_event(
            db,
            user,
            "CONFIGURE",
            "team",
            object_id=team.id,
            purpose=f"Team {team.name} werkt voor {', '.join(names) or 'geen gemeente'}",
        )
        db.commit()
    except ValidationFailed as failed:
        db.rollback()
        return _page(request, db, section=section, errors=_messages(failed), status_code=422)
    return _done("team")


@router.post("/gebruiker", response_class=HTMLResponse)
def user_scope(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values = {k: str(form.get(k) or "").strip() for k in ("user_id", "municipality_id")}
    errors: dict[str, str] = {}
    user_id = db_id(values["user_id"])
    target = db.get(User, user_id) if user_id is not None else None
    if target is None:
        errors["user_id"] = "Kies een gebruiker."
    raw = values["municipality_id"]
    known = {m.id: m.name for m in municipalities(db)}
    place = db_id(raw)
    if raw and place not in known:
        errors["municipality_id"] = "Onbekende gemeente gekozen."
    if errors or target is None:
        return _page(request, db, section="scope", errors=errors, values=values, status_code=422)
    try:
        set_user_scope(db, target.id, place)
        what = known[place] if place is not None else "de hele dienst"
        ended = end_user_sessions(db, target.id, SCOPE_CHANGED)
        record_event(
            db,
            user,
            "CONFIGURE",
            "app_user",
            object_id=target.id,
            purpose=f"Gebruiker {target.username} beperkt tot {what} (sessies beëindigd: {ended})",
        )
        db.commit()
    except ValidationFailed as failed:
        db.rollback()
        return _page(
            request, db, section="scope", errors=_messages(failed), values=values, status_code=422
        )
    return _done("gebruiker")


def _number(value: Decimal) -> str:
    """``5``, ``12,5``: a bound as the audit log shows it."""
    return format(value.normalize(), "f").replace(".", ",")


TARGET_FIELDS = ("municipality_id", "target_id", "first_year", "last_year", "minimum", "maximum")


@router.post("/doelen", response_class=HTMLResponse)
def target_save(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values = {k: str(form.get(k) or "").strip() for k in TARGET_FIELDS}
    names = {m.id: m.name for m in municipalities(db)}
    place = db_id(values["municipality_id"])
    try:
        if values["municipality_id"] and place not in names:
            raise ValidationFailed([FieldError("municipality_id", "Onbekende gemeente gekozen.")])
        row = save_target(db, place, values["target_id"], values)
        where = names[place] if place is not None else "de hele dienst"
        if row is None:
            what = "verwijderd"
        else:
            bounds = [
                f"{word} {_number(value)}"
                for word, value in (("minimum", row.minimum), ("maximum", row.maximum))
                if value is not None
            ]
            what = f"{row.first_year}–{row.last_year}, " + ", ".join(bounds)
        label = {t.id: t.label_nl for t in target_definitions()}[values["target_id"]]
        record_event(
            db,
            user,
            "CONFIGURE",
            "municipality",
            object_id=place,
            purpose=f"Doel '{label}' voor {where}: {what}",
        )
        db.commit()
    except ValidationFailed as failed:
        db.rollback()
        return _page(
            request, db, section="doel", errors=_messages(failed), values=values, status_code=422
        )
    return _done("doel")


@router.post("/{municipality_id}/formatie", response_class=HTMLResponse)
def municipality_fte(
    request: Request,
    municipality_id: DbId,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    names = {m.id: m.name for m in municipalities(db)}
    if municipality_id not in names:
        raise NotFound
    values = {k: str(form.get(k) or "").strip() for k in ("fte_year", "fte")}
    try:
        year, fte = set_municipality_fte(db, municipality_id, values["fte_year"], values["fte"])
        what = f"{fte} fte".replace(".", ",") if fte is not None else "verwijderd"
        record_event(
            db,
            user,
            "CONFIGURE",
            "municipality",
            object_id=municipality_id,
            purpose=f"Formatie {names[municipality_id]} {year}: {what}",
        )
        db.commit()
    except ValidationFailed as failed:
        db.rollback()
        section = f"formatie-{municipality_id}"
        return _page(
            request, db, section=section, errors=_messages(failed), values=values, status_code=422
        )
    return _done("formatie")


@router.post("/{municipality_id}", response_class=HTMLResponse)
def municipality_edit(
    request: Request,
    municipality_id: DbId,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    if municipality_id not in {m.id for m in municipalities(db)}:
        raise NotFound
    values = {k: str(form.get(k) or "").strip() for k in ("name", "cbs_code")}
    section = f"gemeente-{municipality_id}"
    try:
        place = update_municipality(db, municipality_id, values["name"], values["cbs_code"] or None)
        record_event(
            db,
            user,
            "CONFIGURE",
            "municipality",
            object_id=place.id,
            purpose=f"Gemeente {place.name} gewijzigd (CBS-code {place.cbs_code or 'geen'})",
        )
        db.commit()
    except ValidationFailed as failed:
        db.rollback()
        return _page(
            request, db, section=section, errors=_messages(failed), values=values, status_code=422
        )
    return _done("gemeente")
