"""Helpers for the web tests: a small populated municipality, login, CSRF and query counts."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, update

import factories as f
from werkpad.services.second_factor import enrol_with_secret
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Candidate, User, UserCredential

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_SECRET = re.compile(r'class="totp-secret"><code>([A-Z2-7 ]+)</code>')


@dataclass(frozen=True)
class World:
    """Ids of a small municipality: two teams, one user per role, candidates in both teams."""

    url: str
    users: dict[str, str]  # key -> username
    team_a_candidates: list[int]
    team_b_candidate: int
    full_candidate: int
    km_a_id: int
    km_a2_id: int


def build_world(url: str) -> World:
    engine = make_engine(url)
    factory = session_factory(engine)
    with transaction(factory) as s:
        team_a = f.make_team(s, name="Team Centrum")
        team_b = f.make_team(s, name="Team Escamp")
        km_a = f.make_user(s, "KLANTMANAGER", team_a, username="km_a", full_name="Karin Klant")
        km_a2 = f.make_user(s, "KLANTMANAGER", team_a, username="km_a2", full_name="Kees Klant")
        km_b = f.make_user(s, "KLANTMANAGER", team_b, username="km_b", full_name="Bert Beek")
        f.make_user(s, "TEAMLEIDER", team_a, username="tl_a", full_name="Tineke Leider")
        f.make_user(s, "ACCOUNTMANAGER", None, username="am", full_name="Ahmed Account")
        analist = f.make_user(s, "ANALIST", None, username="analist", full_name="Anna Liste")
        beheer = f.make_user(s, "BEHEERDER", None, username="beheer", full_name="Bea Heer")
        # Their roles sign in with a second factor (issue 15): enrolled with a known secret.
        for user in (analist, beheer):
            enrol_with_secret(s, user, totp_secret_for(user.username))
        f.make_user(s, "KLANTMANAGER", team_a, username="inactief", active=False)
        full = f.make_full_candidate(s, team_a, km_a)
        team_a_ids = [full.id]
        for i in range(3):
            c = f.make_candidate(s, team_a, km_a, first_name="Sanne", last_name=f"Zwart {i}")
            f.make_assessment(s, c, segment="DH_A", ladder_step=5)
            f.make_benefit_spell(s, c)
            team_a_ids.append(c.id)
        other = f.make_candidate(s, team_a, km_a2, first_name="Omar", last_name="Olij")
        f.make_route(s, other)
        f.make_contact(s, other, km_a2, contact_date=date(2024, 1, 1))
        team_a_ids.append(other.id)
        stranger = f.make_candidate(s, team_b, km_b, first_name="Vreemd", last_name="Persoon")
        f.make_benefit_spell(s, stranger)
        # The partner in the full candidate's dossier belongs to team A as well.
        team_a_ids = list(
            s.scalars(
                select(Candidate.id).where(Candidate.team_id == team_a.id).order_by(Candidate.id)
            )
        )
        result = World(
            url=url,
            users={
                "km": "km_a",
                "km2": "km_a2",
                "km_b": "km_b",
                "tl": "tl_a",
                "am": "am",
                "analist": "analist",
                "beheer": "beheer",
            },
            team_a_candidates=team_a_ids,
            team_b_candidate=stranger.id,
            full_candidate=full.id,
            km_a_id=km_a.id,
            km_a2_id=km_a2.id,
        )
    engine.dispose()
    return result


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def totp_secret_for(username: str) -> str:
    """The TOTP secret the test world gives a user with a second factor."""
    return base64.b32encode(hashlib.sha256(username.encode()).digest()[:20]).decode()


_LAST_STEP: dict[tuple[str, str], int] = {}
# Secrets the login helper set up itself (a user whose role required a second factor and who
# had none, e.g. a synthetic municipality's analist), per database and username.
_ENROLLED: dict[tuple[str, str], str] = {}


def _database_of(client: TestClient) -> str:
    return str(client.app.state.engine.url)  # type: ignore[attr-defined]


def fresh_code(client: TestClient, secret: str) -> str:
    """A TOTP code the server has not seen for this secret yet (a code works once: a second
    login within the same 30 seconds takes the next step's code, inside the drift window)."""
    key = (str(client.app.state.engine.url), secret)  # type: ignore[attr-defined]
    step = max(int(time.time()) // 30, _LAST_STEP.get(key, -1) + 1)
    _LAST_STEP[key] = step
    return pyotp.TOTP(secret).at(step * 30)


def login_code(client: TestClient, username: str, secret: str) -> str:
    """The current TOTP code for a login of ``username``. A code works once per 30-second step,
    and tests log the same user in many times a minute: the user's last accepted step is
    forgotten first, as if the next step had come (the replay rule itself is tested apart, in
    test_web_second_factor, without this helper)."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(
            update(UserCredential)
            .where(
                UserCredential.user_id
                == select(User.id).where(User.username == username).scalar_subquery()
            )
            .values(totp_last_step=None)
        )
    return pyotp.TOTP(secret).now()


def login(client: TestClient, username: str, password: str = f.DEFAULT_PASSWORD) -> str:
    """Log in through the form, with the second factor when the account has one (or set one
    up when its role requires it); returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    if response.headers["location"] == "/login/instellen":
        page = client.get("/login/instellen").text
        match = _SECRET.search(page)
        assert match, "enrolment page shows no secret"
        secret = match.group(1).replace(" ", "")
        _ENROLLED[(_database_of(client), username)] = secret
        response = client.post(
            "/login/instellen",
            data={"code": fresh_code(client, secret), "csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        assert response.status_code == 200, response.text
    elif response.headers["location"] == "/login/code":
        page = client.get("/login/code").text
        response = client.post(
            "/login/code",
            data={
                "code": login_code(
                    client,
                    username,
                    _ENROLLED.get((_database_of(client), username), totp_secret_for(username)),
                ),
                "csrf_token": csrf_of(page),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    return session_csrf(client)


def session_csrf(client: TestClient) -> str:
    """The CSRF token of the logged-in session (read from a page's logout form)."""
    page = client.get("/api/docs")
    assert page.status_code == 200
    return csrf_of(page.text)


ClientFactory = Callable[..., TestClient]


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements run on ``engine`` inside the block."""
    statements: list[str] = []

    def listener(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
