"""Notes and documents on the candidate file: add a note, upload a document, open one (each
opening audited; who may open which type is in the code list ``document_type``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from werkpad.config import DocumentSettings, document_settings
from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.reports.plan_document import plan_pdf
from werkpad.services.audit import record_read
from werkpad.services.candidate_file import routes_of_candidate
from werkpad.services.documents import Upload, add_note, may_open, read_document, store_document
from werkpad.services.plans import compare_plans, plans_of_candidate
from werkpad.store.models import Candidate, Document, Plan, User
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, readable_candidate, require_role
from werkpad.web.errors import Forbidden, NotFound
from werkpad.web.params import DbId, QueryDbId
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates
from werkpad.web.views.chain import render_candidate

router = APIRouter()
DOCUMENT_ROLES = (*CASE_ROLES, "ACCOUNTMANAGER")


def settings_of(request: Request) -> DocumentSettings:
    configured = getattr(request.app.state, "documents", None)
    return configured if isinstance(configured, DocumentSettings) else document_settings()


def _refused(
    request: Request, db: Session, user: User, candidate_id: int, section: str,
    exc: ValidationFailed, values: dict[str, Any],
) -> Response:  # fmt: skip
    db.rollback()
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors.setdefault(error.field, error.message)
    candidate = readable_candidate(db, user, candidate_id)
    return render_candidate(
        request, db, user, candidate, section=section, errors=errors, values=values,
        status_code=422,
    )  # fmt: skip


@router.post("/kandidaten/{candidate_id}/notities", response_class=HTMLResponse)
def note(
    request: Request,
    form: PostedForm,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        add_note(db, user, candidate, values)
        db.commit()
    except ValidationFailed as exc:
        return _refused(request, db, user, candidate_id, "notitie", exc, values)
    return RedirectResponse(f"/kandidaten/{candidate_id}#documenten", status_code=303)


@router.post("/kandidaten/{candidate_id}/documenten", response_class=HTMLResponse)
def upload(
    request: Request,
    form: PostedForm,  # files spool to disk; only max_bytes + 1 are read below
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    settings = settings_of(request)
    values = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    sent = form.get("file")
    file: Upload | None = None
    if isinstance(sent, UploadFile):
        # Read one byte past the limit: enough to refuse, never the whole of a huge file.
        file = Upload(sent.filename or "document", sent.file.read(settings.max_bytes + 1))
    try:
        store_document(
            db, user, candidate, values, file, settings=settings,
            today=request.app.state.clock.today(),
        )  # fmt: skip
        db.commit()
    except ValidationFailed as exc:
        return _refused(request, db, user, candidate_id, "document", exc, values)
    return RedirectResponse(f"/kandidaten/{candidate_id}#documenten", status_code=303)


@router.get("/documenten/{document_id}")
def open_document(
    request: Request,
    document_id: DbId,
    user: User = Depends(require_role(*DOCUMENT_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """The document itself, when the role may see its type (403 otherwise); audited."""
    document = db.get(Document, document_id)
    if document is None:
        raise NotFound
    candidate = db.get(Candidate, document.candidate_id)
    if candidate is None or not may_open(db, user, document, candidate):
        raise Forbidden
    kind = code_list("document_type").label(document.document_type)
    record_read(db, user, candidate.id, purpose=f"Document ingezien: {kind}", ip=client_ip(request))
    try:
        content = read_document(document, settings_of(request))
    except FileNotFoundError as exc:  # the file was removed from the data directory
        raise NotFound from exc
    db.commit()
    return Response(
        content,
        media_type=document.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/kandidaten/{candidate_id}/plannen/vergelijk", response_class=HTMLResponse)
def compare_plan_versions(
    request: Request,
    candidate_id: DbId,
    van: QueryDbId,
    naar: QueryDbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """Two versions of the plan van aanpak side by side (audited as a read of the file); 404
    when either is not a plan of this candidate."""
    candidate = readable_candidate(db, user, candidate_id)
    try:
        comparison = compare_plans(db, candidate.id, van, naar)
    except KeyError as exc:
        raise NotFound from exc
    record_read(
        db, user, candidate.id, purpose="Versies plan van aanpak vergeleken", ip=client_ip(request)
    )
    db.commit()
    return templates.TemplateResponse(
        request,
        "plan_compare.html",
        {"c": candidate, "cmp": comparison, "plans": plans_of_candidate(db, candidate.id)},
    )


@router.get("/kandidaten/{candidate_id}/plan/{plan_id}.pdf")
def plan_document(
    request: Request,
    candidate_id: DbId,
    plan_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    """The plan van aanpak as a PDF to print and sign (audited as a read of the file)."""
    candidate = readable_candidate(db, user, candidate_id)
    plan = db.get(Plan, plan_id)
    if plan is None or plan.candidate_id != candidate.id:
        raise NotFound
    record_read(db, user, candidate.id, purpose="Plan van aanpak afgedrukt", ip=client_ip(request))
    pdf = plan_pdf(
        plan,
        candidate,
        routes_of_candidate(db, candidate.id),
        klantmanager=candidate.klantmanager.full_name if candidate.klantmanager else user.full_name,
        today=request.app.state.clock.today(),
    )
    db.commit()
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="plan-van-aanpak-{plan.id}.pdf"'},
    )
