"""Who may see which candidates: the one place that turns a user's role into a row filter."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false
from sqlalchemy.orm import Session

from werkpad.store.models import Candidate, User

CASE_ROLES = ("KLANTMANAGER", "TEAMLEIDER")


class AccessDenied(Exception):
    """The user may not see this object; callers answer 403 and show no data."""


def candidate_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting the candidates ``user`` may see.

    Klantmanagers and teamleiders see the candidates of their own team; every other role (and a
    case worker without a team) sees no candidate rows at all.
    """
    if user.role in CASE_ROLES and user.team_id is not None:
        return Candidate.team_id == user.team_id
    return false()


def may_read_candidate(user: User, candidate: Candidate) -> bool:
    return (
        user.role in CASE_ROLES and user.team_id is not None and candidate.team_id == user.team_id
    )


def get_readable_candidate(session: Session, user: User, candidate_id: int) -> Candidate | None:
    """The candidate when it exists (None otherwise); AccessDenied when out of the user's scope."""
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        return None
    if not may_read_candidate(user, candidate):
        raise AccessDenied
    return candidate
