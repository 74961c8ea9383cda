"""Beheer: teams, user accounts, code lists, settings and the audit log search."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.codelists import (
    MUNICIPALITY,
    MUNICIPALITY_OVERRIDE,
    SHIPPED,
    all_code_lists,
    code_list,
    code_origins,
    municipality_dir,
)
from werkpad.domain.errors import ValidationFailed
from werkpad.domain.normalise import parse_date
from werkpad.domain.worklist import THRESHOLD_LABELS
from werkpad.services import corrections
from werkpad.services.accounts import (
    locked_usernames,
    login_subject,
    require_password_change,
    unlock_login,
)
from werkpad.services.administration import ROLES, create_team, create_user, set_active
from werkpad.services.audit import AuditQuery, record_change, record_event, search_audit
from werkpad.services.audit_alerts import read_alerts
from werkpad.services.audit_settings import audit_settings
from werkpad.services.configuration import (
    band_field,
    banded_route_types,
    choose_scheme,
    load_configuration,
    read_small_cell_threshold,
    scheme_definition,
    scheme_presets,
    set_routing_bands,
    set_routing_threshold,
    set_small_cell_threshold,
    set_worklist_thresholds,
)
from werkpad.services.indicator_settings import LIMITS as KPI_SETTING_LIMITS
from werkpad.services.indicator_settings import read_kpi_settings, set_kpi_settings
from werkpad.services.sessions import (
    DEACTIVATED,
    ENDED_BY_ADMIN,
    end_user_sessions,
    open_session_counts,
)
from werkpad.store.models import Candidate, Team, User
from werkpad.web.auth import ADMIN_ROLES, client_ip, get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId, PageNumber, db_id
from werkpad.web.posted import PostedForm
from werkpad.web.sign_in import SIGN_IN_ACTION_LABELS
from werkpad.web.templating import templates

router = APIRouter(prefix="/beheer")
ACTION_LABELS = {
    "READ": "Ingezien",
    "CREATE": "Aangemaakt",
    "UPDATE": "Gewijzigd",
    "LOGIN": "Ingelogd",
    "LOGIN_FAILED": "Inloggen mislukt",
    "LOGIN_UNLOCK": "Ontgrendeld door beheerder",
    **SIGN_IN_ACTION_LABELS,
    "IMPORT": "Geïmporteerd",
    "EXPORT": "Geëxporteerd",
    "CONFIGURE": "Ingesteld",
    "BACKUP": "Back-up gemaakt",
    "RESTORE": "Back-up teruggezet",
    "PRUNE": "Opgeschoond (bewaartermijn)",
    "DENIED": "Geweigerd",
    "LIST": "Lijst bekeken",
    "DUPLICATE_CHECK": "Dubbelcheck",
}
OBJECT_LABELS = {
    "inzage": "inzage-export",
    "candidate": "kandidaat",
    "route": "route",
    "app_user": "gebruiker",
    "team": "team",
    "municipality": "gemeente",
    "login": "",
    "import": "importmap",
    "analytics_export": "analyse-export",
    "srg_export": "SRG-levering",
    "folder_export": "importmap-export",
    "database": "database",
    "audit_seal": "auditlog tot blok",
    "setting": "instellingen",
    "request": "",
    "list": "",
}
USER_FIELDS = ("username", "full_name", "role", "team_id", "fte")
USER_ACTIONS = ("uitschakelen", "inschakelen", "ontgrendelen", "sessies-beeindigen")


def _parse_date(text: str) -> tuple[date | None, str | None]:
    if not text:
        return None, None
    try:
        return parse_date(text), None
    except ValueError:
        return None, "Ongeldige datum (gebruik jjjj-mm-dd of dd-mm-jjjj)."


def _users_page(
    request: Request,
    db: Session,
    errors: dict[str, str],
    values: dict[str, str],
    status_code: int = 200,
) -> Response:
    rows = db.scalars(
        select(User).options(joinedload(User.team)).order_by(User.role, User.username)
    ).all()
    return templates.TemplateResponse(
        request,
        "admin_users.html",
        {
            "users": rows,
            "locked": locked_usernames(db, [u.username for u in rows]),
            "sessions": open_session_counts(db),
            "teams": db.scalars(select(Team).order_by(Team.name)).all(),
            "roles": [(code, code_list("role").label(code)) for code in ROLES],
            "errors": errors,
            "values": values,
        },
        status_code=status_code,
    )


@router.get("/gebruikers", response_class=HTMLResponse)
def users(
    request: Request,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _users_page(request, db, {}, {})


@router.post("/gebruikers", response_class=HTMLResponse)
def user_create(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values = {k: str(form.get(k) or "") for k in USER_FIELDS}
    try:
        created = create_user(db, {**values, "password": str(form.get("password") or "")})
        record_change(db, user, "CREATE", "app_user", created.id, purpose="Gebruiker aangemaakt")
        require_password_change(db, created)  # the beheerder knows it: the user picks their own
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        # The password is never sent back to the browser.
        return _users_page(request, db, errors, values, status_code=422)
    return RedirectResponse("/beheer/gebruikers", status_code=303)


@router.post("/gebruikers/{user_id}/{action}", response_class=HTMLResponse)
def user_activation(
    request: Request,
    user_id: DbId,
    action: str,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    target = db.get(User, user_id)
    if target is None or action not in USER_ACTIONS:
        raise NotFound
    if action == "ontgrendelen":
        unlock_login(db, user, target.username)
        db.commit()
        return RedirectResponse("/beheer/gebruikers", status_code=303)
    if action == "sessies-beeindigen":
        ended = end_user_sessions(db, target.id, ENDED_BY_ADMIN)
        purpose = f"Sessies beëindigd ({ended})"
        record_change(db, user, "UPDATE", "app_user", target.id, purpose=purpose)
        db.commit()
        return RedirectResponse("/beheer/gebruikers", status_code=303)
    active = action == "inschakelen"
    try:
        set_active(db, user, target, active)
        purpose = "Gebruiker ingeschakeld" if active else "Gebruiker uitgeschakeld"
        if not active:
            end_user_sessions(db, target.id, DEACTIVATED)
        record_change(db, user, "UPDATE", "app_user", target.id, purpose=purpose)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        return _users_page(request, db, {e.field: e.message for e in exc.errors}, {}, 422)
    return RedirectResponse("/beheer/gebruikers", status_code=303)


def _teams_page(
    request: Request,
    db: Session,
    errors: dict[str, str],
    values: dict[str, str],
    status_code: int = 200,
) -> Response:
    users_per_team = dict(
        db.execute(
            select(User.team_id, func.count(User.id))
            .where(User.active, User.team_id.is_not(None))
            .group_by(User.team_id)
        ).all()
    )
    candidates_per_team = dict(
        db.execute(
            select(Candidate.team_id, func.count(Candidate.id))
            .where(Candidate.team_id.is_not(None))
            .group_by(Candidate.team_id)
        ).all()
    )
    teams = db.scalars(select(Team).order_by(Team.name)).all()
    rows = [
        (t, int(users_per_team.get(t.id, 0)), int(candidates_per_team.get(t.id, 0))) for t in teams
    ]
    return templates.TemplateResponse(
        request,
        "admin_teams.html",
        {"rows": rows, "errors": errors, "values": values},
        status_code=status_code,
    )


@router.get("/teams", response_class=HTMLResponse)
def teams(
    request: Request,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _teams_page(request, db, {}, {})


@router.post("/teams", response_class=HTMLResponse)
def team_create(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values = {k: str(form.get(k) or "") for k in ("name", "fte")}
    try:
        team = create_team(db, values)
        record_change(db, user, "CREATE", "team", team.id, purpose="Team aangemaakt")
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _teams_page(request, db, errors, values, status_code=422)
    return RedirectResponse("/beheer/teams", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    gebruiker: str = "",
    kandidaat: str = "",
    van: str = "",
    tot: str = "",
    soort: str = "",
    page: PageNumber = 1,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    errors: dict[str, str] = {}
    date_from, err = _parse_date(van)
    if err:
        errors["van"] = err
    date_to, err = _parse_date(tot)
    if err:
        errors["tot"] = err
    candidate_id: int | None = None
    if kandidaat:
        if kandidaat.strip().isdigit():
            candidate_id = db_id(kandidaat) or 0  # out of range: matches nothing
        else:
            errors["kandidaat"] = "Kandidaatnummer moet een getal zijn."
    result = search_audit(
        db,
        AuditQuery(
            # A name that is no account is logged as a keyed hash: search for that.
            username=(
                login_subject(db, gebruiker, request.app.state.secret_key)
                if gebruiker and soort == "inloggen"
                else gebruiker or None
            ),
            candidate_id=candidate_id,
            date_from=date_from,
            date_to=date_to,
            logins=soort == "inloggen",
            page=max(page, 1),
        ),
    )
    return templates.TemplateResponse(
        request,
        "admin_audit.html",
        {
            "result": result,
            "errors": errors,
            "form": {
                "gebruiker": gebruiker,
                "kandidaat": kandidaat,
                "van": van,
                "tot": tot,
                "soort": "inloggen" if soort == "inloggen" else "",
            },
            "pages": max(1, -(-result.total // result.page_size)),
            "read_alerts": read_alerts(db, audit_settings(db)),
            "action_labels": ACTION_LABELS,
            "object_labels": OBJECT_LABELS,
        },
    )


def _band_values(db: Session, form: dict[str, str] | None) -> dict[str, str]:
    """The band fields as the form shows them: what was submitted, else the active bands."""
    if form is not None:
        return {k: v for k, v in form.items() if k.startswith("band_")}
    values: dict[str, str] = {}
    for low, high, route_type in load_configuration(db).effective_bands():
        values[band_field(route_type, "min")] = str(low)
        values[band_field(route_type, "max")] = str(high)
    return values


def _settings_page(
    request: Request,
    db: Session,
    errors: dict[str, str],
    status_code: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    config = load_configuration(db)
    presets = scheme_presets()
    return templates.TemplateResponse(
        request,
        "admin_settings.html",
        {
            "config": config,
            "presets": presets,
            "schemes": [scheme_definition(p.code) for p in presets],
            "route_types": [
                (t, band_field(t.code, "min"), band_field(t.code, "max"))
                for t in banded_route_types()
            ],
            "band_values": _band_values(db, form),
            "thresholds": asdict(config.thresholds),
            "threshold_labels": THRESHOLD_LABELS,
            "small_cell_threshold": read_small_cell_threshold(db),
            "exit_undo_days": corrections.exit_undo_days(db),
            "kpi_settings": read_kpi_settings(db),
            "kpi_setting_limits": KPI_SETTING_LIMITS,
            "values": form or {},
            "errors": errors,
        },
        status_code=status_code,
    )


def _small_cell_threshold(db: Session, form: dict[str, str]) -> None:
    """The publication threshold, when the form has the field (older forms leave it as is)."""
    if "small_cell_threshold" in form:
        set_small_cell_threshold(db, form["small_cell_threshold"])


def _exit_undo_days(db: Session, form: dict[str, str]) -> None:
    """The period to undo a mistaken exit, when the form has the field."""
    if "exit_undo_days" in form:
        corrections.save_exit_undo_days(db, form["exit_undo_days"])


@router.get("/instellingen", response_class=HTMLResponse)
def settings_form(
    request: Request,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _settings_page(request, db, {})


@router.post("/instellingen", response_class=HTMLResponse)
def settings_save(
    request: Request,
    posted: PostedForm,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    form = {k: str(v) for k, v in posted.items()}
    errors: dict[str, str] = {}
    for apply in (
        lambda: choose_scheme(db, form.get("scheme", "")),
        lambda: set_routing_threshold(db, form.get("specialised_threshold")),
        lambda: set_routing_bands(db, form),
        lambda: set_worklist_thresholds(db, form),
        lambda: _small_cell_threshold(db, form),
        lambda: _exit_undo_days(db, form),
        lambda: set_kpi_settings(db, form),
    ):
        try:
            apply()
        except ValidationFailed as exc:
            for e in exc.errors:
                errors[e.field] = (
                    f"{errors[e.field]} {e.message}" if e.field in errors else e.message
                )
    if errors:
        db.rollback()
        return _settings_page(request, db, errors, status_code=422, form=form)
    config = load_configuration(db)
    record_event(
        db,
        user,
        "UPDATE",
        "setting",
        purpose=f"Instellingen gewijzigd: schema {config.scheme}, "
        f"drempel {config.specialised_threshold}",
        ip=client_ip(request),
    )
    db.commit()
    return RedirectResponse("/beheer/instellingen", status_code=303)


ORIGIN_LABELS = {
    SHIPPED: "Meegeleverd",
    MUNICIPALITY: "Eigen code gemeente",
    MUNICIPALITY_OVERRIDE: "Meegeleverd, aangepast door gemeente",
}


@router.get("/codelijsten", response_class=HTMLResponse)
def code_lists(
    request: Request,
    lijst: str = "",
    user: User = Depends(require_role(*ADMIN_ROLES)),
) -> Response:
    """Every code list with its codes and where each code comes from (read-only)."""
    lists = all_code_lists()
    origins = code_origins()
    if lijst and lijst not in lists:
        raise NotFound
    overview = [
        (
            name,
            len(codes),
            sum(1 for o in origins.get(name, {}).values() if o != SHIPPED),
        )
        for name, codes in sorted(lists.items())
    ]
    chosen = lists[lijst] if lijst else None
    columns = sorted({k for c in chosen for k in c.attributes}) if chosen is not None else []
    return templates.TemplateResponse(
        request,
        "admin_codelists.html",
        {
            "overview": overview,
            "chosen": chosen,
            "columns": columns,
            "origins": origins.get(lijst, {}),
            "origin_labels": ORIGIN_LABELS,
            "municipality_dir": municipality_dir(),
        },
    )
