"""Employers for the accountmanager: search, detail with vacancies, create and edit.

The accountmanager writes; a teamleider may read. Every form posts with the CSRF token (checked
by ``require_role``) and nothing is written when a field is invalid.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.services.employers import (
    AGREEMENT_FLAGS,
    SIZE_CLASSES,
    employer_form_values,
    list_vacancies,
    save_employer,
    search_employers,
)
from werkpad.store.models import Employer, User
from werkpad.web.auth import get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates

router = APIRouter(prefix="/werkgevers")
READ_ROLES = ("ACCOUNTMANAGER", "TEAMLEIDER")
WRITE_ROLES = ("ACCOUNTMANAGER",)


def form_data(form: Any, multi: tuple[str, ...] = ()) -> dict[str, Any]:
    """Submitted form fields as a dict; the names in ``multi`` as lists (checkbox groups)."""
    data: dict[str, Any] = {k: v for k, v in form.items() if k != "csrf_token"}
    for name in multi:
        data[name] = [str(v) for v in form.getlist(name)]
    return data


def _sizes(employer: Employer | None) -> list[tuple[str, str]]:
    """The size choices, plus an imported code outside the list so an edit keeps it."""
    sizes = list(SIZE_CLASSES.items())
    if employer is not None and employer.size_class and employer.size_class not in SIZE_CLASSES:
        sizes.append((employer.size_class, employer.size_class))
    return sizes


def _form_page(
    request: Request,
    employer: Employer | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "employers_form.html",
        {
            "employer": employer,
            "section": "werkgever",
            "values": values,
            "errors": errors,
            "sectors": [(c.code, c.label_nl) for c in code_list("sector")],
            "sizes": _sizes(employer),
            "agreement_flags": list(AGREEMENT_FLAGS.items()),
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def employer_list(
    request: Request,
    q: str = "",
    sector: str = "",
    user: User = Depends(require_role(*READ_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    rows = search_employers(db, today=request.app.state.clock.today(), q=q, sector=sector)
    return templates.TemplateResponse(
        request,
        "employers.html",
        {
            "rows": rows,
            "q": q,
            "sector": sector,
            "sectors": [(c.code, c.label_nl) for c in code_list("sector")],
            "sizes": SIZE_CLASSES,
            "can_edit": user.role in WRITE_ROLES,
        },
    )


@router.get("/nieuw", response_class=HTMLResponse)
def new_employer(
    request: Request,
    user: User = Depends(require_role(*WRITE_ROLES)),
) -> Response:
    return _form_page(request, None, {"proefplaatsing": "on"}, {})


@router.post("/nieuw", response_class=HTMLResponse)
def create_employer(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    data = form_data(form)
    try:
        employer = save_employer(db, user, data)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _form_page(request, None, data, errors, status_code=422)
    return RedirectResponse(f"/werkgevers/{employer.id}", status_code=303)


@router.get("/{employer_id}", response_class=HTMLResponse)
def employer_detail(
    request: Request,
    employer_id: DbId,
    user: User = Depends(require_role(*READ_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    employer = db.get(Employer, employer_id)
    if employer is None:
        raise NotFound
    vacancies = list_vacancies(
        db, today=request.app.state.clock.today(), status="alle", employer_id=employer.id
    )
    return templates.TemplateResponse(
        request,
        "employers_detail.html",
        {
            "employer": employer,
            "agreements": employer.agreements or {},
            "agreement_flags": list(AGREEMENT_FLAGS.items()),
            "sizes": SIZE_CLASSES,
            "vacancies": vacancies,
            "can_edit": user.role in WRITE_ROLES,
        },
    )


@router.get("/{employer_id}/bewerken", response_class=HTMLResponse)
def edit_employer(
    request: Request,
    employer_id: DbId,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    employer = db.get(Employer, employer_id)
    if employer is None:
        raise NotFound
    return _form_page(request, employer, employer_form_values(employer), {})


@router.post("/{employer_id}/bewerken", response_class=HTMLResponse)
def update_employer(
    request: Request,
    form: PostedForm,
    employer_id: DbId,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    employer = db.get(Employer, employer_id)
    if employer is None:
        raise NotFound
    data = form_data(form)
    try:
        save_employer(db, user, data, employer)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _form_page(request, db.get(Employer, employer_id), data, errors, status_code=422)
    return RedirectResponse(f"/werkgevers/{employer_id}", status_code=303)
