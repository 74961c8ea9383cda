"""Issue 22, finding 8: no HTTP 500 for an id or page number the database cannot hold (beyond
32 bits on PostgreSQL, 64 on SQLite), on any route; a follow-up of another candidate is 404.

Every route with a path parameter is enumerated from the app (a new route is covered without
editing this file) and called by every role that may use it, with each id out of range.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from test_web_role_matrix import _walk
from web_support import World, login, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Candidate, FollowUp
from werkpad.web.app import create_app

TOO_BIG = ["2147483648", "9223372036854775808", "18446744073709551616", "1" + "0" * 30]
# Values for the path parameters that are not ids (a valid one, so the id is what is tested).
NAMES = {
    "/kandidaten/{candidate_id}/{name}": "contact",
    "/kandidaten/{candidate_id}/{name}/{object_id}": "nazorg",
    "/api/candidates/{candidate_id}/steps/{name}": "contact",
    "/api/candidates/{candidate_id}/steps/{name}/{object_id}": "nazorg",
    "/beheer/gebruikers/{user_id}/{action}": "uitschakelen",
    "/matching/{referral_id}/{action}": "oppakken",
}
WHO = ("km", "tl", "am", "beheer")
QUERIES = [
    "/caseload?page={n}",
    "/caseload?trede={n}",
    "/caseload?klantmanager={n}",
    "/api/candidates?page={n}",
    "/api/candidates?page_size={n}",
    "/api/routes?candidate_id={n}",
    "/beheer/audit?page={n}",
    "/beheer/audit?kandidaat={n}",
    "/dashboard/lijst?kpi=route_end_reasons&groep=STOPPED&periode={n}",
    "/vacatures/nieuw?werkgever={n}",
]


def _routes(url: str) -> list[tuple[str, str]]:
    app = create_app(url, secret_key="k", secure_cookies=False)
    routes = sorted(
        (method, path)
        for path, methods in _walk(app.routes)
        for method in methods
        if "{" in path and method in ("GET", "POST")
    )
    app.state.engine.dispose()
    return routes


def _client(world: World, who: str) -> tuple[TestClient, str]:
    app = create_app(world.url, secret_key="k", secure_cookies=False)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    login(client, world.users[who])
    return client, session_csrf(client)


def _urls(path: str, world: World) -> list[str]:
    """The path with each id parameter in turn out of range (the others valid)."""
    params = re.findall(r"{(\w+)}", path)
    ids = [p for p in params if p.endswith("_id")]
    valid = {p: NAMES.get(path, "x") for p in params if p not in ids}
    valid.update({p: str(world.full_candidate) for p in ids})
    return [path.format(**{**valid, target: big}) for target in ids for big in TOO_BIG]


def test_out_of_range_ids_in_any_path_give_404_not_500(world: World) -> None:
    routes = _routes(world.url)
    assert len(routes) >= 14
    errors: dict[str, int] = {}
    for who in WHO:
        client, token = _client(world, who)
        for method, path in routes:
            for url in _urls(path, world):
                if method == "GET":
                    response = client.get(url, follow_redirects=False)
                elif path.startswith("/api/"):
                    response = client.post(url, json={}, headers={"X-CSRF-Token": token})
                else:
                    response = client.post(url, data={"csrf_token": token}, follow_redirects=False)
                if response.status_code >= 500 or (
                    response.status_code not in (403, 404) and who in ("km", "tl")
                ):
                    errors[f"{who} {method} {url}"] = response.status_code
        client.__exit__(None, None, None)
        client.app.state.engine.dispose()  # type: ignore[attr-defined]
    assert errors == {}


@pytest.mark.parametrize("query", QUERIES)
def test_out_of_range_numbers_in_query_strings_are_answered_without_a_500(
    world: World, query: str
) -> None:
    who = "beheer" if query.startswith("/beheer") else "analist" if "lijst" in query else "km"
    if query.startswith("/vacatures"):
        who = "am"
    client, _ = _client(world, who)
    statuses = {big: client.get(query.format(n=big)).status_code for big in TOO_BIG}
    client.__exit__(None, None, None)
    client.app.state.engine.dispose()  # type: ignore[attr-defined]
    assert all(status < 500 for status in statuses.values()), statuses


def test_a_follow_up_of_another_candidate_is_404_and_changes_nothing(world: World) -> None:
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        full = s.get(Candidate, world.full_candidate)
        other = s.get(Candidate, world.team_a_candidates[-1])
        assert full and other and other.id != full.id
        placement = f.make_placement(s, other, start_date=date(2023, 1, 1))
        follow_up = FollowUp(placement_id=placement.id, months=6, due_date=date(2023, 7, 1))
        s.add(follow_up)
        s.flush()
        fid = follow_up.id
    client, token = _client(world, "km")
    form = {"csrf_token": token, "still_working": "ja", "done_on": "2023-07-02"}
    page = client.post(f"/kandidaten/{world.full_candidate}/nazorg/{fid}", data=form)
    api = client.post(
        f"/api/candidates/{world.full_candidate}/steps/nazorg/{fid}",
        json={"still_working": "ja"},
        headers={"X-CSRF-Token": token},
    )
    client.__exit__(None, None, None)
    client.app.state.engine.dispose()  # type: ignore[attr-defined]
    assert (page.status_code, api.status_code) == (404, 404)
    with session_factory(engine)() as s:
        done = s.scalar(select(func.count()).where(FollowUp.done_on.is_not(None)))
    engine.dispose()
    assert done == 0
