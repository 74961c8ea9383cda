"""The role matrix of every GET route of the web app, on SQLite and PostgreSQL.

The expected matrix is written out below from the roles in issue 3 (not read from the code
under test): klantmanager and teamleider work with their team's candidate files, the
accountmanager sees the referred pool and work profiles, the analist / rekenkamer only
(pseudonymised) aggregates, the beheerder only the beheer pages. The routes are enumerated from
``app.routes``, so a new route without a row here fails the test until someone decides who may
see it. Refusals are 403 without any personal data; anonymous visitors are sent to the login
page (the JSON API answers 401).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import ClientFactory, World

from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import (
    Appointment,
    Candidate,
    Document,
    Employer,
    OutboxMessage,
    Plan,
    Referral,
    Route,
    Vacancy,
)
from werkpad.web.app import create_app

KM, KM_B, TL, AM, ANALIST, BEHEER = "km", "km_b", "tl", "am", "analist", "beheer"
LOGGED_IN = (KM, KM_B, TL, AM, ANALIST, BEHEER)
PUBLIC = "public"  # also reachable without logging in

# Route -> who gets it. KM is a klantmanager of team A (the candidate's team), KM_B one of
# another team: candidate-bound routes refuse KM_B, team-wide lists show KM_B their own team.
CASE = {KM, TL}
CASE_ANY_TEAM = {KM, KM_B, TL}
EXPECTED: dict[str, set[str] | str] = {
    "/": set(LOGGED_IN),  # redirects to the role's start page
    "/login": PUBLIC,
    # The login's later steps (issue 15): without an open step they show the login form.
    "/login/code": PUBLIC,
    "/login/instellen": PUBLIC,
    "/login/nieuw-wachtwoord": PUBLIC,
    # OpenID Connect (issue 15): not configured here, so the login form says so.
    "/login/oidc": PUBLIC,
    "/login/oidc/terug": PUBLIC,
    # Mijn account: every user's own password and second factor.
    "/account": set(LOGGED_IN),
    "/account/tweestapsverificatie": set(LOGGED_IN),
    # The page a beheerder's one-time password link opens (an unknown token: the login form).
    "/wachtwoord-herstellen/{token}": PUBLIC,
    # Roles (four-eyes for beheerder) and break-the-glass access (issue 15). The form opens
    # for a file outside one's team (KM_B); within the team it links to the file.
    "/beheer/rollen": {BEHEER},
    "/noodtoegang/{candidate_id}": CASE_ANY_TEAM,
    "/team/noodtoegang": {TL},
    "/favicon.ico": PUBLIC,
    "/static/plotly.min.js": PUBLIC,
    "/healthz": PUBLIC,  # for the reverse proxy: no personal data, no audit row
    # Klantmanager / teamleider: caseload, intake, the candidate file.
    "/caseload": CASE_ANY_TEAM,
    "/kandidaten/nieuw": CASE_ANY_TEAM,
    "/kandidaten/{candidate_id}": CASE,
    "/api/candidates": CASE_ANY_TEAM,
    "/api/candidates/{candidate_id}": CASE,
    "/api/routes": CASE,
    "/api/routes/{route_id}": CASE,
    "/kandidaten/{candidate_id}/voorziening-kiezen/{route_id}": CASE,  # the provision picker
    # Corrections of the file: the roles that create its records, in their own team.
    "/kandidaten/{candidate_id}/correctie/{object_type}/{object_id}": CASE,
    "/api/candidates/{candidate_id}/corrections": CASE,
    # Teamleider: the team, reassignments, caseload per FTE.
    "/team": {TL},
    # Contact intensity per klantmanager: only the teamleider of the own team (works council).
    "/team/contactintensiteit": {TL},
    # Accountmanager: the referred pool and work profiles, never the benefit file.
    "/matching": {AM},
    "/matching/{referral_id}": {AM},
    # Employers and vacancies: the accountmanager keeps them, the teamleider may look.
    "/werkgevers": {AM, TL},
    "/werkgevers/{employer_id}": {AM, TL},
    "/werkgevers/nieuw": {AM},
    "/werkgevers/{employer_id}/bewerken": {AM},
    "/vacatures": {AM, TL},
    "/vacatures/{vacancy_id}": {AM, TL},
    "/vacatures/nieuw": {AM},
    "/vacatures/{vacancy_id}/bewerken": {AM},
    "/api/vacancies/{vacancy_id}/matches": {AM, TL},  # pseudonymous references only
    # Management information: aggregates for the roles that steer; the drill-down lists
    # show team members' names to case roles and pseudonymised rows to the analist.
    "/dashboard": {KM, KM_B, TL, AM, ANALIST},
    "/dashboard/lijst": {KM, KM_B, TL, ANALIST},
    "/effectmeting": {TL, ANALIST},
    # The council report, downloadable by the roles that see the aggregates.
    "/rapportage": {TL, ANALIST},
    "/rapportage/download": {TL, ANALIST},
    # Beheerder: users, teams, code lists, settings (scheme, routing), the audit log.
    "/beheer/gebruikers": {BEHEER},
    "/beheer/teams": {BEHEER},
    "/beheer/gemeenten": {BEHEER},  # municipalities, teams per municipality, user scopes
    "/beheer/codelijsten": {BEHEER},
    "/beheer/instellingen": {BEHEER},
    "/beheer/audit": {BEHEER},
    # Privacy (issue 15): inzageverzoek downloads and the processing register, beheerder only.
    "/beheer/privacy": {BEHEER},
    "/beheer/privacy/inzage/{candidate_id}.json": {BEHEER},
    "/beheer/privacy/inzage/{candidate_id}.pdf": {BEHEER},
    "/beheer/privacy/register.md": {BEHEER},
    # The API description holds no personal data; every logged-in role may read it.
    "/api/docs": set(LOGGED_IN),
    "/api/openapi.json": set(LOGGED_IN),
    # The klantmanager's working day (issue 16): the agenda lists the own team's appointments.
    "/agenda": CASE_ANY_TEAM,
    "/afspraken/{appointment_id}": CASE,
    "/afspraken/{appointment_id}/brief/{message_id}.pdf": CASE,
    "/beheer/berichten": {BEHEER},  # the texts of invitations and reminders
    "/werklijst": CASE_ANY_TEAM,
    # A CV of a candidate referred to matching: the case roles and the accountmanager.
    "/documenten/{document_id}": {KM, TL, AM},
    "/kandidaten/{candidate_id}/plan/{plan_id}.pdf": CASE,
    "/kandidaten/{candidate_id}/plannen/vergelijk": CASE,
}
QUERIES = {
    "/kandidaten/{candidate_id}/plannen/vergelijk": "?van={plan_id}&naar={plan_id}",
    "/api/routes": "?candidate_id={candidate_id}",
    "/dashboard/lijst": "?kpi=route_end_reasons&groep=STOPPED",
    "/rapportage/download": "?formaat=html",
}
REDIRECTS = {"/"}


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploaded documents of these tests live in the test's own folder."""
    monkeypatch.setenv("WERKPAD_DATA_DIR", str(tmp_path / "data"))


