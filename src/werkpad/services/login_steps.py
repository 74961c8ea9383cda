"""A login between its steps: after the password, before the second factor.

The password step opens a ``login_challenge`` (a random token for a short-lived cookie; the
table keeps its hash) instead of a session. The second step resolves it, and only a right
code turns it into a session. A challenge ends on success, after ``MAX_CODE_FAILURES`` wrong
codes (start again with the password), and after ``CHALLENGE_LIFETIME``. Wrong codes are
also ``LOGIN_FAILED`` audit entries for the username, so the per-username and per-address
throttles of ``services.accounts`` count them like wrong passwords.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from werkpad.services.audit import utc_now
from werkpad.services.sessions import token_hash
from werkpad.store.models import LoginChallenge, User

CHALLENGE_LIFETIME = timedelta(minutes=5)
MAX_CODE_FAILURES = 5
CODE = "CODE"  # the user has a second factor: ask for a code
ENROL = "ENROL"  # the role requires one and the user has none yet: set it up first
PASSWORD = "PASSWORD"  # the password must be changed before the session starts


def start_challenge(
    session: Session, user: User, stage: str, next_path: str | None, now: datetime | None = None
) -> str:
    """Open a challenge for ``user`` at ``stage``; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        LoginChallenge(
            token_hash=token_hash(token),
            user_id=user.id,
            stage=stage,
            next_path=(next_path or None) and next_path[:300],
            created_at=now or utc_now(),
            failures=0,
        )
    )
    session.flush()
    return token


def resolve_challenge(
    session: Session, token: str | None, now: datetime | None = None
) -> LoginChallenge | None:
    """The open, unexpired challenge behind this token with its user loaded, or None."""
    if not token:
        return None
    row = session.scalar(
        select(LoginChallenge)
        .options(joinedload(LoginChallenge.user))
        .where(LoginChallenge.token_hash == token_hash(token), LoginChallenge.ended_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    if (now or utc_now()) - row.created_at > CHALLENGE_LIFETIME:
        return None
    return row


def count_failure(row: LoginChallenge) -> bool:
    """One more wrong code; True when the challenge is used up (it ends; caller commits)."""
    row.failures += 1
    if row.failures >= MAX_CODE_FAILURES:
        row.ended_at = utc_now()
        return True
    return False


def move_to(row: LoginChallenge, stage: str) -> None:
    row.stage = stage


def end_challenge(row: LoginChallenge) -> None:
    row.ended_at = utc_now()
