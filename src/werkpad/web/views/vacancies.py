"""Vacancies for the accountmanager: list, create/edit, and per vacancy the explained ranking of
referred candidates and the pipeline (shortlist -> proposal with consent -> interview -> trial
placement -> placed / rejected / withdrawn). Recording the placement ends the candidate's route
with a work exit through the exit service.

The accountmanager writes; a teamleider may read and sees candidates by reference only. Only
work-profile information is shown: no BSN, no benefit file.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.analytics.pipeline import pipeline_by_year
from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.domain.lifecycle import NOT_STARTED_PROVISION_STATES, PROPOSAL, PROVISION
from werkpad.matching.features import DAY_LABELS_NL, DAYS, DEMAND_LABELS_NL, DEMANDS
from werkpad.services.employers import (
    VACANCY_STATUSES,
    is_open_on,
    list_vacancies,
    load_vacancy,
    save_vacancy,
    vacancy_form_values,
    vacancy_requirements,
)
from werkpad.services.fields import Fields
from werkpad.services.matching import candidates_for_vacancy
from werkpad.services.plans import results_ending_as
from werkpad.services.proposals import (
    candidate_reference,
    move_proposal,
    open_provisions_at_placement,
    place_proposal,
    proposal_steps,
    shortlist_candidate,
    vacancy_pipeline,
)
from werkpad.store.models import Employer, Proposal, User
from werkpad.web.auth import get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId, db_id
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates
from werkpad.web.views.employers import READ_ROLES, WRITE_ROLES, form_data

router = APIRouter(prefix="/vacatures")
MULTI_FIELDS = ("physical_demands", "days")
TOP = 20
# Steps a button may ask for; PLACED goes through the placement form.
SIMPLE_STEPS = frozenset({"PROPOSED", "INTERVIEW", "TRIAL", "REJECTED", "WITHDRAWN"})
PLACEMENT_INSTRUMENTS = ("LKS", "NO_RISK_POLIS", "JOBCOACH", "WERKGEVERSCHEQUE")


def _employers(db: Session) -> list[tuple[int, str]]:
    return [(e.id, e.name) for e in db.scalars(select(Employer).order_by(Employer.name))]


def _form_page(
    request: Request,
    db: Session,
    vacancy_id: int | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "vacancy_form.html",
        {
            "vacancy_id": vacancy_id,
            "section": "vacature",
            "values": values,
            "errors": errors,
            "employers": _employers(db),
            "sectors": [(c.code, c.label_nl) for c in code_list("sector")],
            "educations": [(c.code, c.label_nl) for c in code_list("education_level")],
            "languages": [(c.code, c.label_nl) for c in code_list("language_level")],
            "demands": [(d, DEMAND_LABELS_NL[d]) for d in DEMANDS],
            "days": [(d, DAY_LABELS_NL[d]) for d in DAYS],
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def vacancy_list(
    request: Request,
    status: str = "open",
    werkgever: str = "",
    user: User = Depends(require_role(*READ_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    status = status if status in VACANCY_STATUSES else "open"
    employer_id = db_id(werkgever) if werkgever.strip() else None
    today = request.app.state.clock.today()
    rows = list_vacancies(db, today=today, status=status, employer_id=employer_id)
    pipeline = pipeline_by_year(proposal_steps(db, today))
    return templates.TemplateResponse(
        request,
        "vacancy_list.html",
        {
            "rows": rows,
            "pipeline": pipeline.sort_values("year", ascending=False).head(5).to_dict("records"),
            "status": status,
            "employer_id": employer_id,
            "employers": _employers(db),
            "can_edit": user.role in WRITE_ROLES,
        },
    )


@router.get("/nieuw", response_class=HTMLResponse)
def new_vacancy(
    request: Request,
    werkgever: str = "",
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    values: dict[str, Any] = {"opened_on": request.app.state.clock.today().isoformat()}
    employer_id = db_id(werkgever)
    employer = db.get(Employer, employer_id) if employer_id is not None else None
    if employer is not None:
        values.update(
            employer_id=str(employer.id), sector=employer.sector, postcode=employer.postcode or ""
        )
    return _form_page(request, db, None, values, {})


@router.post("/nieuw", response_class=HTMLResponse)
def create_vacancy(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    data = form_data(form, MULTI_FIELDS)
    try:
        vacancy = save_vacancy(db, user, data, today=request.app.state.clock.today())
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _form_page(request, db, None, data, errors, status_code=422)
    return RedirectResponse(f"/vacatures/{vacancy.id}", status_code=303)


def _detail_page(
    request: Request,
    db: Session,
    user: User,
    vacancy_id: DbId,
    errors: dict[str, str] | None = None,
    error_section: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    vacancy = load_vacancy(db, vacancy_id)
    if vacancy is None:
        raise NotFound
    today = request.app.state.clock.today()
    match = candidates_for_vacancy(db, vacancy_id, today=today, top=TOP)
    pipeline = vacancy_pipeline(db, vacancy_id)
    in_pipeline = {e.proposal.candidate_id for e in pipeline}
    show_names = user.role == "ACCOUNTMANAGER"
    return templates.TemplateResponse(
        request,
        "vacancy_detail.html",
        {
            "vacancy": vacancy,
            "is_open": is_open_on(vacancy, today),
            "req": vacancy_requirements(vacancy),
            "demand_labels": DEMAND_LABELS_NL,
            "day_labels": DAY_LABELS_NL,
            "match": match,
            "pipeline": pipeline,
            "in_pipeline": in_pipeline,
            "show_names": show_names,
            "ref": candidate_reference,
            "state_labels": PROPOSAL.labels_nl,
            "can_edit": user.role in WRITE_ROLES,
            "errors": errors or {},
            "section": error_section,
            "values": values or {},
            "today": today,
            "job_types": [(c.code, c.label_nl) for c in code_list("job_type")],
            "contract_types": [(c.code, c.label_nl) for c in code_list("contract_type")],
            "instruments": [(c, code_list("instrument").label(c)) for c in PLACEMENT_INSTRUMENTS],
            **placement_provision_context(db, pipeline),
        },
        status_code=status_code,
    )


def placement_provision_context(db: Session, pipeline: list[Any]) -> dict[str, Any]:
    """What the placement form needs to ask what becomes of each open provision."""
    return {
        "placement_provisions": open_provisions_at_placement(db, pipeline),
        "provision_states": PROVISION.labels_nl,
        "not_started_states": NOT_STARTED_PROVISION_STATES,
        "completed_results": results_ending_as("COMPLETED"),
        "stopped_results": results_ending_as("STOPPED"),
    }


@router.get("/{vacancy_id}", response_class=HTMLResponse)
def vacancy_detail(
    request: Request,
    vacancy_id: DbId,
    user: User = Depends(require_role(*READ_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return _detail_page(request, db, user, vacancy_id)


@router.get("/{vacancy_id}/bewerken", response_class=HTMLResponse)
def edit_vacancy(
    request: Request,
    vacancy_id: DbId,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    vacancy = load_vacancy(db, vacancy_id)
    if vacancy is None:
        raise NotFound
    return _form_page(request, db, vacancy_id, vacancy_form_values(vacancy), {})


@router.post("/{vacancy_id}/bewerken", response_class=HTMLResponse)
def update_vacancy(
    request: Request,
    form: PostedForm,
    vacancy_id: DbId,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    vacancy = load_vacancy(db, vacancy_id)
    if vacancy is None:
        raise NotFound
    data = form_data(form, MULTI_FIELDS)
    try:
        save_vacancy(db, user, data, today=request.app.state.clock.today(), vacancy=vacancy)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        return _form_page(request, db, vacancy_id, data, errors, status_code=422)
    return RedirectResponse(f"/vacatures/{vacancy_id}", status_code=303)


@router.post("/{vacancy_id}/shortlist", response_class=HTMLResponse)
def shortlist(
    request: Request,
    form: PostedForm,
    vacancy_id: DbId,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    if load_vacancy(db, vacancy_id) is None:
        raise NotFound
    data = form_data(form)
    raw = str(data.get("candidate_id") or "")
    try:
        candidate_id = db_id(raw)
        if candidate_id is None:
            raise ValidationFailed([])
        shortlist_candidate(
            db, user, vacancy_id, candidate_id, today=request.app.state.clock.today()
        )
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors} or {"candidate": "Kies een kandidaat."}
        return _detail_page(request, db, user, vacancy_id, errors, "shortlist", status_code=422)
    return RedirectResponse(f"/vacatures/{vacancy_id}#pijplijn", status_code=303)


@router.post("/{vacancy_id}/voorstellen/{proposal_id}", response_class=HTMLResponse)
def proposal_step(
    request: Request,
    form: PostedForm,
    vacancy_id: DbId,
    proposal_id: DbId,
    user: User = Depends(require_role(*WRITE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """One step of a proposal; ``target`` is the next state (PLACED records the placement)."""
    proposal = db.get(Proposal, proposal_id)
    if proposal is None or proposal.vacancy_id != vacancy_id:
        raise NotFound
    data = form_data(form, ("instruments",))
    target = str(data.get("target") or "")
    today = request.app.state.clock.today()
    try:
        if target == "PLACED":
            place_proposal(db, user, proposal, data, today=today)
        elif target in SIMPLE_STEPS:
            reason = str(data.get("reason") or "").strip()[:500] or None
            move_proposal(
                db,
                user,
                proposal,
                target,
                today=today,
                consent=Fields(data).flag("consent"),
                reason=reason,
            )
        else:
            raise NotFound
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        errors = {e.field: e.message for e in exc.errors}
        section = f"p{proposal_id}-{target}"
        return _detail_page(request, db, user, vacancy_id, errors, section, data, status_code=422)
    return RedirectResponse(f"/vacatures/{vacancy_id}#voorstel-{proposal_id}", status_code=303)
