"""A user limited to one municipality sees that municipality's figures and lists only: not by
swapping the municipality id in a link, not by leaving it out, not through the effects page.
Staff of the service choose a municipality on the dashboard; one municipality shows no choice."""

from __future__ import annotations

from datetime import date

import pytest
from dashboard_support import REF, DashWorld, extend, list_rows
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import ClientFactory, World, login

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Candidate, Municipality


@pytest.fixture
def places(world_sqlite: World) -> tuple[DashWorld, int, int]:
    """The dashboard world as a service of Hillegom (everybody) and Lisse (the two team-B
    candidates whose routes stopped), with an analist limited to Lisse."""
    dash = extend(world_sqlite)
    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        hillegom = s.scalar(select(Municipality).where(Municipality.is_default.is_(True)))
        assert hillegom is not None
        hillegom.name, hillegom.cbs_code = "Hillegom", "0534"
        lisse = Municipality(name="Lisse", cbs_code="0553")
        s.add(lisse)
        s.flush()
        for candidate_id in dash.stopped_b:
            person = s.get(Candidate, candidate_id)
            assert person is not None
            f.make_dossier(s, person, opened_on=date(2018, 1, 1), municipality_id=lisse.id)
        f.make_user(s, "ANALIST", None, username="an_lisse", municipality_id=lisse.id)
        ids = (hillegom.id, lisse.id)
    engine.dispose()
    return dash, *ids


def _client(dash: DashWorld, client_for: ClientFactory, username: str) -> TestClient:
    client = client_for(dash.world)
    login(client, username)
    client.app.state.suppression_threshold = 1  # type: ignore[attr-defined]
    return client


def _stopped(client: TestClient, extra: str = "") -> TestClient:
    return client.get(
        f"/dashboard/lijst?peildatum={REF}&kpi=route_end_reasons&groep=STOPPED{extra}"
    )


def test_a_scoped_analist_sees_only_the_lists_of_their_municipality(
    places: tuple[DashWorld, int, int], client_for: ClientFactory
) -> None:
    dash, _, lisse = places
    client = _client(dash, client_for, "an_lisse")
    own = _stopped(client)
    assert own.status_code == 200 and list_rows(own.text) == 2
    assert _stopped(client, f"&gemeente={lisse}").status_code == 200


TAMPERED = [
    "&gemeente={hillegom}",
    "&gemeente=",
    "&gemeente=999",
    "&gemeente=abc",
    "&gemeente={hillegom}&gemeente={lisse}",
]


@pytest.mark.parametrize("tampered", TAMPERED)
def test_a_scoped_analist_cannot_open_another_municipality_by_changing_the_link(
    places: tuple[DashWorld, int, int], client_for: ClientFactory, tampered: str
) -> None:
    dash, hillegom, lisse = places
    client = _client(dash, client_for, "an_lisse")
    extra = tampered.format(hillegom=hillegom, lisse=lisse)
    page = client.get(f"/dashboard?peildatum={REF}{extra}")
    listed = _stopped(client, extra)
    if extra in ("&gemeente=",):  # an empty choice is no choice: the own municipality
        assert page.status_code == 200 and "gemeente Lisse" in page.text
        assert list_rows(listed.text) == 2
    else:
        assert page.status_code == 403 and listed.status_code == 403
        assert "Hillegom" not in page.text


def test_a_scoped_analist_has_no_service_wide_effect_estimates(
    places: tuple[DashWorld, int, int], client_for: ClientFactory
) -> None:
    dash, _, _ = places
    client = _client(dash, client_for, "an_lisse")
    assert client.get("/effectmeting").status_code == 403


def test_the_dashboard_of_a_scoped_analist_names_their_municipality_and_offers_no_choice(
    places: tuple[DashWorld, int, int], client_for: ClientFactory
) -> None:
    dash, _, _ = places
    html = _client(dash, client_for, "an_lisse").get(f"/dashboard?peildatum={REF}").text
    assert "gemeente Lisse" in html
    assert 'id="gemeente"' not in html and "Hele dienst" not in html


def test_staff_of_the_service_choose_a_municipality_and_its_lists_follow(
    places: tuple[DashWorld, int, int], client_for: ClientFactory
) -> None:
    dash, hillegom, lisse = places
    client = _client(dash, client_for, "analist")
    html = client.get(f"/dashboard?peildatum={REF}").text
    assert 'id="gemeente"' in html and "Hele dienst" in html
    assert list_rows(_stopped(client).text) == 2  # the service
    assert list_rows(_stopped(client, f"&gemeente={lisse}").text) == 2
    hillegom_list = _stopped(client, f"&gemeente={hillegom}")
    assert list_rows(hillegom_list.text) == 0
    chosen = client.get(f"/dashboard?peildatum={REF}&gemeente={lisse}").text
    assert f"gemeente={lisse}" in chosen  # drill-down links keep the municipality


def test_a_single_municipality_dashboard_has_no_municipality_choice(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    extend(world_sqlite)
    client = client_for(world_sqlite, "analist")
    html = client.get(f"/dashboard?peildatum={REF}").text
    assert 'id="gemeente"' not in html and "Hele dienst" not in html
