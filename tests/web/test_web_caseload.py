"""The caseload page: scoping, search, filters, paging and a bounded number of queries."""

from __future__ import annotations

import re
from datetime import date

from web_support import ClientFactory, World, count_queries

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction


def _linked_ids(html: str) -> list[int]:
    return [
        int(i) for i in re.findall(r'<a class="candidate-link" href="/kandidaten/(\d+)">', html)
    ]


def test_klantmanager_sees_own_candidates_by_default_and_the_team_on_request(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    own = client.get("/caseload").text
    assert "<h1>Caseload</h1>" in own
    assert "Mijn caseload" in own
    team_a = set(world_sqlite.team_a_candidates)
    assert set(_linked_ids(own)) < team_a
    team = client.get("/caseload?klantmanager=alle").text
    assert "Caseload team" in team
    assert set(_linked_ids(team)) == team_a


def test_candidates_who_left_are_hidden_by_default_and_found_with_status_alle(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        from sqlalchemy import select

        from werkpad.store.models import Team, User

        team = s.scalars(select(Team).where(Team.name == "Team Centrum")).one()
        km = s.scalars(select(User).where(User.username == "km_a")).one()
        gone = f.make_candidate(s, team, km, first_name="Uit", last_name="Gestroomd")
        f.make_benefit_spell(s, gone, end_date=date(2019, 6, 30), end_reason="WORK")
        gone_id = gone.id
    engine.dispose()
    client = client_for(world_sqlite, "km")
    assert gone_id not in _linked_ids(client.get("/caseload").text)
    assert gone_id in _linked_ids(client.get("/caseload?status=alle").text)


def test_teamleider_filters_on_klantmanager(world_sqlite: World, client_for: ClientFactory) -> None:
    client = client_for(world_sqlite, "tl")
    all_ids = _linked_ids(client.get("/caseload").text)
    assert set(all_ids) == set(world_sqlite.team_a_candidates)
    second = _linked_ids(client.get(f"/caseload?klantmanager={world_sqlite.km_a2_id}").text)
    assert len(second) == 1


def test_caseload_search_by_name_and_by_bsn(world_sqlite: World, client_for: ClientFactory) -> None:
    client = client_for(world_sqlite, "tl")
    by_name = client.get("/caseload?q=zwart").text
    assert len(_linked_ids(by_name)) == 3
    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        from werkpad.store.models import Candidate

        bsn = s.get(Candidate, world_sqlite.full_candidate).bsn  # type: ignore[union-attr]
    engine.dispose()
    assert _linked_ids(client.get(f"/caseload?q={bsn}").text) == [world_sqlite.full_candidate]
    assert bsn not in client.get(f"/caseload?q={bsn}").text.split('<table class="data">')[1]


def test_search_results_come_before_the_worklist(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    plain = client.get("/caseload").text
    assert 'id="werklijst"' in plain
    assert plain.index('id="werklijst"') < plain.index('role="search"')
    name = re.findall(r'<a class="candidate-link" href="/kandidaten/\d+">([^<]+)</a>', plain)[0]
    searched = client.get("/caseload", params={"q": name, "status": "alle"}).text
    assert 'id="werklijst"' in searched
    assert searched.index('class="candidate-link"') < searched.index('id="werklijst"')


def test_caseload_filters_segment_trede_and_open_route(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "tl")
    assert len(_linked_ids(client.get("/caseload?segment=DH_A").text)) == 3
    assert _linked_ids(client.get("/caseload?trede=4").text) == [world_sqlite.full_candidate]
    open_route = _linked_ids(client.get("/caseload?route=open").text)
    assert len(open_route) == 1 and open_route != [world_sqlite.full_candidate]
    without = _linked_ids(client.get("/caseload?route=geen").text)
    assert world_sqlite.full_candidate in without and len(without) == 5


def test_caseload_rows_show_dutch_labels(world_sqlite: World, client_for: ClientFactory) -> None:
    html = client_for(world_sqlite, "tl").get("/caseload?segment=DH_A").text
    assert "A: op korte termijn aan het werk" in html
    assert "Karin Klant" in html


def _add_candidates(url: str, count: int) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        from sqlalchemy import select

        from werkpad.store.models import Team, User

        team = s.scalars(select(Team).where(Team.name == "Team Centrum")).one()
        km = s.scalars(select(User).where(User.username == "km_a")).one()
        for _ in range(count):
            c = f.make_candidate(s, team, km)
            f.make_assessment(s, c)
            f.make_route(s, c)
            f.make_contact(s, c, km)
    engine.dispose()


def test_caseload_query_count_does_not_grow_with_page_size(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    _add_candidates(world_sqlite.url, 60)
    client = client_for(world_sqlite, "tl")
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = {}
    for size in (5, 50):
        with count_queries(engine) as statements:
            html = client.get(f"/caseload?page_size={size}").text
        assert len(_linked_ids(html)) == size
        counts[size] = len(statements)
    assert counts[5] == counts[50]
    # user, count, page, team klantmanagers, plus the worklist: settings and one query per
    # kind of fact (contacts, routes, provisions, referrals, exemptions, ...)
    assert counts[50] <= 16


def test_caseload_pages(world_sqlite: World, client_for: ClientFactory) -> None:
    _add_candidates(world_sqlite.url, 30)
    client = client_for(world_sqlite, "tl")
    first = client.get("/caseload").text
    assert "Pagina 1 van 2" in first
    second = client.get("/caseload?page=2").text
    assert not set(_linked_ids(first)) & set(_linked_ids(second))
    assert len(_linked_ids(first)) + len(_linked_ids(second)) == 36
