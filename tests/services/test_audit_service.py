"""The audit log: entries are written with the request and found by user, candidate, date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

import factories as f
from werkpad.services.audit import AuditQuery, record_read, search_audit
from werkpad.store.models import AuditEntry


def test_audit_search_filters_by_user_candidate_and_date(session: Session) -> None:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team, username="karin")
    tl = f.make_user(session, "TEAMLEIDER", team, username="tineke")
    a, b = f.make_candidate(session, team), f.make_candidate(session, team)
    record_read(session, km, a.id, purpose="test", ip="10.0.0.1")
    record_read(session, tl, b.id, purpose="test", ip=None)
    session.add(
        AuditEntry(
            at=datetime(2020, 5, 1, 12),
            user_id=km.id,
            action="READ",
            object_type="candidate",
            object_id=b.id,
            purpose="oud",
        )
    )
    session.commit()

    def found(**kw: object) -> list[tuple[int | None, int | None]]:
        page = search_audit(session, AuditQuery(**kw))  # type: ignore[arg-type]
        return [(e.user_id, e.object_id) for e in page.entries]

    assert found(username="KARIN") == [(km.id, a.id), (km.id, b.id)]
    assert found(candidate_id=b.id) == [(tl.id, b.id), (km.id, b.id)]
    assert found(date_from=date(2020, 5, 1), date_to=date(2020, 5, 1)) == [(km.id, b.id)]
    assert found(username="niemand") == []
    assert search_audit(session, AuditQuery()).total == 3
