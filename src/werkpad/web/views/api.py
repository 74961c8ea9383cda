"""The JSON API under /api: candidates and routes, scoped like the web pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.errors import ValidationFailed
from werkpad.services import corrections
from werkpad.services.audit import record_event, record_read
from werkpad.services.candidate_file import (
    load_candidate_file,
    load_route,
    mask_bsn,
    routes_of_candidate,
)
from werkpad.services.candidates import DuplicateCheck, PossibleDuplicate, register_candidate
from werkpad.services.caseload import list_caseload
from werkpad.services.exits import (
    ExitResult,
    benefit_returns_by_follow_up,
    follow_ups_of_candidate,
)
from werkpad.services.matching import candidates_for_vacancy
from werkpad.services.proposals import candidate_reference
from werkpad.store.models import User, Vacancy
from werkpad.web.auth import (
    ALL_ROLES,
    CASE_ROLES,
    client_ip,
    get_session,
    readable_candidate,
    require_role,
)
from werkpad.web.errors import Forbidden, NotFound
from werkpad.web.params import DbId, QueryDbId
from werkpad.web.schemas import (
    CandidateCreated,
    CandidateDetail,
    CandidateMatchOut,
    CandidatePage,
    CandidateSummary,
    CorrectionOut,
    FollowUpOut,
    IntakeIn,
    RouteOut,
    VacancyMatchesOut,
    ValidationErrorOut,
    intake_values,
)
from werkpad.web.templating import templates
from werkpad.web.views import chain
from werkpad.web.views.candidate import audit_duplicate_checks
from werkpad.web.views.caseload import CaseloadParams, caseload_params

router = APIRouter(prefix="/api", tags=["api"])
docs_router = APIRouter(prefix="/api", include_in_schema=False)
API_PURPOSE = "Kandidaatdossier opgevraagd (API)"
ROUTES_PURPOSE = "Routes opgevraagd (API)"
LIST_PURPOSE = "Caseload opgevraagd (API)"
NO_ACCESS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Geen toegang"},
    404: {"description": "Niet gevonden"},
}


@router.get("/candidates", response_model=CandidatePage)
def list_candidates(
    request: Request,
    params: CaseloadParams = Depends(caseload_params),
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> CandidatePage:
    """One page of the candidates the user may see (the caseload), with the same filters."""
    page = list_caseload(db, user, params.to_filter(user), today=request.app.state.clock.today())
    record_event(db, user, "LIST", "list", purpose=LIST_PURPOSE, ip=client_ip(request))
    db.commit()
    return CandidatePage(
        items=[CandidateSummary.from_row(r) for r in page.rows],
        total=page.total,
        page=page.page,
        page_size=page.page_size,
    )


@router.get("/candidates/{candidate_id}", response_model=CandidateDetail, responses=NO_ACCESS)
def get_candidate(
    request: Request,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> CandidateDetail:
    """The candidate file; every call is written to the audit log."""
    candidate = readable_candidate(db, user, candidate_id)
    record_read(db, user, candidate.id, purpose=API_PURPOSE, ip=client_ip(request))
    file = load_candidate_file(db, candidate)
    follow_ups = follow_ups_of_candidate(db, candidate.id)
    returns = benefit_returns_by_follow_up(file.candidate, file.placements, follow_ups)
    detail = CandidateDetail.of(
        file,
        [
            FollowUpOut(
                id=u.id,
                placement_id=u.placement_id,
                months=u.months,
                due_date=u.due_date,
                done_on=u.done_on,
                still_working=u.still_working,
                back_on_benefit=u.back_on_benefit,
                note=u.note,
                benefit_return_since=returns.get(u.id),
            )
            for u in follow_ups
        ],
    )
    db.commit()
    return detail


@router.post(
    "/candidates",
    status_code=201,
    response_model=CandidateCreated,
    responses={
        409: {"description": "Mogelijk dubbele inschrijving (allow_similar)"},
        422: {"model": ValidationErrorOut, "description": "Ongeldige invoer"},
    },
)
def create_candidate(
    request: Request,
    body: IntakeIn,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Any:
    """Intake of a new candidate with the first benefit spell. Send the X-CSRF-Token header.

    A 409 names only similar people of the user's own team; ``elsewhere`` counts those of
    other teams (no name, no team). Every duplicate check is audit-logged."""
    checks: list[DuplicateCheck] = []
    ip = client_ip(request)
    try:
        candidate = register_candidate(
            db,
            intake_values(body),
            user,
            today=request.app.state.clock.today(),
            allow_similar=body.allow_similar,
            on_check=checks.append,
        )
        audit_duplicate_checks(db, user, checks, ip)
        db.commit()
    except PossibleDuplicate as exc:
        similar = [
            {
                "name": c.full_name,
                "birth_date": c.birth_date.isoformat(),
                "team": c.team.name if c.team else None,
            }
            for c in exc.similar
        ]
        db.rollback()
        audit_duplicate_checks(db, user, checks, ip, commit=True)
        return JSONResponse(
            {
                "detail": "Mogelijk dubbele inschrijving: vergelijkbare naam en dezelfde "
                "geboortedatum. Stuur allow_similar=true als het een andere persoon is.",
                "similar": similar,
                "elsewhere": exc.elsewhere,
            },
            status_code=409,
        )
    except ValidationFailed as exc:
        db.rollback()
        audit_duplicate_checks(db, user, checks, ip, commit=True)
        return JSONResponse({"detail": exc.as_dict()}, status_code=422)
    return CandidateCreated(
        id=candidate.id, name=candidate.full_name, bsn_masked=mask_bsn(candidate.bsn)
    )


# --- corrections ------------------------------------------------------------------------------

CORRECTION_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationErrorOut, "description": "Ongeldige invoer; niets opgeslagen"},
    **NO_ACCESS,
}


def _correction(
    request: Request,
    db: Session,
    user: User,
    candidate_id: int,
    object_type: str,
    object_id: int,
    run: Any,
) -> Any:
    candidate = readable_candidate(db, user, candidate_id)
    record = corrections.find_record(db, candidate, object_type, object_id)
    if record is None:
        raise NotFound
    try:
        correction = run(candidate, record)
        db.commit()
    except ValidationFailed as exc:
        db.rollback()
        return JSONResponse({"detail": exc.as_dict()}, status_code=422)
    except PermissionError as exc:
        db.rollback()
        raise Forbidden from exc
    return CorrectionOut.of(correction)


@router.patch(
    "/candidates/{candidate_id}",
    response_model=CorrectionOut,
    responses=CORRECTION_RESPONSES,
)
def correct_candidate(
    request: Request,
    candidate_id: DbId,
    body: dict[str, Any],
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Any:
    """Correct personal data: the fields to change and a ``reason`` (imported data: 422)."""
    today = request.app.state.clock.today()
    return _correction(
        request, db, user, candidate_id, "candidate", candidate_id,
        lambda c, r: corrections.correct_record(db, user, c, "candidate", r, body, today=today),
    )  # fmt: skip


@router.patch(
    "/candidates/{candidate_id}/records/{object_type}/{object_id}",
    response_model=CorrectionOut,
    responses=CORRECTION_RESPONSES,
)
def correct_record(
    request: Request,
    candidate_id: DbId,
    object_type: str,
    object_id: DbId,
    body: dict[str, Any],
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Any:
    """Correct a record of the file (benefit_spell, assessment, plan, route, contact,
    follow_up): the fields to change and a ``reason``."""
    today = request.app.state.clock.today()
    return _correction(
        request, db, user, candidate_id, object_type, object_id,
        lambda c, r: corrections.correct_record(db, user, c, object_type, r, body, today=today),
    )  # fmt: skip


@router.post(
    "/candidates/{candidate_id}/records/{object_type}/{object_id}/delete",
    response_model=CorrectionOut,
    responses=CORRECTION_RESPONSES,
)
def delete_record(
    request: Request,
    candidate_id: DbId,
    object_type: str,
    object_id: DbId,
    body: dict[str, Any],
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Any:
    """Delete a record entered in error, with a ``reason``; refused (422, reason in Dutch)
    where other records depend on it."""
    return _correction(
        request, db, user, candidate_id, object_type, object_id,
        lambda c, r: corrections.delete_record(db, user, c, object_type, r, body),
    )  # fmt: skip


@router.post(
    "/candidates/{candidate_id}/routes/{route_id}/undo-exit",
    response_model=CorrectionOut,
    responses=CORRECTION_RESPONSES,
)
def undo_exit(
    request: Request,
    candidate_id: DbId,
    route_id: DbId,
    body: dict[str, Any],
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Any:
    """Undo a mistaken exit within the configured period, with a ``reason``; with follow-ups
    ``follow_ups`` is ``verwijderen`` or ``behouden``."""
    today = request.app.state.clock.today()
    return _correction(
        request, db, user, candidate_id, "route", route_id,
        lambda c, r: corrections.undo_exit(db, user, c, r, body, today=today),
    )  # fmt: skip


@router.get(
    "/candidates/{candidate_id}/corrections",
    response_model=list[CorrectionOut],
    responses=NO_ACCESS,
)
def list_corrections(
    request: Request,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> list[CorrectionOut]:
    """The correction history of the file, newest first (audit-logged as a file read)."""
    candidate = readable_candidate(db, user, candidate_id)
    record_read(db, user, candidate.id, purpose=API_PURPOSE, ip=client_ip(request))
    out = [CorrectionOut.of(h.correction) for h in corrections.corrections_of(db, candidate.id)]
    db.commit()
    return out


STEP_NAMES = (
    "diagnose, plan, route, contact, ontheffing, aanmelding (with the work profile), "
    "werkprofiel, uitkering, partner (a partner joins the open dossier), partner-uit-dossier "
    "(a partner added in error leaves it, with a reason); with an object id: "
    "voorziening/{route_id}, starten/{provision_id}, resultaat/{provision_id}, "
    "stoppen/{provision_id}, annuleren/{provision_id}, datums/{provision_id}, einde/{route_id}, "
    "nazorg/{follow_up_id}, uitkeringseinde/{benefit_spell_id}"
)


def _step(
    request: Request,
    db: Session,
    user: User,
    candidate_id: DbId,
    name: str,
    body: dict[str, Any],
    object_id: int | None,
) -> Any:
    candidate = readable_candidate(db, user, candidate_id)
    with_id = name in chain.OBJECT_ACTIONS
    if name not in chain.ACTIONS or with_id != (object_id is not None):
        raise NotFound
    try:
        result = chain.run_action(
            db, user, candidate, name, body, request.app.state.clock.today(), object_id
        )
    except ValidationFailed as exc:
        return JSONResponse({"detail": exc.as_dict()}, status_code=422)
    first = result[0] if isinstance(result, tuple) else result
    # An exit answers with its route; every other step with what it wrote (a provision: its
    # own id, so the next step can name it).
    written = first.route if isinstance(first, ExitResult) else first
    return JSONResponse({"step": name, "id": getattr(written, "id", None)}, status_code=201)


@router.post(
    "/candidates/{candidate_id}/steps/{name}",
    status_code=201,
    responses={422: {"model": ValidationErrorOut}, **NO_ACCESS},
)
def chain_step(
    request: Request,
    candidate_id: DbId,
    name: str,
    body: dict[str, Any],
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Any:
    """One step of the chain with the same fields as the web forms (STEP_NAMES)."""
    return _step(request, db, user, candidate_id, name, body, None)


@router.post(
    "/candidates/{candidate_id}/steps/{name}/{object_id}",
    status_code=201,
    responses={422: {"model": ValidationErrorOut}, **NO_ACCESS},
)
def chain_step_on(
    request: Request,
    candidate_id: DbId,
    name: str,
    object_id: DbId,
    body: dict[str, Any],
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Any:
    """A step on a route, provision or follow-up of the candidate."""
    return _step(request, db, user, candidate_id, name, body, object_id)


@router.get("/routes", response_model=list[RouteOut], responses=NO_ACCESS)
def list_routes(
    request: Request,
    candidate_id: QueryDbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> list[RouteOut]:
    """The routes of one candidate with their provisions (audit-logged as a file read)."""
    candidate = readable_candidate(db, user, candidate_id)
    record_read(db, user, candidate.id, purpose=ROUTES_PURPOSE, ip=client_ip(request))
    routes = [RouteOut.of(r) for r in routes_of_candidate(db, candidate.id)]
    db.commit()
    return routes


@router.get("/routes/{route_id}", response_model=RouteOut, responses=NO_ACCESS)
def get_route(
    request: Request,
    route_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> RouteOut:
    """One route with its provisions (audit-logged as a read of the candidate's file)."""
    route = load_route(db, route_id)
    if route is None:
        raise NotFound
    candidate = readable_candidate(db, user, route.candidate_id)
    record_read(db, user, candidate.id, purpose=ROUTES_PURPOSE, ip=client_ip(request))
    out = RouteOut.of(route)
    db.commit()
    return out


MATCH_ROLES = ("ACCOUNTMANAGER", "TEAMLEIDER")


@router.get(
    "/vacancies/{vacancy_id}/matches", response_model=VacancyMatchesOut, responses=NO_ACCESS
)
def vacancy_matches(
    request: Request,
    vacancy_id: DbId,
    top: int = 20,
    user: User = Depends(require_role(*MATCH_ROLES)),
    db: Session = Depends(get_session),
) -> VacancyMatchesOut:
    """The best referred candidates for a vacancy (top 1-100, default 20): score and one Dutch
    line per criterion. Candidates appear by pseudonymous reference only (no name, no BSN)."""
    if db.get(Vacancy, vacancy_id) is None:
        raise NotFound
    match = candidates_for_vacancy(
        db, vacancy_id, today=request.app.state.clock.today(), top=max(1, min(top, 100))
    )
    return VacancyMatchesOut(
        vacancy_id=vacancy_id,
        title=match.vacancy.title,
        pool_size=match.pool_size,
        matches=[
            # The same fields as ``werkpad match --json``; the model keeps no name or id.
            CandidateMatchOut.model_validate(
                {**r.as_dict(), "candidate_ref": candidate_reference(r.candidate_id)}
            )
            for r in match.results
        ],
    )


@docs_router.get("/openapi.json")
def openapi_json(request: Request, user: User = Depends(require_role(*ALL_ROLES))) -> Any:
    return request.app.openapi()


@docs_router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request, user: User = Depends(require_role(*ALL_ROLES))) -> Response:
    """Server-rendered API documentation from the OpenAPI schema (no external assets)."""
    spec = request.app.openapi()
    operations = [
        {"path": path, "method": method.upper(), **op}
        for path, item in spec.get("paths", {}).items()
        for method, op in item.items()
    ]
    return templates.TemplateResponse(
        request,
        "api_docs.html",
        {
            "spec": spec,
            "operations": operations,
            "schemas": spec.get("components", {}).get("schemas", {}),
        },
    )
