"""Server-side sessions: the cookie holds a random token, the table decides (issue 22, finding 1).

Logout, a changed role, deactivation, the idle timeout, the absolute lifetime and the
beheerder's "end sessions" button each end a session, and a copy of the cookie taken before
stops working at once. Both backends.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from web_support import ClientFactory, World, count_queries, csrf_of, session_csrf

from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry, User, WebSession
from werkpad.web.app import SESSION_COOKIE, create_app


def _cookie(client: TestClient) -> str:
    value = client.cookies.get(SESSION_COOKIE)
    assert value, "no session cookie"
    return value


def _copy(world: World, cookie: str) -> TestClient:
    """A second browser that only has a copy of the cookie (the attacker)."""
    app = create_app(world.url, secret_key="test-secret", secure_cookies=False)
    thief = TestClient(app)
    thief.cookies.set(SESSION_COOKIE, cookie)
    return thief


def _opens_caseload(client: TestClient) -> bool:
    return client.get("/caseload", follow_redirects=False).status_code == 200


def _sessions(world: World, username: str) -> list[WebSession]:
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        rows = list(
            s.scalars(
                select(WebSession)
                .join(User, User.id == WebSession.user_id)
                .where(User.username == username)
                .order_by(WebSession.id)
            )
        )
    engine.dispose()
    return rows


def _age_sessions(world: World, **delta: float) -> None:
    """Move every session's created and last-seen times into the past."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        for ws in s.scalars(select(WebSession)):
            ws.created_at -= timedelta(**delta)
            ws.last_seen_at -= timedelta(**delta)
    engine.dispose()


def test_a_copied_cookie_no_longer_works_after_logout(
    world: World, client_for: ClientFactory
) -> None:
    km = client_for(world, "km")
    thief = _copy(world, _cookie(km))
    assert _opens_caseload(thief)
    page = km.get("/caseload")
    km.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert not _opens_caseload(thief)
    assert not _opens_caseload(km)
    [ended] = _sessions(world, "km_a")
    assert ended.ended_at is not None and ended.end_reason == "LOGOUT"


def test_the_cookie_holds_a_random_token_and_the_table_only_its_hash(
    world: World, client_for: ClientFactory
) -> None:
    km = client_for(world, "km")
    cookie = _cookie(km)
    [row] = _sessions(world, "km_a")
    assert row.token_hash == hashlib.sha256(cookie.encode()).hexdigest()
    assert cookie not in (row.token_hash, row.csrf_token)
    # A bare random token: no signed payload (the old cookie was base64 JSON "." signature).
    assert len(cookie) >= 40 and "." not in cookie


def test_deactivating_a_user_ends_their_sessions(world: World, client_for: ClientFactory) -> None:
    km = client_for(world, "km")
    beheer = client_for(world, "beheer")
    token = session_csrf(beheer)
    response = beheer.post(
        f"/beheer/gebruikers/{world.km_a_id}/uitschakelen",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert not _opens_caseload(km)
    assert [s.end_reason for s in _sessions(world, "km_a")] == ["DEACTIVATED"]


def test_a_changed_role_ends_the_session(world: World, client_for: ClientFactory) -> None:
    km = client_for(world, "km")
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        s.execute(update(User).where(User.id == world.km_a_id).values(role="TEAMLEIDER"))
    engine.dispose()
    assert not _opens_caseload(km)
    assert [s.end_reason for s in _sessions(world, "km_a")] == ["ROLE_CHANGED"]


def test_an_idle_session_ends_after_the_idle_timeout(
    world: World, client_for: ClientFactory
) -> None:
    km = client_for(world, "km")
    _age_sessions(world, minutes=29)
    assert _opens_caseload(km)  # used again: the idle clock restarts
    _age_sessions(world, minutes=31)
    assert not _opens_caseload(km)
    assert [s.end_reason for s in _sessions(world, "km_a")] == ["IDLE"]


def test_the_idle_timeout_is_a_setting(world: World, client_for: ClientFactory) -> None:
    km = client_for(world, "km")
    km.app.state.session_policy = km.app.state.session_policy.with_idle_minutes(5)  # type: ignore[attr-defined]
    _age_sessions(world, minutes=6)
    assert not _opens_caseload(km)


def test_a_session_in_use_ends_after_eight_hours(world: World, client_for: ClientFactory) -> None:
    km = client_for(world, "km")
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        for ws in s.scalars(select(WebSession)):
            ws.created_at -= timedelta(hours=8, minutes=1)
    engine.dispose()
    assert not _opens_caseload(km)
    assert [s.end_reason for s in _sessions(world, "km_a")] == ["EXPIRED"]


def test_beheerder_ends_a_users_sessions_from_the_users_page_and_it_is_logged(
    world: World, client_for: ClientFactory
) -> None:
    km = client_for(world, "km")
    km_elsewhere = client_for(world, "km")
    beheer = client_for(world, "beheer")
    page = beheer.get("/beheer/gebruikers")
    assert f'action="/beheer/gebruikers/{world.km_a_id}/sessies-beeindigen"' in page.text
    response = beheer.post(
        f"/beheer/gebruikers/{world.km_a_id}/sessies-beeindigen",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert not _opens_caseload(km) and not _opens_caseload(km_elsewhere)
    assert {s.end_reason for s in _sessions(world, "km_a")} == {"ENDED_BY_ADMIN"}
    assert _opens_caseload(client_for(world, "km"))  # logging in again works
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        purposes = list(
            s.scalars(
                select(AuditEntry.purpose).where(
                    AuditEntry.object_type == "app_user", AuditEntry.object_id == world.km_a_id
                )
            )
        )
    engine.dispose()
    assert "Sessies beëindigd (2)" in purposes


def test_only_the_beheerder_ends_sessions(world: World, client_for: ClientFactory) -> None:
    km = client_for(world, "km")
    tl = client_for(world, "tl")
    response = tl.post(
        f"/beheer/gebruikers/{world.km_a_id}/sessies-beeindigen",
        data={"csrf_token": session_csrf(tl)},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert _opens_caseload(km)


def test_a_request_costs_one_session_lookup_and_last_seen_is_written_at_most_once_a_minute(
    world: World, client_for: ClientFactory
) -> None:
    km = client_for(world, "km")
    engine = km.app.state.engine  # type: ignore[attr-defined]
    with count_queries(engine) as statements:
        for _ in range(3):
            assert km.get("/favicon.ico").status_code == 204
            assert _opens_caseload(km)
    session_reads = [s for s in statements if "FROM web_session" in s]
    session_writes = [s for s in statements if s.lstrip().upper().startswith("UPDATE WEB_SESSION")]
    assert len(session_reads) == 3
    assert session_writes == []
    _age_sessions(world, seconds=61)
    with count_queries(engine) as statements:
        assert _opens_caseload(km)
        assert _opens_caseload(km)
    writes = [s for s in statements if s.lstrip().upper().startswith("UPDATE WEB_SESSION")]
    assert len(writes) == 1


def test_the_session_lookup_uses_the_token_index(world: World, client_for: ClientFactory) -> None:
    engine = make_engine(world.url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("PRAGMA index_list('web_session')").all()
            unique = [r for r in rows if r[2] == 1]
        else:
            unique = conn.execute(
                text(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'web_session' "
                    "AND indexdef LIKE :pattern"
                ),
                {"pattern": "%UNIQUE%token_hash%"},
            ).all()
    engine.dispose()
    assert unique, "web_session.token_hash has no unique index"
