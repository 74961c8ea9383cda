"""The caseload page: Mijn caseload (klantmanager) or Caseload team (teamleider)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.services.appointments import appointments_today
from werkpad.services.audit import record_event
from werkpad.services.caseload import CaseloadFilter, list_caseload, team_klantmanagers
from werkpad.services.configuration import load_configuration
from werkpad.services.team import Reassignment, preview_reassignment, reassign
from werkpad.services.worklist import build_worklist
from werkpad.store.models import User
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, require_role
from werkpad.web.params import PageNumber, PageSize, db_id
from werkpad.web.posted import PostedForm
from werkpad.web.templating import templates

router = APIRouter()
LIST_PURPOSE = "Caseload bekeken (web)"


@dataclass(frozen=True)
class CaseloadParams:
    """The query string of the caseload page and API, unparsed values kept for the form."""

    q: str = ""
    segment: str = ""
    trede: str = ""
    route: str = ""
    klantmanager: str = ""
    page: int = 1
    page_size: int = 25
    status: str = ""

    def to_filter(self, user: User) -> CaseloadFilter:
        km = self.klantmanager or ("mij" if user.role == "KLANTMANAGER" else "alle")
        klantmanager_id: int | None = None
        if km == "mij":
            klantmanager_id = user.id
        elif km.isdigit():
            # An id no account can have still filters (to nobody) rather than to everyone.
            klantmanager_id = db_id(km) or 0
        return CaseloadFilter(
            q=self.q or None,
            segment=self.segment or None,
            trede=int(self.trede) if self.trede.isdigit() and len(self.trede) <= 2 else None,
            open_route={"open": True, "geen": False}.get(self.route),
            klantmanager_id=klantmanager_id,
            in_service_only=self.status != "alle",
            page=max(self.page, 1),
            page_size=self.page_size,
        )

    def query_for_page(self, page: int) -> str:
        values = {
            "q": self.q,
            "segment": self.segment,
            "trede": self.trede,
            "route": self.route,
            "klantmanager": self.klantmanager,
            "status": self.status,
            "page": str(page),
        }
        return urlencode({k: v for k, v in values.items() if v})


def caseload_params(
    q: str = "",
    segment: str = "",
    trede: str = "",
    route: str = "",
    klantmanager: str = "",
    page: PageNumber = 1,
    page_size: PageSize = 25,
    status: str = "",
) -> CaseloadParams:
    return CaseloadParams(q, segment, trede, route, klantmanager, page, page_size, status)


@router.get("/caseload", response_class=HTMLResponse)
def caseload(
    request: Request,
    params: CaseloadParams = Depends(caseload_params),
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    flt = params.to_filter(user)
    result = list_caseload(db, user, flt, today=request.app.state.clock.today())
    # A list of people is a read of personal data: logged, without the search term.
    record_event(db, user, "LIST", "list", purpose=LIST_PURPOSE, ip=client_ip(request))
    db.commit()
    klantmanagers = team_klantmanagers(db, user) if user.role == "TEAMLEIDER" else []
    own = user.role == "KLANTMANAGER" and flt.klantmanager_id == user.id
    # The worklist (signals with the organisation's thresholds) heads the klantmanager's start
    # page: a fixed number of queries, whatever the caseload.
    worklist = (
        build_worklist(
            db,
            user,
            today=request.app.state.clock.today(),
            thresholds=load_configuration(db).thresholds,
            limit=50,
        )
        if own and params.page == 1
        else []
    )
    return templates.TemplateResponse(
        request,
        "caseload.html",
        {
            "result": result,
            "params": params,
            "klantmanager_choice": params.klantmanager
            or ("mij" if user.role == "KLANTMANAGER" else "alle"),
            "subtitle": "Mijn caseload" if own else "Caseload team",
            "segments": list(code_list("segment")),
            "tredes": list(code_list("ladder_step")),
            "klantmanagers": klantmanagers,
            "worklist": worklist,
            "today_appointments": appointments_today(db, user, request.app.state.clock.today())
            if params.page == 1
            else [],
            "flash": pop_flash(request, db),
        },
    )


RETURN_PAGES = ("/caseload", "/team")


def pop_flash(request: Request, db: Session) -> str | None:
    """The message of the last completed action, kept on the server-side session and shown
    once (it names candidates, so it never travels in a URL or a cookie)."""
    row = getattr(request.state, "web_session", None)
    if row is None or not row.flash:
        return None
    message = str(row.flash)
    row.flash = None
    db.commit()
    return message


def set_flash(request: Request, message: str) -> None:
    """Keep ``message`` for the next page of this session (the caller commits)."""
    row = getattr(request.state, "web_session", None)
    if row is not None:
        row.flash = message[:500]


def confirm_page(
    request: Request,
    db: Session,
    user: User,
    candidate_ids: list[int],
    values: dict[str, str],
    return_to: str,
) -> Response:
    """The confirmation of a reassignment (or the form again with Dutch messages, 422)."""
    errors: dict[str, str] = {}
    preview: Reassignment | None = None
    try:
        preview = preview_reassignment(db, user, candidate_ids, values)
    except ValidationFailed as exc:
        errors = {e.field: e.message for e in exc.errors}
    return templates.TemplateResponse(
        request,
        "reassign_confirm.html",
        {
            "preview": preview,
            "errors": errors,
            "values": values,
            "candidate_ids": candidate_ids,
            "klantmanagers": team_klantmanagers(db, user),
            "return_to": return_to,
        },
        status_code=422 if errors else 200,
    )


@router.post("/caseload/overdragen", response_class=HTMLResponse)
def bulk_reassign(
    request: Request,
    form: PostedForm,
    user: User = Depends(require_role("TEAMLEIDER")),
    db: Session = Depends(get_session),
) -> Response:
    """Ticked candidates to another klantmanager: first a confirmation, then the move."""
    raw_ids = [str(v) for v in form.getlist("candidate_id")]
    candidate_ids = [int(v) for v in raw_ids if v.isdigit()]
    values = {k: str(form.get(k) or "") for k in ("klantmanager_id", "reason")}
    return_to = str(form.get("return_to") or "/caseload")
    if return_to not in RETURN_PAGES:
        return_to = "/caseload"
    if len(candidate_ids) != len(raw_ids) or form.get("confirmed") != "ja":
        return confirm_page(request, db, user, candidate_ids, values, return_to)
    try:
        done = reassign(db, user, candidate_ids, values, today=request.app.state.clock.today())
        set_flash(request, done.message())
        db.commit()
    except ValidationFailed:
        db.rollback()
        return confirm_page(request, db, user, candidate_ids, values, return_to)
    return RedirectResponse(return_to, status_code=303)
