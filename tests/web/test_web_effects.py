"""/effectmeting: roles, a computed result with estimate and balance, no personal data, cache."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import count_queries, login

import factories as f
from werkpad.analytics.evaluation import treatment_starts
from werkpad.domain.lifecycle import NOT_STARTED_PROVISION_STATES, OPEN_PROVISION_STATES
from werkpad.services.clock import Clock
from werkpad.services.snapshot import load_snapshot
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.store.models import Candidate, Employer, Provision, Team
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
    assert "Verschil na (SMD)" in page
    # Names, never codes: the balance table and the subgroups show the code lists' labels,
    # and the technical tables are folded under the plain reading.
    assert "Categorie (segment): B: binnen 18 maanden werk met ondersteuning" in page
    assert "segment=DH_B" not in page and "age_band=" not in page and ">DH_A<" not in page
    assert "-0,00" not in page
    assert "<summary>Technische tabel: balans per kenmerk</summary>" in page
    ages = [page.index(band) for band in (">tot 27<", ">27-34<", ">35-44<", ">55 en ouder<")]
    assert ages == sorted(ages)  # age bands in the order of age, not as text
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


def _treated_with_an_open_route(url: str, count: int) -> list[tuple[int, int, int, date]]:
    """(candidate, team, route, PS5 start) of people who started PS5 on a route still open."""
    engine = make_engine(url)
    try:
        snap = load_snapshot(engine, Clock(engine).today())
    finally:
        engine.dispose()
    starts = treatment_starts(snap, "gos_code", "PS5").groupby("person")["start_date"].min()
    routes = snap.routes[snap.routes["end_date"].isna()].set_index("person")
    persons = snap.persons.set_index("person")
    found = []
    for person, start in starts.items():
        if person not in routes.index or not isinstance(routes.loc[person], pd.Series):
            continue
        route = routes.loc[person]
        if route["start_date"] <= start:
            found.append((int(person), int(persons.at[person, "team_id"]),
                          int(route["route_id"]), start.date()))  # fmt: skip
    return found[:count]


def _latest_provision_day(url: str, route_id: int) -> date | None:
    engine = make_engine(url)
    with engine.connect() as conn:
        days = conn.execute(
            select(Provision.start_date, Provision.end_date).where(Provision.route_id == route_id)
        ).all()
    engine.dispose()
    known = [d for pair in days for d in pair if d is not None]
    return max(known) if known else None


def _open_provisions(url: str, route_id: int) -> list[tuple[int, str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Provision.id, Provision.state).where(
                Provision.route_id == route_id, Provision.state.in_(OPEN_PROVISION_STATES)
            )
        ).all()
    engine.dispose()
    return [(int(pid), str(state)) for pid, state in rows]


def test_an_exit_entered_over_http_changes_the_effect_page_figures(
    synth_url: str, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'exits.db'}"
    shutil.copy(synth_url.removeprefix("sqlite:///"), tmp_path / "exits.db")
    people = _treated_with_an_open_route(url, 5)
    assert people
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        employer = session.scalars(select(Employer.id)).first()
        team = session.get(Team, people[0][1])
        f.make_user(session, "KLANTMANAGER", team, username="eff_exit_km")
        f.make_user(session, "ANALIST", None, username="eff_exit_analist")
    engine.dispose()
    app = create_app(url, secret_key="test-secret", secure_cookies=False)
    with TestClient(app) as client:
        login(client, "eff_exit_analist")
        before = client.get(RESULT).text
        assert "Netto effect op deelnemers" in before
        client.cookies.clear()
        token = login(client, "eff_exit_km")
        for candidate, team_id, route, start in people:
            if team_id != people[0][1]:
                continue
            # The exit form asks what becomes of each open provision of the route.
            decisions = {
                f"voorziening_{pid}": "annuleren" if state in NOT_STARTED_PROVISION_STATES
                else "afronden"
                for pid, state in _open_provisions(url, route)
            }  # fmt: skip
            # The exit comes after everything the route's provisions did (a rule of the form).
            end = max(start + timedelta(days=45), _latest_provision_day(url, route) or start)
            done = client.post(
                f"/kandidaten/{candidate}/einde/{route}",
                data={"csrf_token": token, "end_date": end.isoformat(),
                      "end_reason": "JOB", "employer_id": str(employer), "job_type": "1",
                      "contract_type": "PERMANENT", "hours_per_week": "32", **decisions},
                follow_redirects=False,
            )  # fmt: skip
            assert done.status_code == 303, done.text
        client.cookies.clear()
        login(client, "eff_exit_analist")
        after = client.get(RESULT).text
    app.state.engine.dispose()
    assert _effect_figures(after) != _effect_figures(before)


def _effect_figures(page: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]*)</td>', page)


def test_doubly_robust_method_gives_an_estimate_with_the_hidden_factor_reading(
    app_client: TestClient,
) -> None:
    url = "/effectmeting?behandeling=gos_code:PS5&uitkomst=work_exit:12&methode=aipw"
    page = _as(app_client, "ANALIST").get(url).text
    assert "Dubbel robuust (weging plus uitkomstmodel)" in page
    assert "Netto effect op deelnemers" in page
    assert "Een verborgen factor" in page


def test_support_after_placement_is_refused_on_the_page_with_the_reason(
    app_client: TestClient,
) -> None:
    url = "/effectmeting?behandeling=gos_code:PS7&uitkomst=work_exit:12&methode=psm"
    response = _as(app_client, "ANALIST").get(url)
    assert response.status_code == 200
    assert "volgt per definitie op een uitstroom naar werk" in response.text
    assert "Netto effect op deelnemers" not in response.text
