"""The second factor at sign-in (issue 15): TOTP codes computed with pyotp, recovery codes,
enrolment for the roles that require it, throttling of wrong codes; both databases."""

from __future__ import annotations

import re
import time

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import ClientFactory, World, csrf_of, fresh_code, login, totp_secret_for

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry, RecoveryCode, User

RECOVERY = re.compile(r"<li><code>([A-Z2-9-]{19})</code></li>")


def _password_step(client: TestClient, username: str, password: str = f.DEFAULT_PASSWORD) -> str:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _send_code(client: TestClient, code: str, path: str = "/login/code") -> TestClient:
    page = client.get(path)
    return client.post(  # type: ignore[return-value]
        path, data={"code": code, "csrf_token": csrf_of(page.text)}, follow_redirects=False
    )


def _add_user(world: World, role: str, username: str) -> None:
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        f.make_user(s, role, None, username=username, full_name="Nieuwe Collega")
    engine.dispose()


def test_beheerder_signs_in_with_the_code_after_the_password(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world)
    assert _password_step(client, "beheer") == "/login/code"
    # The password alone opens no session.
    assert client.get("/beheer/audit", follow_redirects=False).status_code == 303
    response = _send_code(client, fresh_code(client, totp_secret_for("beheer")))
    assert response.status_code == 303
    assert response.headers["location"] == "/beheer/audit"
    assert client.get("/beheer/audit").status_code == 200


def test_a_wrong_code_is_refused_and_opens_no_session(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world)
    _password_step(client, "analist")
    response = _send_code(client, "000000")
    assert response.status_code == 401
    assert "Deze code klopt niet" in response.text
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        actions = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "login")
            .order_by(AuditEntry.id)
        ).all()
    engine.dispose()
    assert actions == ["LOGIN_STEP", "LOGIN_FAILED"]


def test_five_wrong_codes_end_the_attempt_and_lock_the_username(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world)
    _password_step(client, "analist")
    statuses = [_send_code(client, "123456").status_code for _ in range(5)]
    assert statuses == [401] * 5
    # The attempt is used up: even the right code needs the password again.
    again = _send_code(client, fresh_code(client, totp_secret_for("analist")))
    assert again.status_code == 401 and "verlopen" in again.text
    # Five failures lock the username like five wrong passwords: even the right password.
    token = csrf_of(client.get("/login").text)
    locked = client.post(
        "/login",
        data={"username": "analist", "password": f.DEFAULT_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert locked.status_code == 429


def test_a_code_is_accepted_only_once(world: World, client_for: ClientFactory) -> None:
    code = pyotp.TOTP(totp_secret_for("beheer")).now()
    first = client_for(world)
    _password_step(first, "beheer")
    assert _send_code(first, code).status_code == 303
    second = client_for(world)
    _password_step(second, "beheer")
    assert _send_code(second, code).status_code == 401


def test_a_role_that_requires_it_sets_up_the_second_factor_before_any_page(
    world: World, client_for: ClientFactory
) -> None:
    _add_user(world, "ANALIST", "nieuwe_analist")
    client = client_for(world)
    assert _password_step(client, "nieuwe_analist") == "/login/instellen"
    page = client.get("/login/instellen").text
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    secret = re.search(r'class="totp-secret"><code>([A-Z2-7 ]+)</code>', page)
    assert secret
    totp = pyotp.TOTP(secret.group(1).replace(" ", ""))
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    assert _send_code(client, "999999", "/login/instellen").status_code == 401
    done = _send_code(client, totp.now(), "/login/instellen")
    assert done.status_code == 200
    codes = RECOVERY.findall(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/dashboard").status_code == 200
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        user = s.scalar(select(User).where(User.username == "nieuwe_analist"))
        assert user is not None
        stored = s.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
        stored_hashes = set(stored)
    engine.dispose()
    assert len(stored_hashes) == 10 and not {c.replace("-", "") for c in codes} & stored_hashes

    # A recovery code stands in for the app once.
    later = client_for(world)
    assert _password_step(later, "nieuwe_analist") == "/login/code"
    assert _send_code(later, codes[0].lower()).status_code == 303
    once_more = client_for(world)
    _password_step(once_more, "nieuwe_analist")
    assert _send_code(once_more, codes[0]).status_code == 401


def test_a_klantmanager_may_add_a_second_factor_and_then_needs_it(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    page = client.get("/account/tweestapsverificatie").text
    secret = re.search(r'class="totp-secret"><code>([A-Z2-7 ]+)</code>', page)
    assert secret
    totp = pyotp.TOTP(secret.group(1).replace(" ", ""))
    done = client.post(
        "/account/tweestapsverificatie", data={"code": totp.now(), "csrf_token": csrf_of(page)}
    )
    assert done.status_code == 200 and len(RECOVERY.findall(done.text)) == 10
    fresh = client_for(world)
    assert _password_step(fresh, "km_a") == "/login/code"
    next_code = totp.at(int(time.time()) + 30)  # the current step was spent on enrolment
    assert _send_code(fresh, next_code).status_code == 303


def test_a_klantmanager_without_second_factor_signs_in_with_the_password_alone(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world)
    assert _password_step(client, "km_a") == "/caseload"
    assert login(client_for(world), "km_a")
