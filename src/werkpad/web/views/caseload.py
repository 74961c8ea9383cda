"""The caseload page: Mijn caseload (klantmanager) or Caseload team (teamleider)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.services.audit import record_event
from werkpad.services.caseload import CaseloadFilter, list_caseload, team_klantmanagers
from werkpad.services.configuration import load_configuration
from werkpad.services.worklist import build_worklist
from werkpad.store.models import User
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, require_role
from werkpad.web.params import PageNumber, PageSize, db_id
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
        },
    )
