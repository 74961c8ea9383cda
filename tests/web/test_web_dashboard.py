"""The dashboard: KPI panels with definitions, filters that change the figures, small-cell
suppression per role, offline Plotly."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from dashboard_support import REF, DashWorld, drill_links, ended_total, extend, section
from fastapi.testclient import TestClient
from web_support import ClientFactory, World

from werkpad.analytics.definitions import success_definition
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import CostLine

PANELS = {
    "bereik": "reach",
    "redenen": "route_end_reasons",
    "regulier": "regular_job_share",
    "duurzaamheid": "durability",
    "uitval": "dropout_by_benefit_duration",
    "bestand": "caseload_net_change",
    "caseload": "caseload_per_fte",
    "kosten": "budget_vs_actual",
    "kosten-duurzaam": "net_cost_per_durable_exit",
    # The evaluators' recommendations (issue 18)
    "instroom-snelheid": "inflow_speed",
    "inwerkweek": "induction_week_uptake",
    "contactintensiteit": "contact_intensity",
    "contactintensiteit-team": "contact_intensity",
    "lks": "lks_placements",
    "participatie": "participation_outcomes",
    "granieten-bestand": "long_stay_caseload",
    "leefgebieden": "life_domains",
}


@pytest.fixture
def dash(world_sqlite: World) -> DashWorld:
    return extend(world_sqlite)


def _page(client: TestClient, query: str = "") -> str:
    response = client.get(f"/dashboard?peildatum={REF}{query}")
    assert response.status_code == 200
    return response.text


def test_every_panel_has_a_chart_and_its_definition_one_click_away(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    html = _page(client_for(dash.world, "analist"))
    assert "<h1>Dashboard</h1>" in html
    assert html.count('data-figure="') == len(PANELS)
    assert html.count('<details class="kpi-definition">') == len(PANELS)
    for key, kpi_id in PANELS.items():
        panel = section(html, key)
        # The stamp names the definition in words (no internal id like "reach v1").
        assert "(versie 1) · peildatum 31-01-2024" in panel
        assert f"Definitie {kpi_id} v1" not in panel and f"<code>{kpi_id}</code>" not in panel
        assert "<summary>Definitie</summary>" in panel
        assert "Succesdefinitie" in panel
    assert "Uitstroom naar (parttime) baan" in html
    assert '<script src="/static/plotly.min.js"></script>' in html
    assert not re.search(r"<script>(?!</script>)", html), "no inline scripts (CSP)"


def test_durability_says_which_success_definition_it_used_and_the_choice_changes_it(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = client_for(dash.world, "tl")
    twelve = section(_page(client), "duurzaamheid")
    six = section(_page(client, "&succes=DURABLE_6M"), "duurzaamheid")
    assert "succesdefinitie: Duurzaam: 12 maanden geen uitkering" in twelve
    assert "12 maanden (gekozen)" in twelve
    # Two job exits on 2020-01-01; one returned to benefit after nine months.
    assert "over alle jaren: 50,0%" in twelve
    assert "succesdefinitie: Duurzaam: 6 maanden geen uitkering" in six
    assert "6 maanden (gekozen)" in six
    assert "over alle jaren: 100,0%" in six
    assert "in de 6 maanden erna geen nieuwe uitkering" in six


def test_team_filter_changes_the_figures(dash: DashWorld, client_for: ClientFactory) -> None:
    client = client_for(dash.world, "tl")
    assert ended_total(_page(client)) == "4"
    team_a = _page(client, f"&team={dash.team_a}")
    team_b = _page(client, f"&team={dash.team_b}")
    assert ended_total(team_a) == "2"
    assert ended_total(team_b) == "2"
    stopped = r"<td>Route \(tussentijds\) gestopt</td><td class=\"num\">(<a [^>]+>)?2<"
    assert re.search(stopped, section(team_b, "redenen"))
    assert "team Team Escamp" in team_b
    # Dropout: both team-B routes stopped after more than 24 months on benefit.
    dropout = section(team_b, "uitval")
    assert re.search(r"<td>&gt; 24 maanden</td><td class=\"num\">2</td>", dropout)


def test_period_filter_keeps_only_routes_ended_in_it(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    client = client_for(dash.world, "tl")
    assert ended_total(_page(client, "&jaar=2021")) == "1"
    assert ended_total(_page(client, "&van=2019&tot=2020")) == "2"
    assert ended_total(_page(client, "&van=2021&tot=2023")) == "2"
    reach = section(_page(client, "&van=2021&tot=2022"), "bereik")
    assert "In de gekozen periode (2021–2022): 2 kandidaten, 2 routes" in reach
    assert "<td>2019</td>" not in reach


def test_segment_filter_uses_the_latest_segment(dash: DashWorld, client_for: ClientFactory) -> None:
    client = client_for(dash.world, "tl")
    # DH_A: the two team-B candidates with routes (and three without); DH_B: two job exits.
    assert ended_total(_page(client, "&segment=DH_A")) == "2"
    dh_b = _page(client, "&segment=DH_B")
    assert ended_total(dh_b) == "2"
    assert "segment B: binnen 18 maanden werk met ondersteuning" in dh_b


def test_invalid_filters_fall_back_with_dutch_messages(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    html = _page(
        client_for(dash.world, "tl"),
        "&van=2023&tot=2019&team=999&segment=XX&succes=ALTIJD",
    ).replace(f"peildatum={REF}", "")
    for message in (
        "Ongeldige periode",
        "Onbekend team",
        "Onbekend segment",
        "Onbekende succesdefinitie",
    ):
        assert message in html
    assert ended_total(html) == "4"
    bad_date = client_for(dash.world, "tl").get("/dashboard?peildatum=morgen").text
    assert "Ongeldige peildatum" in bad_date


def test_reference_date_leaves_later_events_out(dash: DashWorld, client_for: ClientFactory) -> None:
    client = client_for(dash.world, "tl")
    before = client.get("/dashboard?peildatum=2018-12-31").text
    assert "0 kandidaten, 0 routes" in section(before, "bereik")
    assert ended_total(before) == "0"
    assert ended_total(client.get("/dashboard?peildatum=2021-12-31").text) == "3"


def test_analyst_and_accountmanager_tables_hide_counts_under_ten_and_say_so(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    for who in ("analist", "am"):
        html = _page(client_for(dash.world, who))
        reasons = section(html, "redenen")
        assert "&lt;10" in reasons
        assert re.search(r"\d+ cel(len)? verborgen: aantallen onder de 10", reasons)
        assert "zijn beëindigd (&lt;10)" in reasons
        assert "worden niet getoond en staan als &lt;10" in html
    tl = _page(client_for(dash.world, "tl"))
    assert "&lt;10" not in tl
    assert "verborgen" not in tl


def test_suppression_threshold_is_configurable(dash: DashWorld, client_for: ClientFactory) -> None:
    client = client_for(dash.world, "analist")
    client.app.state.suppression_threshold = 3  # type: ignore[attr-defined]
    html = _page(client)
    reasons = section(html, "redenen")
    # JOB 2 and STOPPED 2 are under 3 and hidden; the total of 4 is shown.
    assert "zijn beëindigd (4)" in reasons
    assert reasons.count("&lt;3") == 4  # two counts and the two shares resting on them
    assert "aantallen onder de 3" in reasons


def test_drill_links_only_for_roles_that_may_see_the_lists(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    analyst = client_for(dash.world, "analist")
    analyst.app.state.suppression_threshold = 1  # type: ignore[attr-defined]
    assert drill_links(_page(analyst))
    assert drill_links(_page(client_for(dash.world, "tl")))
    assert drill_links(_page(client_for(dash.world, "km")))
    accountmanager = client_for(dash.world, "am")
    accountmanager.app.state.suppression_threshold = 1  # type: ignore[attr-defined]
    html = _page(accountmanager)
    assert not drill_links(html)
    assert "data-drill" not in html


def test_hidden_cells_carry_no_drill_link(dash: DashWorld, client_for: ClientFactory) -> None:
    html = _page(client_for(dash.world, "analist"))
    assert not drill_links(html)


def test_dashboard_shows_aggregates_only(dash: DashWorld, client_for: ClientFactory) -> None:
    for who in ("analist", "tl"):
        html = _page(client_for(dash.world, who))
        for name in ("Zwart", "Olij", "Persoon", "Bos", "Weerom", "candidate-link"):
            assert name not in html


def test_beheerder_gets_no_dashboard(dash: DashWorld, client_for: ClientFactory) -> None:
    response = client_for(dash.world, "beheer").get("/dashboard")
    assert response.status_code == 403
    assert "zijn beëindigd" not in response.text


def test_plotly_bundle_is_served_offline_and_cached(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite)
    response = client.get("/static/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert "max-age" in response.headers["cache-control"]
    assert len(response.content) > 1_000_000
    again = client.get("/static/plotly.min.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def _figures(page: str) -> dict[str, dict[str, object]]:
    """Every panel's Plotly figure, by panel key."""
    return {
        key: json.loads(html_lib.unescape(figure))
        for key, figure in re.findall(
            r'<section class="card" id="([^"]+)">.*?data-figure="([^"]*)"', page, re.S
        )
    }


