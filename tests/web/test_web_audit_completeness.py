"""The audit log holds what a CISO asks for first (issue 22): refused requests, settings
changes, the lists of people a user opened and every duplicate check (see
test_web_intake_duplicates). Both backends."""

from __future__ import annotations

from dashboard_support import REF, extend
from sqlalchemy import select
from web_support import ClientFactory, World, csrf_of

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry


def _entries(world: World, action: str) -> list[AuditEntry]:
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        rows = list(
            s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        )
    engine.dispose()
    return rows


def test_a_refused_request_is_audited_with_who_and_what(
    world: World, client_for: ClientFactory
) -> None:
    km_b = client_for(world, "km_b")
    assert km_b.get(f"/kandidaten/{world.full_candidate}").status_code == 403
    assert km_b.get("/beheer/gebruikers?q=805785711").status_code == 403
    denied = _entries(world, "DENIED")
    assert [e.purpose for e in denied] == [
        f"Geweigerd: GET /kandidaten/{world.full_candidate}",
        "Geweigerd: GET /beheer/gebruikers",  # never the query string (it may hold a BSN)
    ]
    assert {e.user_id for e in denied} != {None}


def test_a_settings_change_is_audited(world: World, client_for: ClientFactory) -> None:
    beheer = client_for(world, "beheer")
    token = csrf_of(beheer.get("/beheer/instellingen").text)
    response = beheer.post(
        "/beheer/instellingen",
        data={"csrf_token": token, "scheme": "LADDER", "specialised_threshold": "30"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [entry] = [e for e in _entries(world, "UPDATE") if e.object_type == "setting"]
    assert entry.purpose and "Instellingen gewijzigd" in entry.purpose


def test_opening_a_list_of_people_is_audited(world: World, client_for: ClientFactory) -> None:
    km = client_for(world, "km")
    assert km.get("/caseload?q=805785711").status_code == 200
    assert km.get("/api/candidates").status_code == 200
    lists = _entries(world, "LIST")
    assert [e.purpose for e in lists] == ["Caseload bekeken (web)", "Caseload opgevraagd (API)"]
    assert not [e for e in lists if "805785711" in (e.purpose or "")]


def test_opening_a_drill_down_list_is_audited(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    extend(world_sqlite)
    tl = client_for(world_sqlite, "tl")
    url = f"/dashboard/lijst?peildatum={REF}&kpi=route_end_reasons&groep=JOB"
    assert tl.get(url).status_code == 200
    [entry] = _entries(world_sqlite, "LIST")
    assert entry.purpose == "Lijst achter dashboardcijfer: route_end_reasons / JOB"
