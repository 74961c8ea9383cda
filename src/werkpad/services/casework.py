"""Contacts and exemptions (ontheffingen) of a candidate."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.follow_up import add_months
from werkpad.services.audit import record_change
from werkpad.services.fields import Fields
from werkpad.store.models import Candidate, Contact, Exemption, User

MAX_SUMMARY = 4000


def add_contact(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any], *, today: date
) -> Contact:
    f = Fields(data)
    day = f.date("contact_date", "Datum contact", required=True)
    if day is not None and day > today:
        f.fail("contact_date", "Datum contact ligt in de toekomst.")
    contact_type = f.code("contact_type", "Soort contact", "contact_type", required=True)
    summary = f.text("summary", "Samenvatting", required=True, max_length=MAX_SUMMARY)
    f.raise_if_invalid()
    contact = Contact(
        candidate_id=candidate.id,
        user_id=user.id,
        contact_date=day,
        contact_type=contact_type,
        summary=summary,
    )
    session.add(contact)
    session.flush()
    record_change(session, user, "CREATE", "contact", contact.id, purpose="Contact")
    return contact


def check_exemption_dates(
    f: Fields, kind: str | None, start: date | None, end: date | None, review: date | None
) -> None:
    """An end date or a review date (at least one), after the start, never longer than the
    exemption type allows (attribute ``max_months``); messages go to the fields."""
    if (
        end is None
        and review is None
        and not (f.has_error("end_date") or f.has_error("review_date"))
    ):
        f.fail("review_date", "Vul een einddatum of een datum van herbeoordeling in.")
    if start is not None:
        if end is not None and end < start:
            f.fail("end_date", "Einddatum ligt vóór de startdatum.")
        if review is not None and review <= start:
            f.fail("review_date", "Herbeoordeling moet na de startdatum liggen.")
        entry = code_list("exemption_type").get(kind) if kind else None
        max_months = entry.attr("max_months") if entry else None
        last = end or review
        if max_months and last is not None and last > add_months(start, int(max_months)):
            f.fail(
                "end_date" if end else "review_date",
                f"Deze ontheffing duurt maximaal {max_months} maanden; kies een eerdere datum.",
            )


def add_exemption(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any]
) -> Exemption:
    """An exemption of a coded type with an end date or a review date (at least one), never
    longer than the type allows (attribute ``max_months``)."""
    f = Fields(data)
    kind = f.code("exemption_type", "Soort ontheffing", "exemption_type", required=True)
    start = f.date("start_date", "Startdatum", required=True)
    end = f.date("end_date", "Einddatum")
    review = f.date("review_date", "Datum herbeoordeling")
    reason = f.text("reason", "Toelichting", max_length=MAX_SUMMARY)
    check_exemption_dates(f, kind, start, end, review)
    f.raise_if_invalid()
    exemption = Exemption(
        candidate_id=candidate.id,
        exemption_type=kind,
        start_date=start,
        end_date=end,
        review_date=review,
        reason=reason,
    )
    session.add(exemption)
    session.flush()
    record_change(session, user, "CREATE", "exemption", exemption.id, purpose="Ontheffing")
    return exemption
