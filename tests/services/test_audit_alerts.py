"""The beheerder is alerted when a user reads far more files in a day than usual:
more than max(N, k x the user's median daily reads over the 30 days before)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from factories import make_user
from werkpad.services.audit_alerts import read_alerts
from werkpad.services.audit_settings import AuditSettings
from werkpad.store.models import AuditEntry

TODAY = date(2026, 6, 1)


def reads(session, user, day: date, count: int) -> None:
    for i in range(count):
        session.add(
            AuditEntry(
                at=datetime.combine(day, time(9)) + timedelta(seconds=i),
                user_id=user.id,
                action="READ",
                object_type="candidate",
                object_id=i,
                purpose="Kandidaatdossier ingezien (web)",
            )
        )


def test_a_day_above_k_times_the_own_median_is_an_alert(session):
    heavy = make_user(session, username="veel_lezer")
    for back in range(1, 31):
        reads(session, heavy, TODAY - timedelta(days=back), 40)
    reads(session, heavy, TODAY, 121)
    session.flush()
    (alert,) = read_alerts(
        session, AuditSettings(read_alert_minimum=50, read_alert_factor=3), today=TODAY
    )
    assert (alert.username, alert.day, alert.reads) == ("veel_lezer", TODAY, 121)
    assert (alert.median, alert.threshold) == (40.0, 120.0)


def test_a_habitual_heavy_reader_at_the_usual_level_gives_no_alert(session):
    heavy = make_user(session, username="vaste_lezer")
    for back in range(0, 31):
        reads(session, heavy, TODAY - timedelta(days=back), 80)
    session.flush()
    assert read_alerts(session, AuditSettings(read_alert_minimum=50), today=TODAY) == []


def test_a_newcomer_is_judged_by_the_minimum_n(session):
    new = make_user(session, username="nieuw")
    reads(session, new, TODAY - timedelta(days=2), 30)
    reads(session, new, TODAY, 31)
    session.flush()
    settings = AuditSettings(read_alert_minimum=30, read_alert_factor=3)
    (alert,) = read_alerts(session, settings, today=TODAY)
    assert (alert.day, alert.median, alert.threshold) == (TODAY, 0.0, 30.0)
