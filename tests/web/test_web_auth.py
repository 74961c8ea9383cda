"""Login, logout, sessions, CSRF and security headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import (
    ClientFactory,
    World,
    csrf_of,
    fresh_code,
    login,
    session_csrf,
    totp_secret_for,
)

import factories as f
from werkpad.services.accounts import LOCKOUT, login_locked
from werkpad.services.audit import utc_now
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, Candidate, User
from werkpad.web.app import create_app

GENERIC_FAILURE = "Inloggen mislukt. Controleer je gebruikersnaam en wachtwoord."


@pytest.mark.parametrize(
    ("who", "start"),
    [
        ("km", "/caseload"),
        ("tl", "/caseload"),
        ("am", "/dashboard"),
        ("analist", "/dashboard"),
        ("beheer", "/beheer/audit"),
    ],
)
def test_login_redirects_each_role_to_its_start_page(
    world_sqlite: World, client_for: ClientFactory, who: str, start: str
) -> None:
    client = client_for(world_sqlite)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": world_sqlite.users[who],
            "password": f.DEFAULT_PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    if who in ("analist", "beheer"):  # their roles take the second step first (issue 15)
        assert response.headers["location"] == "/login/code"
        code = fresh_code(client, totp_secret_for(world_sqlite.users[who]))
        response = client.post(
            "/login/code", data={"code": code, "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 303
    assert response.headers["location"] == start
    assert client.get("/", follow_redirects=False).headers["location"] == start


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("km_a", "fout-wachtwoord"),
        ("bestaat_niet", f.DEFAULT_PASSWORD),
        ("inactief", f.DEFAULT_PASSWORD),
    ],
)
def test_login_failure_shows_one_generic_dutch_message(
    world_sqlite: World, client_for: ClientFactory, username: str, password: str
) -> None:
    client = client_for(world_sqlite)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 401
    assert GENERIC_FAILURE in response.text
    assert client.get("/caseload", follow_redirects=False).status_code == 303


def test_login_form_has_the_fields_and_button_the_browser_tests_use(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    html = client_for(world_sqlite).get("/login").text
    for fragment in (
        'name="username"',
        'name="password"',
        'name="csrf_token"',
        ">Inloggen</button>",
    ):
        assert fragment in html


def test_login_without_csrf_token_is_refused(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite)
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": "km_a", "password": f.DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert client.get("/caseload", follow_redirects=False).status_code == 303


def test_login_ignores_a_next_parameter_pointing_elsewhere(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": "km_a",
            "password": f.DEFAULT_PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/caseload"


def test_anonymous_page_request_redirects_to_login_and_back(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite)
    response = client.get("/caseload?segment=DH_A", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/caseload%3Fsegment%3DDH_A"


@pytest.mark.parametrize("path", ["/api/candidates", "/api/openapi.json", "/api/routes/1"])
def test_anonymous_api_request_gets_401(
    world_sqlite: World, client_for: ClientFactory, path: str
) -> None:
    response = client_for(world_sqlite).get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Niet ingelogd"}


def test_anonymous_api_post_gets_401_and_writes_nothing(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    response = client_for(world_sqlite).post("/api/candidates", json={"bsn": "111222333"})
    assert response.status_code == 401


def test_logout_ends_the_session(world_sqlite: World, client_for: ClientFactory) -> None:
    client = client_for(world_sqlite, "km")
    page = client.get("/caseload")
    assert "Uitloggen</button>" in page.text
    response = client.post(
        "/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.headers["location"] == "/login"
    assert client.get("/caseload", follow_redirects=False).status_code == 303


def test_logout_without_csrf_token_is_refused(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/caseload").status_code == 200


def _candidate_count(url: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        count = s.scalar(select(func.count(Candidate.id))) or 0
    engine.dispose()
    return count


def test_form_post_with_wrong_csrf_token_is_refused_and_writes_nothing(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    before = _candidate_count(world_sqlite.url)
    response = client.post(
        "/kandidaten/nieuw",
        data={
            "csrf_token": "vervalst",
            "bsn": "111222333",
            "first_name": "A",
            "last_name": "B",
            "birth_date": "1990-01-01",
            "sex": "M",
            "benefit_type": "PW",
            "benefit_start_date": "2024-01-01",
        },
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "Formulier verlopen" in response.text
    assert _candidate_count(world_sqlite.url) == before


def test_api_post_without_csrf_header_is_refused_and_writes_nothing(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    before = _candidate_count(world_sqlite.url)
    body = {
        "bsn": "111222333",
        "first_name": "A",
        "last_name": "B",
        "birth_date": "1990-01-01",
        "sex": "M",
        "benefit_type": "PW",
        "benefit_start_date": "2024-01-01",
    }
    response = client.post("/api/candidates", json=body)
    assert response.status_code == 403
    assert "X-CSRF-Token" in response.json()["detail"]
    assert _candidate_count(world_sqlite.url) == before
    ok = client.post("/api/candidates", json=body, headers={"X-CSRF-Token": session_csrf(client)})
    assert ok.status_code == 201


def test_csrf_token_of_one_session_does_not_work_in_another(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    first = client_for(world_sqlite, "km")
    second = client_for(world_sqlite, "km")
    response = second.post(
        "/api/candidates", json={}, headers={"X-CSRF-Token": session_csrf(first)}
    )
    assert response.status_code == 403


def test_session_cookie_is_httponly_lax_and_secure_by_default(world_sqlite: World) -> None:
    app = create_app(world_sqlite.url, secret_key="k")
    with TestClient(app, base_url="https://testserver") as client:
        cookie = client.get("/login").headers["set-cookie"].lower()
        login(client, "km_a")
        assert client.get("/caseload").status_code == 200
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" in cookie
    app.state.engine.dispose()


def test_pages_carry_security_headers(world_sqlite: World, client_for: ClientFactory) -> None:
    client = client_for(world_sqlite, "km")
    for path in ("/login", "/caseload", "/api/candidates"):
        headers = client.get(path).headers
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert headers["cache-control"] == "no-store"


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from werkpad.web.security import resolve_secret_key

    monkeypatch.delenv("WERKPAD_SECRET_KEY", raising=False)
    key_file = tmp_path / "werkpad-secret.key"
    first = resolve_secret_key(None, key_file)
    assert resolve_secret_key(None, key_file) == first
    assert key_file.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("WERKPAD_SECRET_KEY", "uit-de-omgeving")
    assert resolve_secret_key(None, key_file) == "uit-de-omgeving"
    assert resolve_secret_key("expliciet", key_file) == "expliciet"


def _try_login(client: TestClient, username: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


@pytest.mark.parametrize("username", ["km_a", "bestaat_niet"])
def test_five_failed_logins_lock_the_username_even_for_the_right_password(
    world_sqlite: World, client_for: ClientFactory, username: str
) -> None:
    client = client_for(world_sqlite)
    assert [_try_login(client, username, "fout") for _ in range(5)] == [401] * 5
    # Known and unknown usernames lock alike, so the lock does not reveal who exists.
    assert _try_login(client, username, f.DEFAULT_PASSWORD) == 429
    token = csrf_of(client.get("/login").text)
    locked = client.post(
        "/login",
        data={"username": username.upper(), "password": "fout", "csrf_token": token},
    )
    assert locked.status_code == 429 and "Te veel mislukte pogingen" in locked.text
    assert client.get("/caseload", follow_redirects=False).status_code == 303


def test_lock_is_per_username_and_lifts_after_the_lockout_window(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite)
    for _ in range(5):
        _try_login(client, "km_a", "fout")
    assert _try_login(client, world_sqlite.users["tl"], f.DEFAULT_PASSWORD) == 303
    engine = make_engine(world_sqlite.url)
    with session_factory(engine)() as db:
        later = utc_now() + LOCKOUT + timedelta(seconds=1)
        assert login_locked(db, "km_a")
        assert not login_locked(db, "km_a", now=later)
    engine.dispose()


def test_a_successful_login_resets_the_count_of_failures(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite)
    username = world_sqlite.users["km"]
    for _ in range(4):
        assert _try_login(client, username, "fout") == 401
    assert _try_login(client, username, f.DEFAULT_PASSWORD) == 303
    other = client_for(world_sqlite)
    assert [_try_login(other, username, "fout") for _ in range(4)] == [401] * 4
    assert _try_login(other, username, f.DEFAULT_PASSWORD) == 303


def test_every_login_attempt_is_in_the_audit_log_with_the_username_and_no_password(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite)
    username = world_sqlite.users["km"]
    _try_login(client, username, "geheim-fout-wachtwoord")
    _try_login(client, username, f.DEFAULT_PASSWORD)
    engine = make_engine(world_sqlite.url)
    with session_factory(engine)() as db:
        rows = db.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "login").order_by(AuditEntry.id)
        ).all()
    engine.dispose()
    assert [r.action for r in rows] == ["LOGIN_FAILED", "LOGIN"]
    assert all(r.purpose == f"Inlogpoging {username}" for r in rows)
    assert rows[0].user_id is None and rows[1].user_id is not None
    assert not any("geheim" in (r.purpose or "") for r in rows)


def test_beheerder_sees_the_lock_and_lifts_it_and_the_unlock_is_audited(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    username = world_sqlite.users["km"]
    intruder = client_for(world_sqlite)
    for _ in range(5):
        _try_login(intruder, username, "fout")
    beheer = client_for(world_sqlite, "beheer")
    page = beheer.get("/beheer/gebruikers").text
    assert page.count("<strong>geblokkeerd</strong>") == 1 and "Ontgrendelen</button>" in page
    engine = make_engine(world_sqlite.url)
    with session_factory(engine)() as db:
        km_id = db.scalar(select(User.id).where(User.username == username))
    response = beheer.post(
        f"/beheer/gebruikers/{km_id}/ontgrendelen",
        data={"csrf_token": session_csrf(beheer)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "<strong>geblokkeerd</strong>" not in beheer.get("/beheer/gebruikers").text
    assert _try_login(client_for(world_sqlite), username, f.DEFAULT_PASSWORD) == 303
    with session_factory(engine)() as db:
        assert not login_locked(db, username)
        unlock = db.scalar(select(AuditEntry).where(AuditEntry.action == "LOGIN_UNLOCK"))
        assert unlock is not None and unlock.purpose == f"Inlogpoging {username}"
    engine.dispose()
    logins = beheer.get("/beheer/audit?soort=inloggen").text
    assert "Ontgrendeld door beheerder" in logins


def test_only_the_beheerder_unlocks_a_login(world_sqlite: World, client_for: ClientFactory) -> None:
    teamleider = client_for(world_sqlite, "tl")
    response = teamleider.post(
        "/beheer/gebruikers/1/ontgrendelen",
        data={"csrf_token": session_csrf(teamleider)},
        follow_redirects=False,
    )
    assert response.status_code == 403
