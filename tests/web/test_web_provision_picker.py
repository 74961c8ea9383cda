"""The provision picker of the candidate file: search narrows, phases group, uptake orders,
picking adds the provision to the route, bad input gets a Dutch message (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Provision


def _catalogue(url: str, candidate_id: int) -> dict[str, int]:
    engine = make_engine(url)
    today = date.today()
    with transaction(session_factory(engine)) as s:
        candidate = s.get(f.Candidate, candidate_id)
        assert candidate is not None
        route = f.make_route(s, candidate, start_date=today - timedelta(days=300))
        busy = f.make_provision_type(s, name="Zoekterm Drukke Training", phase="DEVELOP")
        quiet = f.make_provision_type(s, name="Zoekterm Rustige Training", phase="DEVELOP")
        diag = f.make_provision_type(s, name="Zoekterm Diagnose", phase="DIAGNOSE")
        f.make_provision_type(s, name="Iets Anders", phase="DEVELOP")
        s.flush()
        for _ in range(2):
            s.add(
                Provision(
                    route_id=route.id,
                    provision_type_id=busy.id,
                    planned_start=today - timedelta(days=40),
                    start_date=today - timedelta(days=30),
                    state="STARTED",
                )
            )
        ids = {"route": route.id, "busy": busy.id, "quiet": quiet.id, "diag": diag.id}
    engine.dispose()
    return ids


def test_klantmanager_searches_the_catalogue_by_phase_and_picks_a_provision(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    ids = _catalogue(world.url, cid)
    km = client_for(world, "km")
    url = f"/kandidaten/{cid}/voorziening-kiezen/{ids['route']}"
    page = km.get(url, params={"q": "zoekterm"})
    assert page.status_code == 200
    html = page.text
    assert "Iets Anders" not in html  # the search narrows
    assert "3 voorzieningen" in html
    assert "gebruik in de afgelopen 12 maanden" in html  # the sort key is stated
    # Phases by their Dutch names in phase order, most used first within a phase.
    assert html.index("Zoekterm Diagnose") < html.index("Zoekterm Drukke Training")
    assert html.index("Zoekterm Drukke Training") < html.index("Zoekterm Rustige Training")
    assert "DEVELOP" not in html and "onbekend" in html
    assert ">10<" in html  # median wait of the busy type: 10 days
    token = session_csrf(km)
    chosen = km.get(url, params={"kies": ids["quiet"]})
    assert "Gekozen: Zoekterm Rustige Training" in chosen.text
    bad = km.post(
        url,
        data={
            "csrf_token": token,
            "provision_type_id": str(ids["quiet"]),
            "start_date": "gisteren",
        },
    )
    assert bad.status_code == 422
    assert "Startdatum" in bad.text and "Gekozen: Zoekterm Rustige Training" in bad.text
    start = (date.today() - timedelta(days=1)).isoformat()
    done = km.post(
        url,
        data={"csrf_token": token, "provision_type_id": str(ids["quiet"]), "start_date": start},
        follow_redirects=False,
    )
    assert done.status_code == 303
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        added = s.scalars(
            select(Provision).where(
                Provision.route_id == ids["route"], Provision.provision_type_id == ids["quiet"]
            )
        ).all()
    engine.dispose()
    assert len(added) == 1 and added[0].state == "STARTED"
    assert "Zoekterm Rustige Training" in km.get(f"/kandidaten/{cid}").text


def test_provision_picker_is_for_case_roles_and_unknown_routes_are_not_found(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    ids = _catalogue(world.url, cid)
    url = f"/kandidaten/{cid}/voorziening-kiezen/{ids['route']}"
    assert client_for(world, "am").get(url).status_code == 403
    km = client_for(world, "km")
    assert km.get(f"/kandidaten/{cid}/voorziening-kiezen/999999").status_code == 404
    assert km.get(url, params={"kies": "999999"}).status_code == 404