@dataclass(frozen=True)
class Ids:
    candidate_id: int
    route_id: int
    referral_id: int
    employer_id: int
    vacancy_id: int
    object_id: int  # the record a correction page opens: the candidate's personal data
    appointment_id: int
    message_id: int
    document_id: int
    plan_id: int
    object_type: str = "candidate"
    token: str = "geen-geldige-link"  # a password link (issue 15)


def _walk(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route, looking inside included routers and mounts."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(original.routes, prefix + (getattr(context, "prefix", "") or ""))
            continue
        methods = getattr(route, "methods", None)
        if methods is not None:
            yield prefix + route.path, set(methods)


def get_routes(url: str) -> list[str]:
    app = create_app(url, secret_key="test-secret", secure_cookies=False)
    paths = sorted({path for path, methods in _walk(app.routes) if "GET" in methods})
    app.state.engine.dispose()
    return paths


def _prepare(world: World) -> tuple[Ids, list[str]]:
    """A referral for the team-A candidate, and the personal data no refusal may show."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        route_id = s.scalar(
            select(Route.id).where(Route.candidate_id == world.full_candidate).limit(1)
        )
        assert route_id is not None
        referral = Referral(
            candidate_id=world.full_candidate,
            route_id=route_id,
            referred_on=date(2019, 11, 1),
            state="OPEN",
            work_wishes="Magazijnwerk in de buurt",
        )
        employer = Employer(name="Bakkerij De Korenschoof", sector="CARE", city="Den Haag")
        appointment = Appointment(
            candidate_id=world.full_candidate,
            staff_id=world.km_a_id,
            kind="PROGRESS",
            day=date(2020, 3, 2),
            start_time=time(10, 0),
            location="Stadhuis",
            created_at=datetime(2020, 3, 1),
        )
        s.add_all([referral, employer, appointment])
        s.flush()
        letter = OutboxMessage(
            candidate_id=world.full_candidate,
            appointment_id=appointment.id,
            kind="INVITATION",
            channel="LETTER",
            subject="Uitnodiging",
            body="Beste kandidaat",
            created_at=datetime(2020, 3, 1),
        )
        s.add(letter)
        cv = Document(
            candidate_id=world.full_candidate,
            document_type="CV",
            filename="cv.pdf",
            content_type="application/pdf",
            size_bytes=8,
            sha256="0" * 64,
            storage_key="rolematrixcv",
            uploaded_at=datetime(2020, 3, 1),
            retain_until=date(2022, 3, 1),
        )
        s.add(cv)
        plan = Plan(candidate_id=world.full_candidate, created_on=date(2020, 1, 1), goal="Werk")
        s.add(plan)
        s.flush()
        folder = Path(os.environ["WERKPAD_DATA_DIR"]) / "documents"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "rolematrixcv").write_bytes(b"%PDF-1.4")
        vacancy = Vacancy(
            employer_id=employer.id,
            title="Medewerker magazijn",
            sector="CARE",
            hours_per_week=24,
            opened_on=date(2019, 10, 1),
        )
        s.add(vacancy)
        s.flush()
        ids = Ids(
            world.full_candidate,
            route_id,
            referral.id,
            employer.id,
            vacancy.id,
            object_id=world.full_candidate,
            appointment_id=appointment.id,
            message_id=letter.id,
            document_id=cv.id,
            plan_id=plan.id,
        )
        secrets: list[str] = []
        for bsn, last_name, birth_date in s.execute(
            select(Candidate.bsn, Candidate.last_name, Candidate.birth_date)
        ):
            secrets += [bsn, last_name, birth_date.isoformat()]
    engine.dispose()
    return ids, [*secrets, "Magazijnwerk"]


def _url(path: str, ids: Ids) -> str:
    return (path + QUERIES.get(path, "")).format(**asdict(ids))


def test_every_get_route_is_in_the_matrix(database_url: str) -> None:
    missing = [path for path in get_routes(database_url) if path not in EXPECTED]
    assert missing == [], f"new GET routes: decide who may see them and add them here: {missing}"
    gone = sorted(set(EXPECTED) - set(get_routes(database_url)))
    assert gone == [], f"routes in the matrix that the app no longer has: {gone}"


def _allowed(rule: set[str] | str, who: str) -> bool:
    return rule == PUBLIC or (isinstance(rule, set) and who in rule)


@pytest.mark.parametrize("who", LOGGED_IN)
def test_each_role_gets_exactly_its_routes_and_refusals_show_no_personal_data(
    world: World, client_for: ClientFactory, who: str
) -> None:
    ids, secrets = _prepare(world)
    client = client_for(world, who)
    wrong: dict[str, int] = {}
    leaks: dict[str, list[str]] = {}
    for path in get_routes(world.url):
        response = client.get(_url(path, ids), follow_redirects=False)
        rule = EXPECTED.get(path, set())
        if _allowed(rule, who):
            ok = {303} if path in REDIRECTS else {200, 204} if rule == PUBLIC else {200}
        else:
            ok = {403}
            found = [s for s in secrets if s in response.text]
            if found:
                leaks[path] = found
        if response.status_code not in ok:
            wrong[path] = response.status_code
    assert wrong == {}, f"{who}: unexpected status per route"
    assert leaks == {}, f"{who}: personal data in a refusal"


def test_anonymous_visitors_are_sent_to_login_and_see_nothing(
    world: World, client_for: ClientFactory
) -> None:
    ids, secrets = _prepare(world)
    client: TestClient = client_for(world)
    for path in get_routes(world.url):
        url = _url(path, ids)
        response = client.get(url, follow_redirects=False)
        if EXPECTED.get(path) == PUBLIC:
            assert response.status_code in (200, 204), path
            continue
        if path.startswith("/api/") and path != "/api/docs":
            assert response.status_code == 401, path
        else:
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next="), path
        assert not [s for s in secrets if s in response.text], path


# --- POST routes (issue 22): every write has a row, and every refused role gets 403 ---------

EXPECTED_POST: dict[str, set[str] | str] = {
    "/login": PUBLIC,
    "/login/code": PUBLIC,
    "/login/instellen": PUBLIC,
    "/login/nieuw-wachtwoord": PUBLIC,
    "/account/wachtwoord": set(LOGGED_IN),
    "/account/tweestapsverificatie": set(LOGGED_IN),
    "/account/tweestapsverificatie/uit": set(LOGGED_IN),
    "/account/herstelcodes": set(LOGGED_IN),
    "/wachtwoord-herstellen/{token}": PUBLIC,
    "/beheer/herstellink/{user_id}": {BEHEER},
    "/beheer/rollen/{user_id}": {BEHEER},
    "/beheer/rollen/verzoek/{change_id}/{decision}": {BEHEER},
    "/noodtoegang/{candidate_id}": CASE_ANY_TEAM,
    "/team/noodtoegang/gezien": {TL},
    "/logout": set(LOGGED_IN),
    "/kandidaten/nieuw": CASE_ANY_TEAM,
    "/kandidaten/{candidate_id}/{name}": CASE,
    "/kandidaten/{candidate_id}/{name}/{object_id}": CASE,
    "/kandidaten/{candidate_id}/correctie/{object_type}/{object_id}": CASE,
    "/kandidaten/{candidate_id}/correctie/{object_type}/{object_id}/verwijderen": CASE,
    "/kandidaten/{candidate_id}/correctie/route/{route_id}/uitstroom-ongedaan": CASE,
    "/kandidaten/{candidate_id}/voorziening-kiezen/{route_id}": CASE,
    "/api/candidates": CASE_ANY_TEAM,
    "/api/candidates/{candidate_id}/records/{object_type}/{object_id}/delete": CASE,
    "/api/candidates/{candidate_id}/routes/{route_id}/undo-exit": CASE,
    "/api/candidates/{candidate_id}/steps/{name}": CASE,
    "/api/candidates/{candidate_id}/steps/{name}/{object_id}": CASE,
    "/team/overdragen": {TL},
    "/caseload/overdragen": {TL},
    "/matching/{referral_id}/{action}": {AM},
    "/werkgevers/nieuw": {AM},
    "/werkgevers/{employer_id}/bewerken": {AM},
    "/vacatures/nieuw": {AM},
    "/vacatures/{vacancy_id}/bewerken": {AM},
    "/vacatures/{vacancy_id}/shortlist": {AM},
    "/vacatures/{vacancy_id}/voorstellen/{proposal_id}": {AM},
    "/beheer/gebruikers": {BEHEER},
    "/beheer/gebruikers/{user_id}/{action}": {BEHEER},
    "/beheer/teams": {BEHEER},
    "/beheer/gemeenten": {BEHEER},
    "/beheer/gemeenten/{municipality_id}": {BEHEER},
    "/beheer/gemeenten/{municipality_id}/formatie": {BEHEER},
    "/beheer/gemeenten/team/{team_id}": {BEHEER},
    "/beheer/gemeenten/gebruiker": {BEHEER},
    "/beheer/gemeenten/doelen": {BEHEER},
    "/beheer/instellingen": {BEHEER},
    "/kandidaten/{candidate_id}/afspraken": CASE,
    "/afspraken/{appointment_id}/{step}": CASE,
    "/kandidaten/{candidate_id}/berichtvoorkeur": CASE,
    "/kandidaten/{candidate_id}/notities": CASE,
    "/kandidaten/{candidate_id}/documenten": CASE,
    "/werklijst/{candidate_id}": CASE,
    "/beheer/berichten": {BEHEER},
}
POST_NAMES = {
    "name": "contact",
    "action": "uitschakelen",
    "object_id": "1",
    "proposal_id": "1",
    "step": "uitkomst",
    "change_id": "1",
    "decision": "goedkeuren",
    "municipality_id": "1",
    "team_id": "1",
}


def get_post_routes(url: str) -> list[str]:
    app = create_app(url, secret_key="test-secret", secure_cookies=False)
    paths = sorted({path for path, methods in _walk(app.routes) if "POST" in methods})
    app.state.engine.dispose()
    return paths


def _post_url(path: str, ids: Ids, world: World) -> str:
    values = {**POST_NAMES, **asdict(ids), "user_id": str(world.km_a_id)}
    if "{object_id}" in path:
        values["name"] = "nazorg"  # an action on an object, so the route gets to its checks
    return path.format(**values)


def test_every_post_route_is_in_the_matrix(database_url: str) -> None:
    routes = get_post_routes(database_url)
    assert [p for p in routes if p not in EXPECTED_POST] == [], "new POST routes: add them"
    assert sorted(set(EXPECTED_POST) - set(routes)) == []


@pytest.mark.parametrize("who", LOGGED_IN)
def test_each_refused_role_gets_403_on_every_post_route_and_no_personal_data(
    world: World, client_for: ClientFactory, who: str
) -> None:
    from web_support import session_csrf

    ids, secrets = _prepare(world)
    client = client_for(world, who)
    token = session_csrf(client)
    wrong: dict[str, int] = {}
    leaks: dict[str, list[str]] = {}
    for path in get_post_routes(world.url):
        if _allowed(EXPECTED_POST[path], who):
            continue
        url = _post_url(path, ids, world)
        if path.startswith("/api/"):
            response = client.post(url, json={}, headers={"X-CSRF-Token": token})
        else:
            response = client.post(url, data={"csrf_token": token}, follow_redirects=False)
        if response.status_code != 403:
            wrong[path] = response.status_code
        found = [s for s in secrets if s in response.text]
        if found:
            leaks[path] = found
    assert wrong == {}, f"{who}: POST routes not refused"
    assert leaks == {}, f"{who}: personal data in a refusal"
    # The refused role is still logged in (a refusal does not end the session).
    assert client.get("/api/docs").status_code == 200
