"""Passwords (issue 15): change by the user, the beheerder's one-time link, the forced change
at first use, the policy at the field, and throttling per address; both databases."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from web_support import ClientFactory, World, csrf_of, session_csrf

import factories as f
from werkpad.services.accounts import MAX_FAILED_PER_ADDRESS
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import PasswordReset

NEW = "blauwe-fiets-bij-de-molen"
LINK = re.compile(r"/wachtwoord-herstellen/([A-Za-z0-9_-]{40,})")


def _try_login(client: TestClient, username: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def test_a_user_changes_the_password_and_their_other_sessions_end(
    world: World, client_for: ClientFactory
) -> None:
    here = client_for(world, "km")
    elsewhere = client_for(world, "km")
    token = session_csrf(here)
    wrong = here.post(
        "/account/wachtwoord",
        data={
            "current": "niet-het-goede",
            "password": NEW,
            "password_again": NEW,
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 422 and "huidige wachtwoord klopt niet" in wrong.text
    done = here.post(
        "/account/wachtwoord",
        data={
            "current": f.DEFAULT_PASSWORD,
            "password": NEW,
            "password_again": NEW,
            "csrf_token": token,
        },
    )
    assert done.status_code == 200 and "Je wachtwoord is gewijzigd" in done.text
    assert here.get("/caseload").status_code == 200
    assert elsewhere.get("/caseload", follow_redirects=False).status_code == 303
    assert _try_login(client_for(world), "km_a", f.DEFAULT_PASSWORD) == 401
    assert _try_login(client_for(world), "km_a", NEW) == 303


def test_a_common_or_mistyped_new_password_is_refused_at_the_field_and_nothing_changes(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    token = session_csrf(client)
    common = client.post(
        "/account/wachtwoord",
        data={
            "current": f.DEFAULT_PASSWORD,
            "password": "Welkom123456!",
            "password_again": "Welkom123456!",
            "csrf_token": token,
        },
    )
    assert common.status_code == 422
    assert 'id="pw-password-error"' in common.text and "te bekend" in common.text
    mistyped = client.post(
        "/account/wachtwoord",
        data={
            "current": f.DEFAULT_PASSWORD,
            "password": NEW,
            "password_again": NEW + "x",
            "csrf_token": token,
        },
    )
    assert mistyped.status_code == 422 and "niet gelijk" in mistyped.text
    assert _try_login(client_for(world), "km_a", f.DEFAULT_PASSWORD) == 303


def test_a_user_the_beheerder_creates_chooses_their_own_password_at_first_login(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    created = admin.post(
        "/beheer/gebruikers",
        data={
            "username": "nieuw",
            "full_name": "Nina Nieuw",
            "role": "ACCOUNTMANAGER",
            "password": "eerste-wachtwoord-van-beheer",
            "csrf_token": session_csrf(admin),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    client = client_for(world)
    token = csrf_of(client.get("/login").text)
    step = client.post(
        "/login",
        data={"username": "nieuw", "password": "eerste-wachtwoord-van-beheer", "csrf_token": token},
        follow_redirects=False,
    )
    assert step.headers["location"] == "/login/nieuw-wachtwoord"
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    page = client.get("/login/nieuw-wachtwoord").text
    named = client.post(
        "/login/nieuw-wachtwoord",
        data={
            "password": "nina-nieuw-2024",
            "password_again": "nina-nieuw-2024",
            "csrf_token": csrf_of(page),
        },
    )
    assert named.status_code == 422 and "naam niet bevatten" in named.text
    chosen = client.post(
        "/login/nieuw-wachtwoord",
        data={"password": NEW, "password_again": NEW, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    # Next time the password alone is enough.
    assert _try_login(client_for(world), "nieuw", NEW) == 303


def test_the_beheerders_one_time_link_sets_a_password_once_and_expires(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    page = admin.post(
        f"/beheer/herstellink/{world.km_a_id}", data={"csrf_token": session_csrf(admin)}
    )
    assert page.status_code == 200
    match = LINK.search(page.text)
    assert match
    token = match.group(1)
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        stored = s.scalars(select(PasswordReset.token_hash)).all()
    assert stored and token not in stored  # only the hash is kept
    km_session = client_for(world, "km")
    visitor = client_for(world)
    form = visitor.get(f"/wachtwoord-herstellen/{token}")
    assert form.status_code == 200 and "Nieuw wachtwoord" in form.text
    done = visitor.post(
        f"/wachtwoord-herstellen/{token}",
        data={"password": NEW, "password_again": NEW, "csrf_token": csrf_of(form.text)},
    )
    assert done.status_code == 200 and "nieuwe wachtwoord is ingesteld" in done.text
    assert km_session.get("/caseload", follow_redirects=False).status_code == 303
    assert _try_login(client_for(world), "km_a", NEW) == 303
    again = visitor.post(
        f"/wachtwoord-herstellen/{token}",
        data={"password": NEW + "2", "password_again": NEW + "2", "csrf_token": csrf_of(form.text)},
    )
    assert again.status_code == 410 and "werkt niet (meer)" in again.text

    # A second link expires after its lifetime.
    second = LINK.search(
        admin.post(
            f"/beheer/herstellink/{world.km_a_id}", data={"csrf_token": session_csrf(admin)}
        ).text
    )
    assert second
    with transaction(session_factory(engine)) as s:
        s.execute(update(PasswordReset).values(expires_at=datetime(2000, 1, 1)))
    engine.dispose()
    assert "werkt niet (meer)" in visitor.get(f"/wachtwoord-herstellen/{second.group(1)}").text


def test_many_failures_from_one_address_lock_that_address_for_every_name(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world)
    for n in range(MAX_FAILED_PER_ADDRESS):
        assert _try_login(client, f"geraden{n}", "fout-wachtwoord") == 401
    # Right name and password, but from the address that kept guessing.
    assert _try_login(client, "km_a", f.DEFAULT_PASSWORD) == 429
