"""The SQL of the hot pages (caseload, candidate file) against a checked-in snapshot: a fixed,
small number of statements, the same on both backends, whatever the size of the caseload."""

from __future__ import annotations

from datetime import date

import pytest
from sql_snapshot import assert_matches_snapshot, recorded_sql
from sqlalchemy import Engine
from web_support import ClientFactory, World

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Team, User


def _more_candidates(url: str, n: int) -> None:
    """``n`` more candidates of km_a, each with an assessment, a route and a contact."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        km = s.query(User).filter_by(username="km_a").one()
        team = s.get(Team, km.team_id)
        for i in range(n):
            c = f.make_candidate(s, team, km, last_name=f"Extra {i}")
            f.make_assessment(s, c)
            f.make_benefit_spell(s, c)
            f.make_route(s, c)
            f.make_contact(s, c, km, contact_date=date(2024, 1, 2))
    engine.dispose()


def _page_sql(client: object, engine: Engine, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # type: ignore[attr-defined]  # warm caches
    with recorded_sql(engine) as shapes:
        assert client.get(path).status_code == 200  # type: ignore[attr-defined]
    return shapes


@pytest.mark.parametrize(
    ("who", "snapshot"), [("km", "caseload_klantmanager"), ("tl", "caseload_teamleider")]
)
def test_the_caseload_runs_the_snapshot_sql_whatever_its_size(
    world: World, client_for: ClientFactory, who: str, snapshot: str
) -> None:
    client = client_for(world, who)
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    small = _page_sql(client, engine, "/caseload")
    _more_candidates(world.url, 12)
    large = _page_sql(client, engine, "/caseload")
    assert large == small
    assert_matches_snapshot(snapshot, small)


def test_the_candidate_file_runs_the_snapshot_sql(world: World, client_for: ClientFactory) -> None:
    client = client_for(world, "km")
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    shapes = _page_sql(client, engine, f"/kandidaten/{world.full_candidate}")
    assert_matches_snapshot("candidate_file", shapes)
