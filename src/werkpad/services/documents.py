"""Notes and documents on the candidate file.

Documents are stored on disk, not in the database: under the configured data directory
(``config.document_settings``, outside the web root), owner-only, each under a random name, so
the database stays small for backups and replicas and no path comes from the user. An upload
is refused, with nothing written, when it is empty or too large, when its type found by its
*content* (``filetype``) is not an allowed one (an executable renamed ``.pdf`` is refused),
or when the configured virus scanner does not pass it. Who may open a document depends on the
role and on the document type (code list ``document_type``, attribute ``visible_to``); how
long it is kept is the type's ``retention_months``.
"""

from __future__ import annotations

import hashlib
import secrets
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import filetype
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from werkpad.config import DocumentSettings
from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.follow_up import add_months
from werkpad.protected.modes import open_private, private_dir
from werkpad.services.audit import record_change, utc_now
from werkpad.services.fields import Fields
from werkpad.services.referrals import ACTIVE_REFERRAL_STATES
from werkpad.store.models import Candidate, Document, FileNote, Referral, User

MAX_NOTE = 4000
# Types by content: PDF, scanned pages and Word documents.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
SCAN_TIMEOUT_S = 60


def add_note(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any]
) -> FileNote:
    f = Fields(data)
    kind = f.code("note_type", "Soort notitie", "note_type", required=True)
    text = f.text("text", "Notitie", required=True, max_length=MAX_NOTE)
    f.raise_if_invalid()
    note = FileNote(candidate_id=candidate.id, note_type=kind, text=text, user_id=user.id)
    note.at = utc_now()
    session.add(note)
    session.flush()
    record_change(session, user, "CREATE", "file_note", note.id, purpose="Notitie")
    return note


def notes_of_candidate(session: Session, candidate_id: int) -> list[FileNote]:
    return list(
        session.scalars(
            select(FileNote)
            .where(FileNote.candidate_id == candidate_id)
            .options(joinedload(FileNote.user))
            .order_by(FileNote.at.desc(), FileNote.id.desc())
        )
    )


# --- who may see which document ------------------------------------------------------------


def visible_types(role: str) -> list[str]:
    return [
        c.code for c in code_list("document_type") if role in str(c.attr("visible_to")).split("|")
    ]


def may_open(session: Session, user: User, document: Document, candidate: Candidate) -> bool:
    """Case roles of the candidate's team for the types they may see; the accountmanager only
    while the candidate is referred to matching, and only the types shown to that role."""
    if document.document_type not in visible_types(user.role):
        return False
    if user.role in ("KLANTMANAGER", "TEAMLEIDER"):
        return user.team_id is not None and candidate.team_id == user.team_id
    if user.role == "ACCOUNTMANAGER":
        return referred(session, candidate.id)
    return False


def referred(session: Session, candidate_id: int) -> bool:
    return (
        session.scalar(
            select(Referral.id)
            .where(
                Referral.candidate_id == candidate_id,
                Referral.state.in_(ACTIVE_REFERRAL_STATES),
            )
            .limit(1)
        )
        is not None
    )


def all_documents(session: Session, candidate_id: int) -> list[Document]:
    """Every document of the candidate; the page shows those of the reader's types."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.candidate_id == candidate_id)
            .order_by(Document.uploaded_at.desc(), Document.id.desc())
        )
    )


def documents_for(session: Session, user: User, candidate_id: int) -> list[Document]:
    """The candidate's documents of the types this role may see (newest first)."""
    return list(
        session.scalars(
            select(Document)
            .where(
                Document.candidate_id == candidate_id,
                Document.document_type.in_(visible_types(user.role)),
            )
            .order_by(Document.uploaded_at.desc(), Document.id.desc())
        )
    )


# --- upload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes  # at most max_bytes + 1: the caller stops reading there


def _scan(command: str, path: Path) -> str | None:
    """The scanner's refusal (None: clean). A scanner that cannot run refuses too."""
    try:
        done = subprocess.run(
            [*shlex.split(command), str(path)],
            capture_output=True,
            timeout=SCAN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"De virusscanner kon niet draaien ({type(exc).__name__}); niet opgeslagen."
    if done.returncode != 0:
        return "De virusscanner heeft dit bestand afgekeurd."
    return None


def store_document(
    session: Session,
    user: User,
    candidate: Candidate,
    data: Mapping[str, Any],
    upload: Upload | None,
    *,
    settings: DocumentSettings,
    today: date,
) -> Document:
    f = Fields(data)
    kind = f.code("document_type", "Soort document", "document_type", required=True)
    errors: list[FieldError] = []
    mime: str | None = None
    if upload is None or not upload.content:
        errors.append(FieldError("file", "Kies een bestand."))
    elif len(upload.content) > settings.max_bytes:
        limit = settings.max_bytes // (1024 * 1024)
        errors.append(FieldError("file", f"Het bestand is te groot: maximaal {limit} MB."))
    else:
        mime = filetype.guess_mime(upload.content)
        if mime not in ALLOWED_TYPES:
            errors.append(
                FieldError(
                    "file",
                    "Dit soort bestand kan niet: alleen pdf, jpg, png of docx (werkpad kijkt "
                    "naar de inhoud, niet naar de naam).",
                )
            )
    if f.errors or errors:
        raise ValidationFailed([*f.errors, *errors])
    assert upload is not None and mime is not None and kind is not None
    folder = private_dir(settings.directory)
    key = secrets.token_hex(16)
    path = folder / key
    with open_private(path, "wb", exclusive=True) as out:
        out.write(upload.content)
    refusal = _scan(settings.scan_command, path) if settings.scan_command else None
    if refusal is not None:
        path.unlink(missing_ok=True)
        raise ValidationFailed([FieldError("file", refusal)])
    entry = code_list("document_type").get(kind)
    months = int(entry.attr("retention_months") or 12) if entry else 12
    name = Path(upload.filename or "document").name[:200] or "document"
    document = Document(
        candidate_id=candidate.id,
        document_type=kind,
        filename=name,
        content_type=mime,
        size_bytes=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        storage_key=key,
        uploaded_by_id=user.id,
        uploaded_at=utc_now(),
        retain_until=add_months(today, months),
    )
    session.add(document)
    try:
        session.flush()
        record_change(session, user, "CREATE", "document", document.id, purpose="Document")
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return document


def read_document(document: Document, settings: DocumentSettings) -> bytes:
    return (settings.directory / document.storage_key).read_bytes()
