"""The candidate file (kandidaatdossier) and the intake form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.services.audit import record_event
from werkpad.services.candidates import (
    INTAKE_FIELDS,
    DuplicateCheck,
    PossibleDuplicate,
    register_candidate,
)
from werkpad.services.caseload import team_klantmanagers
from werkpad.store.models import Candidate, User
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, require_role
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
async def intake_submit(
    request: Request,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    form = await request.form()
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
