"""The beheerder's audit page shows users who read unusually many files in a day (issue 22)."""

from __future__ import annotations

from datetime import datetime, timedelta

from web_support import ClientFactory, World

from werkpad.services.audit import utc_now
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry


def _reads(url: str, user_id: int, at: datetime, count: int) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        session.add_all(
            AuditEntry(
                at=at + timedelta(seconds=i),
                user_id=user_id,
                action="READ",
                object_type="candidate",
                object_id=i,
                purpose="Kandidaatdossier ingezien (web)",
            )
            for i in range(count)
        )
    engine.dispose()


def test_audit_page_alerts_the_beheerder_to_a_day_of_unusually_many_reads(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    today = utc_now().replace(hour=0, minute=0, second=0, microsecond=0)
    for back in range(1, 31):
        _reads(world_sqlite.url, world_sqlite.km_a_id, today - timedelta(days=back), 5)
    _reads(world_sqlite.url, world_sqlite.km_a_id, today, 101)
    _reads(world_sqlite.url, world_sqlite.km_a2_id, today, 99)
    page = client_for(world_sqlite, "beheer").get("/beheer/audit")
    assert page.status_code == 200
    assert "Opvallend veel dossiers ingezien" in page.text
    alerts = page.text.split("Opvallend veel dossiers ingezien")[1].split("</section>")[0]
    assert "km_a<" in alerts and "<td>101</td>" in alerts and "km_a2" not in alerts


def test_audit_page_shows_no_alert_on_an_ordinary_day(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    _reads(world_sqlite.url, world_sqlite.km_a_id, utc_now() - timedelta(minutes=5), 20)
    page = client_for(world_sqlite, "beheer").get("/beheer/audit")
    assert page.status_code == 200 and "Opvallend veel" not in page.text
