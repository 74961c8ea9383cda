"""The audit log's own settings: its retention period and the unusual-reads alert.

Kept in the ``setting`` table under ``audit`` (JSON); a missing value takes its default, so a
new database works without configuration. Changed with ``werkpad audit settings``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.store.models import Setting

AUDIT_KEY = "audit"


@dataclass(frozen=True)
class AuditSettings:
    """``retention_days``: how long audit entries are kept (default 2 years: long enough to
    answer an inzageverzoek or a data-breach investigation about last year, short enough not
    to keep a history of every staff member's working day for ever; a municipality sets its
    own term in its privacy policy). The read alert fires for a user on a day with more file
    reads than ``max(read_alert_minimum, read_alert_factor x the user's median daily reads
    over the 30 days before)``: defaults 100 and 3."""

    retention_days: int = 730
    read_alert_minimum: int = 100
    read_alert_factor: float = 3.0


def audit_settings(session: Session) -> AuditSettings:
    row = session.get(Setting, AUDIT_KEY)
    stored: dict[str, Any] = dict(row.value) if row else {}
    known = {k: v for k, v in stored.items() if k in AuditSettings.__dataclass_fields__}
    return replace(AuditSettings(), **known)


def save_audit_settings(session: Session, settings: AuditSettings) -> AuditSettings:
    """Validate and store ``settings`` (the caller commits); Dutch messages per field."""
    errors = []
    if not 30 <= settings.retention_days <= 36_500:
        errors.append(FieldError("retention_days", "Bewaartermijn moet 30 tot 36500 dagen zijn."))
    if not 1 <= settings.read_alert_minimum <= 100_000:
        errors.append(FieldError("read_alert_minimum", "Minimum moet 1 tot 100000 zijn."))
    if not 1 <= settings.read_alert_factor <= 100:
        errors.append(FieldError("read_alert_factor", "Factor moet tussen 1 en 100 liggen."))
    if errors:
        raise ValidationFailed(errors)
    row = session.get(Setting, AUDIT_KEY)
    if row is None:
        session.add(Setting(key=AUDIT_KEY, value=asdict(settings)))
    else:
        row.value = asdict(settings)
    return settings
