"""Retention (AVG art. 5(1)(e)): pseudonymise or remove records past their retention period.

Per record type (``PERIODS``, overridable per run) a period and what happens:

- ``kandidaat`` (7 years after the service ended; VNG Selectielijst gemeenten en
  intergemeentelijke organen 2020, re-integration and Participatiewet dossiers: *vernietigen
  7 jaar na beëindiging*; check the version your municipality adopted). A person is past it
  when nothing is open (no benefit spell and no route without an end date) and the latest of
  registration, spell end, route end and contact date lies more than the period before today.
  **Pseudonymised**, not deleted, so every figure stays the same:
  removed: ``bsn`` (a stand-in ``X`` + 8-digit id), ``source_id``, ``first_name`` (empty),
  ``last_name`` (``Gepseudonimiseerd``), ``street``, ``house_number``, ``city``, ``phone``,
  ``email`` (empty), ``postcode`` cut to its four digits, and every free-text column of the
  person's records (contacts' summaries, plan goals, reasons, notes, work wishes: NULL or
  ``[verwijderd]``), and the person's ``correction`` rows (old and new values) are deleted.
  kept: the internal id, ``birth_date``, ``sex``, ``migration_background``, ``statushouder``,
  ``education_level``, team, dates, codes, amounts and states of every record: what the
  snapshot and the KPIs read.
- ``inlogstap`` (30 days; BIO 12.4.1 asks logs be kept as long as needed for investigation):
  ended login challenges and used or expired password links are **removed**.
- ``sessie`` (90 days): ended web sessions are **removed**.
- ``document`` (per document type: code list ``document_type``, ``retention_months``, fixed
  at upload as ``document.retain_until``): a document whose ``retain_until`` lies before
  today is **removed**, its row in the run's transaction and its file on disk only after that
  transaction committed (``remove_document_files``), so a failed run leaves every file whose
  row is still there.

The audit log has its own period and prune (``werkpad audit prune``). Every run that changes
something writes one audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, Text, delete, func, or_, select, update
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.services.audit import record_cli_event
from werkpad.services.inzage import INDIRECT, candidate_tables
from werkpad.store.models import (
    Base,
    BenefitSpell,
    Candidate,
    Contact,
    Correction,
    Document,
    LoginChallenge,
    PasswordReset,
    Route,
    WebSession,
)

# Record type -> (period in days, action); sources in the module docstring and docs/security.md.
PERIODS: dict[str, int] = {"kandidaat": 7 * 365, "inlogstap": 30, "sessie": 90}
PSEUDONYM_LAST_NAME = "Gepseudonimiseerd"
REMOVED_TEXT = "[verwijderd]"


@dataclass
class RetentionPlan:
    """What a run does (or, dry, would do)."""

    candidates: list[int] = field(default_factory=list)
    challenges: int = 0
    resets: int = 0
    sessions: int = 0
    corrections: int = 0
    # Document type code -> number of documents past their retain_until.
    documents: dict[str, int] = field(default_factory=dict)
    # Files to delete once the transaction committed (filled by apply_retention only).
    document_files: list[str] = field(default_factory=list)

    def documents_summary(self) -> str:
        total = sum(self.documents.values())
        if not total:
            return "0 documenten"
        labels = code_list("document_type")
        per_type = ", ".join(
            f"{labels.label(kind)}: {n}" for kind, n in sorted(self.documents.items())
        )
        return f"{total} documenten ({per_type})"

    def summary(self) -> str:
        return (
            f"{len(self.candidates)} kandidaten pseudonimiseren ({self.corrections} correcties "
            f"verwijderen), {self.challenges} inlogstappen, {self.resets} herstellinks, "
            f"{self.sessions} sessies en {self.documents_summary()} verwijderen"
        )


def due_candidates(session: Session, today: date, days: int) -> list[int]:
    """Candidates with nothing open whose last activity is more than ``days`` ago and who are
    not pseudonymised yet."""
    cutoff = today - timedelta(days=days)
    open_spell = select(BenefitSpell.candidate_id).where(BenefitSpell.end_date.is_(None))
    open_route = select(Route.candidate_id).where(Route.end_date.is_(None))
    late_spell = select(BenefitSpell.candidate_id).where(BenefitSpell.end_date >= cutoff)
    late_route = select(Route.candidate_id).where(Route.end_date >= cutoff)
    late_contact = select(Contact.candidate_id).where(Contact.contact_date >= cutoff)
    return list(
        session.scalars(
            select(Candidate.id)
            .where(
                Candidate.registered_on < cutoff,
                Candidate.last_name != PSEUDONYM_LAST_NAME,
                Candidate.id.not_in(open_spell),
                Candidate.id.not_in(open_route),
                Candidate.id.not_in(late_spell),
                Candidate.id.not_in(late_route),
                Candidate.id.not_in(late_contact),
            )
            .order_by(Candidate.id)
        )
    )


def _text_columns(table: Table) -> dict[str, str | None]:
    return {
        column.name: (None if column.nullable else REMOVED_TEXT)
        for column in table.columns
        if isinstance(column.type, Text)
    }


def _pseudonymise(session: Session, ids: list[int]) -> None:
    candidate = Base.metadata.tables["candidate"]
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        for cid in batch:
            session.execute(
                update(candidate)
                .where(candidate.c.id == cid)
                .values(
                    bsn=f"X{cid:08d}"[:9],
                    source_id=None,
                    first_name="",
                    last_name=PSEUDONYM_LAST_NAME,
                    street=None,
                    house_number=None,
                    city=None,
                    phone=None,
                    email=None,
                    postcode=func.substr(candidate.c.postcode, 1, 4),
                )
            )
        for table in candidate_tables():
            texts = _text_columns(table)
            if texts:
                session.execute(
                    update(table).where(table.c.candidate_id.in_(batch)).values(**texts)
                )
        tables = Base.metadata.tables
        ids_of: dict[str, Any] = {
            t.name: select(t.c.id).where(t.c.candidate_id.in_(batch))
            for t in candidate_tables()
            if "id" in t.c
        }
        for name, column, parent in INDIRECT:
            table = tables[name]
            ids_of[name] = select(table.c.id).where(table.c[column].in_(ids_of[parent]))
            texts = _text_columns(table)
            if texts:
                session.execute(
                    update(table).where(table.c[column].in_(ids_of[parent])).values(**texts)
                )
        session.execute(delete(Correction).where(Correction.candidate_id.in_(batch)))


def plan_retention(
    session: Session, today: date, now: datetime, periods: dict[str, int] | None = None
) -> RetentionPlan:
    p = {**PERIODS, **(periods or {})}
    plan = RetentionPlan(candidates=due_candidates(session, today, p["kandidaat"]))
    if plan.candidates:
        plan.corrections = int(
            session.scalar(
                select(func.count())
                .select_from(Correction)
                .where(Correction.candidate_id.in_(plan.candidates))
            )
            or 0
        )
    step_cutoff = now - timedelta(days=p["inlogstap"])
    plan.challenges = int(
        session.scalar(
            select(func.count())
            .select_from(LoginChallenge)
            .where(LoginChallenge.created_at < step_cutoff)
        )
        or 0
    )
    plan.resets = int(
        session.scalar(
            select(func.count())
            .select_from(PasswordReset)
            .where(or_(PasswordReset.expires_at < step_cutoff, PasswordReset.used_at < step_cutoff))
        )
        or 0
    )
    plan.documents = {
        kind: int(n)
        for kind, n in session.execute(
            select(Document.document_type, func.count())
            .where(Document.retain_until < today)
            .group_by(Document.document_type)
        )
    }
    plan.sessions = int(
        session.scalar(
            select(func.count())
            .select_from(WebSession)
            .where(WebSession.ended_at < now - timedelta(days=p["sessie"]))
        )
        or 0
    )
    return plan


def apply_retention(
    session: Session, today: date, now: datetime, periods: dict[str, int] | None = None
) -> RetentionPlan:
    """Carry out the plan in the caller's transaction (the caller commits, then deletes the
    files in ``plan.document_files`` with ``remove_document_files``)."""
    p = {**PERIODS, **(periods or {})}
    plan = plan_retention(session, today, now, p)
    _pseudonymise(session, plan.candidates)
    step_cutoff = now - timedelta(days=p["inlogstap"])
    session.execute(delete(LoginChallenge).where(LoginChallenge.created_at < step_cutoff))
    session.execute(
        delete(PasswordReset).where(
            or_(PasswordReset.expires_at < step_cutoff, PasswordReset.used_at < step_cutoff)
        )
    )
    session.execute(
        delete(WebSession).where(WebSession.ended_at < now - timedelta(days=p["sessie"]))
    )
    plan.document_files = list(
        session.scalars(select(Document.storage_key).where(Document.retain_until < today))
    )
    session.execute(delete(Document).where(Document.retain_until < today))
    if plan.candidates or plan.challenges or plan.resets or plan.sessions or plan.documents:
        record_cli_event(session, "PRUNE", "retention", plan.summary())
    return plan


def remove_document_files(directory: Path, keys: list[str]) -> int:
    """Delete the files of removed document rows (call after the commit); a file already gone
    is not an error. Returns how many files were deleted."""
    removed = 0
    for key in keys:
        path = directory / key
        if path.exists():
            path.unlink()
            removed += 1
    return removed
