"""The beheerder's alert for unusual reading: a user who opens far more files than usual.

Per user and UTC day, the count of candidate-file reads (``READ`` entries on ``candidate``).
A day is unusual when its count exceeds ``max(N, k x median)``: ``median`` is the user's median
daily reads over the 30 calendar days before it, days without reads counted as 0, so a
newcomer or a part-timer is judged by the floor ``N`` (``AuditSettings.read_alert_minimum``)
and a heavy reader by their own habit (``k`` = ``read_alert_factor``). One grouped query.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from werkpad.services.audit import utc_now
from werkpad.services.audit_settings import AuditSettings
from werkpad.store.models import AuditEntry, User

HISTORY_DAYS = 30


@dataclass(frozen=True)
class ReadAlert:
    user_id: int
    username: str
    day: date
    reads: int
    median: float
    threshold: float


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite's date() answers text


def daily_reads(session: Session, first: date, last: date) -> dict[int, dict[date, int]]:
    """user id -> day -> number of file reads, for ``first`` to ``last`` inclusive."""
    day = func.date(AuditEntry.at)
    rows = session.execute(
        select(AuditEntry.user_id, day, func.count())
        .where(
            AuditEntry.action == "READ",
            AuditEntry.object_type == "candidate",
            AuditEntry.user_id.is_not(None),
            AuditEntry.at >= datetime.combine(first, time.min),
            AuditEntry.at < datetime.combine(last + timedelta(days=1), time.min),
        )
        .group_by(AuditEntry.user_id, day)
    ).all()
    out: dict[int, dict[date, int]] = defaultdict(dict)
    for user_id, when, count in rows:
        out[int(user_id)][_day(when)] = int(count)
    return out


def read_alerts(
    session: Session, settings: AuditSettings, *, today: date | None = None, days: int = 7
) -> list[ReadAlert]:
    """Unusual days among the last ``days`` (today included), newest first."""
    today = today or utc_now().date()
    first_shown = today - timedelta(days=days - 1)
    counts = daily_reads(session, first_shown - timedelta(days=HISTORY_DAYS), today)
    alerts = []
    for user_id, per_day in counts.items():
        for offset in range(days):
            day = first_shown + timedelta(days=offset)
            reads = per_day.get(day, 0)
            if reads <= settings.read_alert_minimum:
                continue
            history = [
                per_day.get(day - timedelta(days=back), 0) for back in range(1, HISTORY_DAYS + 1)
            ]
            median = float(statistics.median(history))
            threshold = max(float(settings.read_alert_minimum), settings.read_alert_factor * median)
            if reads > threshold:
                alerts.append(ReadAlert(user_id, "", day, reads, median, threshold))
    names = dict(
        session.execute(
            select(User.id, User.username).where(User.id.in_({a.user_id for a in alerts}))
        ).all()
    )
    return sorted(
        (
            ReadAlert(a.user_id, names.get(a.user_id, "?"), a.day, a.reads, a.median, a.threshold)
            for a in alerts
        ),
        key=lambda a: (a.day, a.reads),
        reverse=True,
    )
