"""Sign-in with the organisation's account (OpenID Connect, issue 15), through the whole flow
over HTTP against the provider in ``oidc_provider.py`` on loopback: the app's discovery, code
exchange with PKCE and JWKS fetch are real HTTP; the browser's hops are followed by hand.
Both databases."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from oidc_provider import CLIENT_ID, CLIENT_SECRET, LoopbackProvider
from sqlalchemy import select
from web_support import World, login

from werkpad.config import OidcSettings, parse_group_roles
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, OidcIdentity, User
from werkpad.web.app import create_app

GROUPS = "grp-km=KLANTMANAGER,grp-tl=TEAMLEIDER,grp-an=ANALIST"


@pytest.fixture(scope="module")
def provider_server() -> Iterator[LoopbackProvider]:
    server = LoopbackProvider().start()
    yield server
    server.stop()


@pytest.fixture
def provider(provider_server: LoopbackProvider) -> LoopbackProvider:
    provider_server.reset()
    return provider_server


def _settings(provider: LoopbackProvider) -> OidcSettings:
    return OidcSettings(
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        group_roles=parse_group_roles(GROUPS),
    )


@pytest.fixture
def client(world: World, provider: LoopbackProvider) -> Iterator[TestClient]:
    app = create_app(
        world.url, secret_key="test-secret", secure_cookies=False, oidc=_settings(provider)
    )
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def _sign_in(client: TestClient, next_path: str = "") -> httpx.Response:
    """The browser's three hops: werkpad -> provider -> werkpad's callback."""
    start = client.get(
        "/login/oidc" + (f"?next={next_path}" if next_path else ""), follow_redirects=False
    )
    assert start.status_code == 303, start.text
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["location"])
    assert back.path == "/login/oidc/terug"
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def _rows(world: World) -> tuple[list[User], list[AuditEntry]]:
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        users = list(s.scalars(select(User).order_by(User.id)))
        audit = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        s.expunge_all()
    engine.dispose()
    return users, audit


def _assert_refused(response: httpx.Response, client: TestClient, words: str) -> None:
    assert response.status_code == 401
    assert words in response.text
    assert 'role="alert"' in response.text
    # No session: a protected page still sends the browser to the login form.
    assert client.get("/caseload", follow_redirects=False).headers["location"].startswith("/login")


def test_the_login_page_offers_the_organisation_account_only_when_configured(
    world: World, client: TestClient
) -> None:
    assert "Inloggen met de organisatie-account" in client.get("/login").text
    app = create_app(world.url, secret_key="test-secret", secure_cookies=False)
    with TestClient(app) as plain:
        assert "organisatie-account" not in plain.get("/login").text
        answer = plain.get("/login/oidc", follow_redirects=False)
        assert "is hier niet ingesteld" in answer.text
        assert "werkpad_session" not in answer.cookies
    app.state.engine.dispose()


def test_a_teamleider_group_signs_in_on_the_teamleiders_start_page_and_stays_linked_by_subject(
    world: World, client: TestClient, provider: LoopbackProvider
) -> None:
    # The provider's name equals an existing werkpad account: that account is not taken over.
    provider.next_user = {
        "sub": "entra-oid-42",
        "preferred_username": "tl_a",
        "name": "Tamara Leidsman",
        "groups": ["alle-medewerkers", "grp-tl"],
    }
    response = _sign_in(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/caseload"
    assert client.get("/caseload").status_code == 200

    users, audit = _rows(world)
    new = next(u for u in users if u.full_name == "Tamara Leidsman")
    assert (new.username, new.role, new.password_hash) == ("tl_a-2", "TEAMLEIDER", "!oidc")
    assert next(u for u in users if u.username == "tl_a").full_name == "Tineke Leider"
    logins = [a for a in audit if a.action == "LOGIN" and a.user_id == new.id]
    assert len(logins) == 1 and logins[0].purpose == "Inlogpoging tl_a-2"
    assert any(a.action == "OIDC_ACCOUNT" and a.object_id == new.id for a in audit)

    # Next time the provider's name changed, the subject did not: the same werkpad user; the
    # groups now give another role, which is changed and logged.
    client.cookies.clear()
    provider.next_user = {**provider.next_user, "preferred_username": "t.leidsman"}
    provider.next_user["groups"] = ["grp-km"]
    assert _sign_in(client).headers["location"] == "/caseload"
    users, audit = _rows(world)
    assert len([u for u in users if u.full_name == "Tamara Leidsman"]) == 1
    assert next(u for u in users if u.id == new.id).role == "KLANTMANAGER"
    assert any(a.action == "ROLE_CHANGED" and a.object_id == new.id for a in audit)
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        assert s.scalar(select(OidcIdentity.user_id).where(OidcIdentity.subject == "entra-oid-42"))
    engine.dispose()


def test_a_wrong_state_is_refused_in_dutch(
    world: World, client: TestClient, provider: LoopbackProvider
) -> None:
    provider.next_user = {"sub": "s-state", "groups": ["grp-tl"]}
    start = client.get("/login/oidc", follow_redirects=False)
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    back = urlsplit(at_provider.headers["location"])
    forged = back.query.replace("state=", "state=x")
    response = client.get(f"{back.path}?{forged}", follow_redirects=False)
    _assert_refused(response, client, "deze aanmelding is verlopen of niet hier begonnen")
    # A callback without any started sign-in (no cookie) neither.
    client.cookies.clear()
    response = client.get(f"{back.path}?{back.query}", follow_redirects=False)
    _assert_refused(response, client, "niet hier begonnen")
    users, audit = _rows(world)
    assert not [u for u in users if u.password_hash == "!oidc"]
    assert [a.action for a in audit if a.object_type == "login"] == ["LOGIN_FAILED"] * 2


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"nonce": "een-andere-nonce"}, id="wrong-nonce"),
        pytest.param({"exp": 1_600_000_000, "iat": 1_599_999_000}, id="expired"),
        pytest.param({"aud": "een-andere-app"}, id="wrong-audience"),
        pytest.param({"iss": "http://127.0.0.1:1"}, id="wrong-issuer"),
    ],
)
def test_a_bad_id_token_is_refused_in_dutch(
    world: World, client: TestClient, provider: LoopbackProvider, tamper: dict[str, object]
) -> None:
    provider.next_user = {"sub": "s-bad", "preferred_username": "bad", "groups": ["grp-tl"]}
    provider.tamper = tamper
    response = _sign_in(client)
    _assert_refused(response, client, "het antwoord van de organisatie-account klopt niet")
    users, audit = _rows(world)
    assert not [u for u in users if u.password_hash == "!oidc"]
    assert [a.action for a in audit if a.object_type == "login"] == ["LOGIN_FAILED"]


def test_a_token_signed_with_another_key_is_refused(
    world: World, client: TestClient, provider: LoopbackProvider
) -> None:
    provider.next_user = {"sub": "s-forged", "groups": ["grp-tl"]}
    provider.sign_with = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    _assert_refused(_sign_in(client), client, "klopt niet of is verlopen")


def test_a_user_without_a_mapped_group_is_refused_and_no_account_is_made(
    world: World, client: TestClient, provider: LoopbackProvider
) -> None:
    provider.next_user = {"sub": "s-none", "preferred_username": "buiten", "groups": ["grp-x"]}
    response = _sign_in(client)
    _assert_refused(response, client, "hoort niet bij een groep die toegang geeft tot werkpad")
    users, audit = _rows(world)
    assert not [u for u in users if u.password_hash == "!oidc"]
    assert [a.action for a in audit if a.object_type == "login"] == ["LOGIN_FAILED"]


def test_an_analist_without_provider_mfa_still_sets_up_the_werkpad_second_factor(
    world: World, client: TestClient, provider: LoopbackProvider
) -> None:
    provider.next_user = {"sub": "s-an", "preferred_username": "ana", "groups": ["grp-an"]}
    response = _sign_in(client)
    assert response.headers["location"] == "/login/instellen"
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_an_analist_whose_provider_asserts_mfa_signs_in_without_a_werkpad_code(
    world: World, client: TestClient, provider: LoopbackProvider
) -> None:
    provider.next_user = {
        "sub": "s-an2",
        "preferred_username": "ana2",
        "groups": ["grp-an"],
        "amr": ["pwd", "mfa"],
    }
    response = _sign_in(client, next_path="/dashboard")
    assert response.headers["location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200


def test_an_unreachable_provider_is_a_dutch_message_not_a_500(world: World) -> None:
    settings = OidcSettings(
        issuer="http://127.0.0.1:9", client_id="x", client_secret="y", group_roles=()
    )
    app = create_app(world.url, secret_key="test-secret", secure_cookies=False, oidc=settings)
    with TestClient(app) as plain:
        response = plain.get("/login/oidc", follow_redirects=False)
        assert response.status_code == 502
        assert "kon niet worden bereikt" in response.text
    app.state.engine.dispose()


def test_password_sign_in_still_works_beside_the_organisation_account(
    world: World, client: TestClient
) -> None:
    login(client, "tl_a")
    assert client.get("/caseload", follow_redirects=False).status_code == 200


def test_the_group_setting_refuses_unknown_roles_and_the_beheerder_role() -> None:
    assert parse_group_roles(" a=klantmanager , b=TEAMLEIDER ") == (
        ("a", "KLANTMANAGER"),
        ("b", "TEAMLEIDER"),
    )
    for bad in ("a=BEHEERDER", "a=BAAS", "zonder-rol"):
        with pytest.raises(ValueError, match="WERKPAD_OIDC_GROUP_ROLES"):
            parse_group_roles(bad)
