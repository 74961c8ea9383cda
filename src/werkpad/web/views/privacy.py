"""Beheer → Privacy: an inzageverzoek for one person (JSON and readable PDF) and the processing
register with DPIA outline, for the beheerder (the privacy officer's work; no separate role
exists). Every look-up and every download is an audit entry."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.services.audit import record_event
from werkpad.services.inzage import person_export
from werkpad.services.privacy_register import register_markdown
from werkpad.store.models import Candidate, User
from werkpad.web.auth import ADMIN_ROLES, client_ip, get_session, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId, db_id
from werkpad.web.templating import templates

router = APIRouter(prefix="/beheer/privacy")


def _today() -> datetime:
    return datetime.now(UTC)


def _find(db: Session, text: str) -> tuple[Candidate | None, str | None]:
    """The candidate for a BSN (9 digits) or a candidate number; else a Dutch message."""
    text = "".join(text.split())
    if not text.isdigit():
        return None, "Vul een BSN (9 cijfers) of een kandidaatnummer in."
    found = None
    if len(text) == 9:
        found = db.scalars(select(Candidate).where(Candidate.bsn == text)).first()
    if found is None:
        number = db_id(text)
        found = db.get(Candidate, number) if number is not None else None
    if found is None:
        return None, "Geen kandidaat gevonden met dit BSN of kandidaatnummer."
    return found, None


@router.get("", response_class=HTMLResponse)
def privacy_page(
    request: Request,
    zoek: str = "",
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate, error = (None, None)
    if zoek.strip():
        candidate, error = _find(db, zoek)
        # Never the searched text in the log: it may be a BSN.
        record_event(
            db,
            user,
            "READ",
            "candidate",
            object_id=candidate.id if candidate else None,
            purpose="Privacy: kandidaat opgezocht voor een inzageverzoek"
            + ("" if candidate else " (niet gevonden)"),
            ip=client_ip(request),
        )
        db.commit()
    return templates.TemplateResponse(
        request,
        "admin_privacy.html",
        {
            "candidate": candidate,
            "errors": {"zoek": error} if error else {},
            "form": {"zoek": zoek if error else ""},
        },
    )


def _export(request: Request, db: Session, user: User, candidate_id: int, kind: str) -> dict:
    try:
        export = person_export(db, candidate_id)
    except KeyError:
        raise NotFound() from None
    rows = sum(len(r) for r in export["secties"].values())
    record_event(
        db,
        user,
        "EXPORT",
        "inzage",
        object_id=candidate_id,
        purpose=f"Inzage kandidaat {candidate_id} gedownload ({kind}), {rows} rijen",
        ip=client_ip(request),
    )
    db.commit()
    return export


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@router.get("/inzage/{candidate_id}.json")
def inzage_json(
    request: Request,
    candidate_id: DbId,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    export = _export(request, db, user, candidate_id, "JSON")
    return Response(
        json.dumps(export, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers=_attachment(f"inzage-kandidaat-{candidate_id}.json"),
    )


@router.get("/inzage/{candidate_id}.pdf")
def inzage_pdf(
    request: Request,
    candidate_id: DbId,
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    from weasyprint import HTML

    from werkpad.reports.inzage import build_inzage_html

    export = _export(request, db, user, candidate_id, "PDF")
    pdf = HTML(string=build_inzage_html(export, made_on=_today().date())).write_pdf()
    return Response(
        pdf,
        media_type="application/pdf",
        headers=_attachment(f"inzage-kandidaat-{candidate_id}.pdf"),
    )


@router.get("/register.md")
def register(
    request: Request,
    download: str = "",
    user: User = Depends(require_role(*ADMIN_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    text = register_markdown(db, today=_today().date())
    record_event(
        db,
        user,
        "EXPORT",
        "privacy_register",
        purpose="Verwerkingsregister en DPIA-opzet " + ("gedownload" if download else "bekeken"),
        ip=client_ip(request),
    )
    db.commit()
    headers = (
        _attachment("verwerkingsregister-dpia.md") if download else {"Cache-Control": "no-store"}
    )
    media = "text/markdown" if download else "text/plain"
    return Response(text, media_type=f"{media}; charset=utf-8", headers=headers)
