"""The candidate file: every part of the chain, masked BSN, Dutch labels, bounded queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from web_support import ClientFactory, World, count_queries

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Candidate, Team, User


def test_candidate_file_shows_the_whole_chain(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    html = client_for(world_sqlite, "km").get(f"/kandidaten/{world_sqlite.full_candidate}").text
    assert "<h1>Kandidaat " in html
    for fragment in (
        "Bijstand (Participatiewet)",  # benefit spell
        "Partner:",  # dossier with partner
        "C: binnen 18 maanden werk met arbeidsbeperking",  # segmentation history, oldest kept
        "B: binnen 18 maanden werk met ondersteuning",
        "Tijdelijke ontheffing om dringende redenen",  # exemption
        "Werk binnen 12 maanden",  # route type
        "PS2",  # provision GOS code
        "Re-integratiebedrijf",  # provider
        "€ 1.250,00",  # provision cost
        "Afgerond volgens plan",  # provision result
        "Voortgangsgesprek",  # contact
        "Reguliere (fulltime) baan",  # placement job type
        "loonwaarde 60%",  # LKS instrument
        "Uitstroom naar (parttime) baan",  # exit with its Dutch end-reason label
    ):
        assert fragment in html, fragment


def test_candidate_file_masks_the_bsn_except_the_last_three_digits(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    engine = make_engine(world_sqlite.url)
    with session_factory(engine)() as s:
        bsn = s.get(Candidate, world_sqlite.full_candidate).bsn  # type: ignore[union-attr]
    engine.dispose()
    client = client_for(world_sqlite, "km")
    html = client.get(f"/kandidaten/{world_sqlite.full_candidate}").text
    api = client.get(f"/api/candidates/{world_sqlite.full_candidate}").text
    assert f"******{bsn[-3:]}" in html
    assert bsn not in html
    assert bsn not in api


def _candidate_with_routes(url: str, routes: int) -> int:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        team = s.scalars(select(Team).where(Team.name == "Team Centrum")).one()
        km = s.scalars(select(User).where(User.username == "km_a")).one()
        c = f.make_candidate(s, team, km)
        f.make_benefit_spell(s, c)
        for i in range(routes):
            route = f.make_route(s, c, start_date=date(2019 + i, 1, 1))
            for _ in range(3):
                f.make_provision(s, route, provider=f.make_provider(s))
            f.make_contact(s, c, km)
            f.make_assessment(s, c)
            f.make_placement(s, c, route, f.make_employer(s))
        candidate_id = c.id
    engine.dispose()
    return candidate_id


def test_candidate_file_query_count_does_not_grow_with_the_file(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    small = _candidate_with_routes(world_sqlite.url, 1)
    large = _candidate_with_routes(world_sqlite.url, 6)
    client = client_for(world_sqlite, "km")
    engine = client.app.state.engine  # type: ignore[attr-defined]
    # The first view reads the forms' choice lists; later ones take them from the cache.
    assert client.get(f"/kandidaten/{small}").status_code == 200
    counts = []
    for candidate_id in (small, large):
        with count_queries(engine) as statements:
            assert client.get(f"/kandidaten/{candidate_id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    # person, file parts, plus the forms: configuration, the choice lists' fingerprint,
    # plans, referrals and follow-ups (each one query, whatever the size of the file); issue 16
    # adds appointments, the e-mail preference, notes and documents (one query each)
    assert counts[1] <= 28
