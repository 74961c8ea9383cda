"""The candidate file (kandidaatdossier) and the intake form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.services import corrections
from werkpad.services.audit import record_event, record_read
from werkpad.services.candidates import (
    INTAKE_FIELDS,
    DuplicateCheck,
    PossibleDuplicate,
    register_candidate,
)
from werkpad.services.caseload import team_klantmanagers
from werkpad.store.models import Candidate, User
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, readable_candidate, require_role
from werkpad.web.errors import Forbidden, NotFound
from werkpad.web.params import DbId
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates

router = APIRouter()
FILE_PURPOSE = "Kandidaatdossier ingezien (web)"
CONFIRM_FIELD = "bevestig_ander_persoon"


def _intake_context(
    db: Session,
    user: User,
    values: dict[str, str],
    errors: dict[str, str],
    similar: list[Candidate] | None = None,
    elsewhere: int = 0,
) -> dict[str, object]:
    return {
        "values": values,
        "errors": errors,
        "similar": similar or [],
        "similar_elsewhere": elsewhere,
        "confirm_field": CONFIRM_FIELD,
        "sexes": list(code_list("sex")),
        "benefit_types": list(code_list("benefit_type")),
        "migration_backgrounds": list(code_list("migration_background")),
        "education_levels": list(code_list("education_level")),
        "klantmanagers": team_klantmanagers(db, user) if user.role == "TEAMLEIDER" else [],
    }


@router.get("/kandidaten/nieuw", response_class=HTMLResponse)
def intake_form(
    request: Request,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return templates.TemplateResponse(
        request, "intake.html", _intake_context(db, user, {"sex": "", "benefit_type": "PW"}, {})
    )


@router.post("/kandidaten/nieuw", response_class=HTMLResponse)
def intake_submit(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values = {name: str(form.get(name) or "") for name in INTAKE_FIELDS}
    confirmed = form.get(CONFIRM_FIELD) == "ja"
    checks: list[DuplicateCheck] = []
    try:
        candidate = register_candidate(
            db,
            values,
            user,
            today=request.app.state.clock.today(),
            allow_similar=confirmed,
            on_check=checks.append,
        )
        audit_duplicate_checks(db, user, checks, client_ip(request))
        db.commit()
    except PossibleDuplicate as exc:
        # Nothing written: the klantmanager checks the list and confirms it is someone else.
        context = _intake_context(db, user, values, {}, exc.similar, exc.elsewhere)
        response = templates.TemplateResponse(request, "intake.html", context, status_code=409)
        db.rollback()
        audit_duplicate_checks(db, user, checks, client_ip(request), commit=True)
        return response
    except ValidationFailed as exc:
        db.rollback()
        audit_duplicate_checks(db, user, checks, client_ip(request), commit=True)
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        return templates.TemplateResponse(
            request, "intake.html", _intake_context(db, user, values, errors), status_code=422
        )
    return RedirectResponse(f"/kandidaten/{candidate.id}", status_code=303)


def audit_duplicate_checks(
    db: Session,
    user: User,
    checks: list[DuplicateCheck],
    ip: str | None,
    *,
    commit: bool = False,
) -> None:
    """Write the intake's duplicate checks to the audit log; after a refused intake (nothing
    else written) in a transaction of their own."""
    for check in checks:
        record_event(
            db,
            user,
            "DUPLICATE_CHECK",
            "candidate",
            purpose=check.outcome,
            object_id=check.candidate_id,
            ip=ip,
        )
    if commit and checks:
        db.commit()


# --- corrections of the file ---------------------------------------------------------------

CORRECTION_PURPOSE = "Kandidaatdossier ingezien voor correctie (web)"


def _record(db: Session, candidate: Candidate, object_type: str, object_id: int) -> Any:
    record = corrections.find_record(db, candidate, object_type, object_id)
    if record is None:
        raise NotFound
    return record


def _correction_page(
    request: Request,
    db: Session,
    user: User,
    candidate: Candidate,
    object_type: str,
    record: Any,
    *,
    section: str = "correctie",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    record_read(db, user, candidate.id, purpose=CORRECTION_PURPOSE, ip=client_ip(request))
    db.commit()  # at once, not after the render (the SQLite write lock, see chain.py)
    kind = corrections.KINDS[object_type]
    today = request.app.state.clock.today()
    is_route = object_type == "route"
    context = {
        "c": candidate,
        "object_type": object_type,
        "record": record,
        "kind": kind,
        "values": values if values is not None else corrections.current_values(record, object_type),
        "errors": errors or {},
        "section": section,
        "read_only": kind.imported_read_only and getattr(record, "source_id", None) is not None,
        "undoable": is_route and record in corrections.undoable_exits(db, candidate, today),
        "asks_follow_ups": is_route and corrections.has_follow_ups(db, record),
        "follow_up_choices": corrections.FOLLOW_UP_CHOICES,
        "undo_days": corrections.exit_undo_days(db),
        "codes": lambda name: list(code_list(name)),
        "references": corrections.reference_choices(db, object_type),
    }
    db.commit()
    return templates.TemplateResponse(
        request, "correction_form.html", context, status_code=status_code
    )


@router.get(
    "/kandidaten/{candidate_id}/correctie/{object_type}/{object_id}", response_class=HTMLResponse
)
def correction_form(
    request: Request,
    candidate_id: DbId,
    object_type: str,
    object_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    record = _record(db, candidate, object_type, object_id)
    return _correction_page(request, db, user, candidate, object_type, record)


def _apply(
    request: Request,
    form: FormData,
    db: Session,
    user: User,
    candidate_id: DbId,
    object_type: str,
    object_id: DbId,
    section: str,
    action: Callable[[Candidate, Any, dict[str, Any]], Any],
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    record = _record(db, candidate, object_type, object_id)
    data = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        action(candidate, record, data)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        candidate = readable_candidate(db, user, candidate_id)
        record = _record(db, candidate, object_type, object_id)
        shown = {**corrections.current_values(record, object_type), **data}
        return _correction_page(
            request, db, user, candidate, object_type, record,
            section=section, values=shown, errors=errors, status_code=422,
        )  # fmt: skip
    except PermissionError as exc:
        db.rollback()
        raise Forbidden from exc
    return RedirectResponse(f"/kandidaten/{candidate_id}#wijzigingen", status_code=303)


@router.post(
    "/kandidaten/{candidate_id}/correctie/{object_type}/{object_id}", response_class=HTMLResponse
)
def correction_submit(
    request: Request,
    form: PostedForm,
    candidate_id: DbId,
    object_type: str,
    object_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    today = request.app.state.clock.today()
    return _apply(
        request, form, db, user, candidate_id, object_type, object_id, "correctie",
        lambda c, r, d: corrections.correct_record(db, user, c, object_type, r, d, today=today),
    )  # fmt: skip


@router.post(
    "/kandidaten/{candidate_id}/correctie/{object_type}/{object_id}/verwijderen",
    response_class=HTMLResponse,
)
def deletion_submit(
    request: Request,
    form: PostedForm,
    candidate_id: DbId,
    object_type: str,
    object_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _apply(
        request, form, db, user, candidate_id, object_type, object_id, "verwijderen",
        lambda c, r, d: corrections.delete_record(db, user, c, object_type, r, d),
    )  # fmt: skip


@router.post(
    "/kandidaten/{candidate_id}/correctie/route/{route_id}/uitstroom-ongedaan",
    response_class=HTMLResponse,
)
def undo_exit_submit(
    request: Request,
    form: PostedForm,
    candidate_id: DbId,
    route_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    today = request.app.state.clock.today()
    return _apply(
        request, form, db, user, candidate_id, "route", route_id, "uitstroom",
        lambda c, r, d: corrections.undo_exit(db, user, c, r, d, today=today),
    )  # fmt: skip
