"""The second factor at sign-in: time-based one-time codes (TOTP, RFC 6238) and recovery codes.

A beheerder and an analist must have one (``SECOND_FACTOR_ROLES``; provider staff join when
that role exists); every other user may add one on *Mijn account*. Enrolment is confirmed
with a code from the app before it counts, and then yields ten single-use recovery codes, of
which only SHA-256 hashes are kept. A code is accepted for the current 30-second step and one
step either side (clock drift), and only for a step later than the last accepted one, so an
overheard code cannot be replayed. Times are wall-clock UTC.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from werkpad.services.audit import record_event, utc_now
from werkpad.store.models import RecoveryCode, User, UserCredential

SECOND_FACTOR_ROLES = frozenset({"BEHEERDER", "ANALIST"})
ISSUER = "Werkpad"
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def second_factor_required(user: User) -> bool:
    """Whether this user's role may only sign in with a second factor."""
    return user.role in SECOND_FACTOR_ROLES


def credential(session: Session, user: User) -> UserCredential:
    """The user's credential row, made (not yet flushed) when the user has none."""
    row = session.get(UserCredential, user.id)
    if row is None:
        row = UserCredential(user_id=user.id, must_change_password=False)
        session.add(row)
    return row


def has_second_factor(session: Session, user: User) -> bool:
    row = session.get(UserCredential, user.id)
    return row is not None and row.totp_secret is not None


def provisioning_uri(user: User | str, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    name = user if isinstance(user, str) else user.username
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG (no external fetch, no script)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, border=2, title="QR-code"))


def qr_terminal(uri: str) -> str:
    """The QR code of ``uri`` drawn with block characters, for the demo's terminal."""
    buffer = io.StringIO()
    segno.make(uri, error="m").terminal(out=buffer, compact=True, border=1)
    return buffer.getvalue()


def begin_enrolment(session: Session, user: User) -> str:
    """A pending secret to show as QR code; it counts only once confirmed with a code."""
    row = credential(session, user)
    if row.totp_pending_secret is None:
        row.totp_pending_secret = pyotp.random_base32()
    session.flush()
    return row.totp_pending_secret


def _matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step within the drift window whose code is ``code`` and which is later than
    ``after``; None when there is none."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _recovery_hash(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode("ascii", "ignore")).hexdigest()


def new_recovery_codes(session: Session, user: User, now: datetime | None = None) -> list[str]:
    """Ten fresh recovery codes (shown once); the old ones stop working (caller commits)."""
    now = now or utc_now()
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
        codes.append(code)
        session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(code), created_at=now))
    session.flush()
    return codes


def confirm_enrolment(
    session: Session, user: User, code: str, now: datetime | None = None
) -> list[str] | None:
    """Make the pending secret the user's second factor when ``code`` fits it; returns the new
    recovery codes, or None for a wrong code (nothing changes). Audit-logged."""
    now = now or utc_now()
    row = credential(session, user)
    if row.totp_pending_secret is None:
        return None
    step = _matching_step(row.totp_pending_secret, code, now, None)
    if step is None:
        return None
    row.totp_secret, row.totp_pending_secret = row.totp_pending_secret, None
    row.totp_confirmed_at, row.totp_last_step = now, step
    record_event(
        session,
        user,
        "SECOND_FACTOR_ON",
        "app_user",
        object_id=user.id,
        purpose="Tweestapsverificatie aangezet",
    )
    return new_recovery_codes(session, user, now)


def enrol_with_secret(session: Session, user: User, secret: str) -> None:
    """Give a user a confirmed second factor with a known secret: the demo accounts only, whose
    secret is printed once with the demo logins."""
    row = credential(session, user)
    row.totp_secret, row.totp_pending_secret = secret, None
    row.totp_confirmed_at, row.totp_last_step = utc_now(), None
    session.flush()


def verify_second_factor(
    session: Session, user: User, code: str, now: datetime | None = None
) -> bool:
    """Whether ``code`` is a fresh TOTP code or an unused recovery code of this user; an
    accepted code is used up (its step, or the recovery code). The caller commits."""
    now = now or utc_now()
    row = session.get(UserCredential, user.id)
    if row is None or row.totp_secret is None:
        return False
    step = _matching_step(row.totp_secret, code, now, row.totp_last_step)
    if step is not None:
        row.totp_last_step = step
        return True
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(result, "rowcount", 0) or 0) == 1:
        record_event(
            session,
            user,
            "RECOVERY_CODE_USED",
            "app_user",
            object_id=user.id,
            purpose="Ingelogd met een herstelcode",
        )
        return True
    return False


def unused_recovery_codes(session: Session, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def remove_second_factor(session: Session, acting: User, user: User) -> None:
    """Switch the second factor off: by the user when the role does not require one, or by the
    beheerder for a user who lost the phone and the recovery codes (they enrol again at the
    next login). Audit-logged; the caller commits."""
    row = credential(session, user)
    row.totp_secret = row.totp_pending_secret = None
    row.totp_confirmed_at = row.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_event(
        session,
        acting,
        "SECOND_FACTOR_OFF",
        "app_user",
        object_id=user.id,
        purpose="Tweestapsverificatie uitgezet",
    )


def enrol_demo_second_factors(session: Session, usernames: list[str]) -> dict[str, str]:
    """Give the demo accounts among ``usernames`` whose role requires a second factor a fresh
    random secret (confirmed); returns username -> secret, printed once by ``werkpad demo``.
    Only for a demo municipality: a real user scans their own QR code at the first login."""
    secrets_by_user: dict[str, str] = {}
    for user in session.scalars(select(User).where(User.username.in_(usernames))):
        if second_factor_required(user) and not has_second_factor(session, user):
            secret = pyotp.random_base32()
            enrol_with_secret(session, user, secret)
            secrets_by_user[user.username] = secret
    return secrets_by_user
