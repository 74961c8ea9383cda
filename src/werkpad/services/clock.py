"""Werkpad's notion of "today".

A live municipality uses the calendar date. A demo or synthetic database describes a
municipality as of a fixed date (the synthetic history runs 2018-2020); the setting
``frozen_today`` pins "today" to that date so caseload signals, ages and the dashboard's
peildatum read as they would have on that day, and the UI says so.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from werkpad.store.models import Setting

FROZEN_TODAY_KEY = "frozen_today"


def read_frozen_today(session: Session) -> date | None:
    row = session.scalar(select(Setting).where(Setting.key == FROZEN_TODAY_KEY))
    if row is None or not row.value.get("date"):
        return None
    return date.fromisoformat(str(row.value["date"]))


def freeze_today(session: Session, day: date | None) -> None:
    """Pin "today" to ``day`` (None lets the clock run with the calendar again)."""
    row = session.get(Setting, FROZEN_TODAY_KEY)
    if day is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(Setting(key=FROZEN_TODAY_KEY, value={"date": day.isoformat()}))
    else:
        row.value = {"date": day.isoformat()}


def moment_on(today: date) -> datetime:
    """A timestamp for an event that happens "today": werkpad's date with the wall-clock time
    of day (naive UTC). On a live database that is simply now; on a demo with a frozen date,
    logged steps get the same date as the rows they belong to, so durations between steps
    (e.g. shortlist to placement) are measurable."""
    return datetime.combine(today, datetime.now(UTC).time().replace(tzinfo=None))


class Clock:
    """Today for a running app: the frozen date if the database has one, else the calendar.

    The setting is re-read at most once a minute, so a page costs no extra query.
    """

    def __init__(self, engine: Engine, ttl_seconds: float = 60.0) -> None:
        self._engine = engine
        self._ttl = ttl_seconds
        self._checked_at = -1e9
        self._frozen: date | None = None

    def frozen(self) -> date | None:
        now = time.monotonic()
        if now - self._checked_at > self._ttl:
            with Session(self._engine) as session:
                self._frozen = read_frozen_today(session)
            self._checked_at = now
        return self._frozen

    def today(self) -> date:
        return self.frozen() or date.today()
