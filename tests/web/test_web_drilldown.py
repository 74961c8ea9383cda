"""Drill-down from a dashboard figure to the routes behind it, per role."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from dashboard_support import REF, DashWorld, drill_links, extend, list_rows, list_total
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import ClientFactory, World

from werkpad.store.db import make_engine
from werkpad.store.models import AuditEntry, Candidate

DRILLED_KPIS = {"reach", "route_end_reasons", "dropout_by_benefit_duration", "durability"}


@pytest.fixture
def dash(world_sqlite: World) -> DashWorld:
    return extend(world_sqlite)


def _analyst(dash: DashWorld, client_for: ClientFactory) -> TestClient:
    client = client_for(dash.world, "analist")
    client.app.state.suppression_threshold = 1  # type: ignore[attr-defined]
    return client


def _list_url(dash: DashWorld, kpi: str, **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return f"/dashboard/lijst?peildatum={REF}&kpi={kpi}&{query}"


def test_every_analyst_drill_list_matches_the_figure_it_came_from(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = _analyst(dash, client_for)
    links = drill_links(client.get(f"/dashboard?peildatum={REF}").text)
    assert {parse_qs(urlsplit(href).query)["kpi"][0] for href, _ in links} == DRILLED_KPIS
    for href, count in links:
        page = client.get(href)
        assert page.status_code == 200, href
        assert list_total(page.text) == count, href
        assert list_rows(page.text) == count, href


def test_analyst_list_is_pseudonymised(dash: DashWorld, client_for: ClientFactory) -> None:
    client = _analyst(dash, client_for)
    html = client.get(_list_url(dash, "route_end_reasons", groep="STOPPED")).text
    assert list_rows(html) == 2
    assert "Gepseudonimiseerd" in html
    engine = make_engine(dash.world.url)
    with engine.connect() as conn:
        people = conn.execute(
            select(Candidate.bsn, Candidate.first_name, Candidate.last_name, Candidate.birth_date)
        ).all()
    engine.dispose()
    for bsn, _first, last, birth in people:
        assert bsn not in html
        assert last not in html
        assert f"{birth:%d-%m-%Y}" not in html
    assert "Bram" not in html
    assert "/kandidaten/" not in html
    # Birth year, segment and team are there instead.
    assert re.search(r'<td class="num">19\d\d</td><td>A: op korte termijn', html)
    assert "Team Escamp" in html


def test_teamleider_list_holds_only_own_team_candidates_with_links_to_the_file(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = client_for(dash.world, "tl")  # teamleider of Team Centrum (team A)
    own = client.get(_list_url(dash, "route_end_reasons", groep="JOB")).text
    assert list_total(own) == 2
    assert list_rows(own) == 2
    assert own.count('class="candidate-link"') == 2
    other = client.get(_list_url(dash, "route_end_reasons", groep="STOPPED")).text
    assert list_total(other) == 2  # the figure, still an aggregate
    assert list_rows(other) == 0
    assert "Bram" not in other
    for candidate in dash.stopped_b:
        assert f"/kandidaten/{candidate}" not in other


def test_teamleider_list_with_own_team_filter_matches_every_figure(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = client_for(dash.world, "tl")
    page = client.get(f"/dashboard?peildatum={REF}&team={dash.team_a}").text
    links = drill_links(page)
    assert links
    for href, count in links:
        html = client.get(href).text
        assert list_rows(html) == count == list_total(html), href


def test_opening_a_file_from_the_list_is_audit_logged(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = client_for(dash.world, "km")
    html = client.get(_list_url(dash, "durability", periode="2020", groep="12")).text
    assert list_rows(html) == 2
    assert "<td>nee</td>" in html and "<td>ja</td>" in html  # the returner is not durable
    target = re.search(r'href="(/kandidaten/\d+)"', html)
    assert target
    engine = make_engine(dash.world.url)

    def reads() -> int:
        with engine.connect() as conn:
            return int(
                conn.scalar(
                    select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "READ")
                )
                or 0
            )

    before = reads()
    assert client.get(target.group(1)).status_code == 200
    assert reads() == before + 1
    engine.dispose()


@pytest.mark.parametrize("who", ["am", "beheer"])
def test_roles_without_list_rights_get_403_and_no_data(
    dash: DashWorld, client_for: ClientFactory, who: str
) -> None:
    response = client_for(dash.world, who).get(
        _list_url(dash, "route_end_reasons", groep="STOPPED")
    )
    assert response.status_code == 403
    assert "Achter dit cijfer" not in response.text
    assert "drill-row" not in response.text


def test_anonymous_visitor_is_sent_to_login(dash: DashWorld, client_for: ClientFactory) -> None:
    response = client_for(dash.world).get(
        _list_url(dash, "reach", periode="2019"), follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_unknown_figure_is_refused_with_a_message(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = _analyst(dash, client_for)
    response = client.get(_list_url(dash, "budget_vs_actual"))
    assert response.status_code == 400
    assert "geen lijst beschikbaar" in response.text
    assert client.get(_list_url(dash, "reach")).status_code == 400  # no year
    assert client.get(_list_url(dash, "reach", periode="twee")).status_code == 400


def test_list_follows_the_dashboard_filters(dash: DashWorld, client_for: ClientFactory) -> None:
    client = _analyst(dash, client_for)
    all_years = client.get(_list_url(dash, "route_end_reasons", groep="STOPPED")).text
    one_year = client.get(_list_url(dash, "route_end_reasons", groep="STOPPED", periode="2022"))
    in_2021 = client.get(_list_url(dash, "route_end_reasons", groep="STOPPED", van="2021",
                                   tot="2021"))  # fmt: skip
    team_a = client.get(
        _list_url(dash, "route_end_reasons", groep="STOPPED", team=str(dash.team_a))
    )
    assert list_rows(all_years) == 2
    assert list_rows(one_year.text) == 1
    assert list_rows(in_2021.text) == 1
    assert list_rows(team_a.text) == 0


def test_analyst_cannot_list_the_routes_behind_a_cell_under_the_threshold(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    """Issue 22, finding 2: the dashboard hides a cell of 2 routes; its list must not show them."""
    client = client_for(dash.world, "analist")  # the default threshold (10)
    page = client.get(_list_url(dash, "route_end_reasons", groep="STOPPED"))
    assert page.status_code == 403
    assert "minder dan 10" in page.text
    assert list_rows(page.text) == 0
    assert "Team Escamp" not in page.text and "2021" not in page.text


def test_case_roles_still_list_their_own_small_cells(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = client_for(dash.world, "km_b")
    page = client.get(_list_url(dash, "route_end_reasons", groep="STOPPED"))
    assert page.status_code == 200
    assert list_rows(page.text) == 2
