"""/effectmeting: roles, a computed result with estimate and balance, no personal data, cache."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import count_queries, login

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.store.models import Candidate
from werkpad.synth import run_synth
from werkpad.web.app import create_app

RESULT = "/effectmeting?behandeling=gos_code:PS5&uitkomst=work_exit:12&methode=psm"
USERS = {
    "ANALIST": "eff_analist",
    "TEAMLEIDER": "eff_tl",
    "KLANTMANAGER": "eff_km",
    "ACCOUNTMANAGER": "eff_am",
    "BEHEERDER": "eff_beheer",
}


@pytest.fixture(scope="module")
def synth_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("effects_web") / "small.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="small", seed=7, replace=False)
    with transaction(session_factory(engine)) as session:
        team = f.make_team(session, name="Team Effect")
        for role, username in USERS.items():
            f.make_user(session, role, team if role in ("TEAMLEIDER", "KLANTMANAGER") else None,
                        username=username)  # fmt: skip
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def app_client(synth_url: str) -> Iterator[TestClient]:
    """One app (and so one result cache) for the module; log in per test."""
    app = create_app(synth_url, secret_key="test-secret", secure_cookies=False)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _as(client: TestClient, role: str) -> TestClient:
    client.cookies.clear()
    login(client, USERS[role])
    return client


@pytest.mark.parametrize("role", ["KLANTMANAGER", "ACCOUNTMANAGER", "BEHEERDER"])
def test_effect_page_is_forbidden_for_other_roles(app_client: TestClient, role: str) -> None:
    response = _as(app_client, role).get(RESULT)
    assert response.status_code == 403
    assert "Netto effect op deelnemers" not in response.text


def test_effect_page_sends_anonymous_visitors_to_login(app_client: TestClient) -> None:
    app_client.cookies.clear()
    response = app_client.get("/effectmeting", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("role", ["ANALIST", "TEAMLEIDER"])
def test_analist_and_teamleider_get_the_form_with_gos_codes_and_a_nav_entry(
    app_client: TestClient, role: str
) -> None:
    response = _as(app_client, role).get("/effectmeting")
    assert response.status_code == 200
    assert 'href="/effectmeting"' in response.text
    assert 'value="gos_code:PS5"' in response.text
    assert "Netto effect op deelnemers" not in response.text  # nothing computed yet


def test_result_shows_estimate_interval_balance_overlap_survival_and_subgroups_without_people(
    app_client: TestClient, synth_url: str
) -> None:
    response = _as(app_client, "ANALIST").get(RESULT)
    assert response.status_code == 200, response.text
    page = response.text
    assert "Netto effect op deelnemers" in page
    assert re.search(r"[+-]\d+,\d procentpunt tot [+-]\d+,\d procentpunt", page)
    assert "Ruw verschil" in page
    assert "Verschil na (SMD)" in page and "segment=DH_B" in page
    assert "Overlap: is er een vergelijkbare groep?" in page
    assert 'class="chart" data-figure=' in page
    assert "Wat werkt voor wie?" in page and "Statushouder" in page
    assert "<script>" not in page  # CSP: no inline scripts
    engine = make_engine(synth_url)
    with engine.connect() as conn:
        people = conn.execute(
            select(Candidate.bsn, Candidate.first_name, Candidate.last_name)
        ).all()
    engine.dispose()
    for bsn, first, last in people:
        assert bsn not in page
        assert f"{first} {last}" not in page


def test_second_request_with_the_same_parameters_comes_from_the_cache(
    app_client: TestClient,
) -> None:
    client = _as(app_client, "TEAMLEIDER")
    first = client.get(RESULT)
    assert first.status_code == 200
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with count_queries(engine) as statements:
        second = client.get(RESULT)
    assert second.status_code == 200
    assert "Netto effect op deelnemers" in second.text
    assert len(statements) <= 3  # the user lookup only; no snapshot, no estimation


def test_invalid_window_gives_a_dutch_message_not_an_error(app_client: TestClient) -> None:
    response = _as(app_client, "ANALIST").get(
        "/effectmeting?behandeling=gos_code:PS5&uitkomst=months_on_benefit:6"
    )
    assert response.status_code == 200
    assert "venster 6 kan niet bij deze uitkomst" in response.text