def _stamps(figure: dict[str, object]) -> list[str]:
    layout = figure.get("layout", {})
    assert isinstance(layout, dict)
    return [a["text"] for a in layout.get("annotations", []) if a.get("name") == "kpi-stamp"]


def test_every_chart_itself_says_its_definition_version_and_reference_date(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    figures = _figures(_page(client_for(dash.world, "tl"), "&succes=DURABLE_6M"))
    assert set(figures) == set(PANELS)
    for key, kpi_id in PANELS.items():
        stamps = _stamps(figures[key])
        assert len(stamps) == 1, key
        assert stamps[0].startswith(f"{kpi_id} v1 · peildatum 31-01-2024"), stamps
    words = f"· {success_definition('DURABLE_6M').name_nl} (versie 1)"
    assert _stamps(figures["duurzaamheid"])[0].endswith(words)
    assert _stamps(figures["kosten-duurzaam"])[0].endswith(words)
    assert "DURABLE" not in _stamps(figures["bereik"])[0]


def test_success_choice_changes_the_net_cost_per_durable_exit(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    engine = make_engine(dash.world.url)
    with transaction(session_factory(engine)) as s:
        s.add(CostLine(booked_on=date(2020, 6, 1), cost_item="EXECUTION",
                       amount=Decimal("12000.00")))  # fmt: skip
    engine.dispose()
    client = client_for(dash.world, "tl")
    twelve = section(_page(client), "kosten-duurzaam")
    six = section(_page(client, "&succes=DURABLE_6M"), "kosten-duurzaam")
    # Two job exits in 2020; one back on benefit after nine months: durable at 6, not at 12.
    cells = r"<td>2020</td><td class=\"num\">€ 12\.000,00</td><td class=\"num\">{n}</td>"
    assert re.search(cells.format(n=1) + r'<td class="num">€ 12\.000,00</td>', twelve)
    assert re.search(cells.format(n=2) + r'<td class="num">€ 6\.000,00</td>', six)
    # The definition is named in words with its version, never by its code.
    long, short = success_definition("DURABLE_12M"), success_definition("DURABLE_6M")
    assert f"{long.name_nl}, versie 1" in twelve and f"{short.name_nl}, versie 1" in six
    assert "DURABLE_12M" not in twelve


def test_a_single_small_count_next_to_a_published_total_takes_a_second_cell_with_it(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    analyst = client_for(dash.world, "analist")
    analyst.app.state.suppression_threshold = 2  # type: ignore[attr-defined]
    reach = section(_page(analyst, "&van=2019&tot=2021"), "bereik")
    # Routes started: 3 in 2019, none in 2020, 1 in 2021; the lead says 4 in the period.
    assert "4 routes" in reach
    rows = {
        year: cells
        for year, cells in (
            (m[0], re.findall(r'<td class="num">(?:<a [^>]+>)?([^<]*)', m[1]))
            for m in re.findall(r"<tr><td>(\d{4})</td>(.*?)</tr>", reach, re.S)
        )
    }
    routes = {year: cells[1] for year, cells in rows.items()}
    assert routes["2021"] == "&lt;2"
    assert routes["2019"] == "x", "1 = 4 - 3 - 0 would give the hidden count away"
    assert "x = niet klein, maar ook verborgen" in reach
